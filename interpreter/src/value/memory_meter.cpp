#include "value/memory_meter.h"

namespace canvasfx::memory {

void refuse(int64_t budget) { throw EvaluationOutOfMemory{budget}; }

}  // namespace canvasfx::memory
