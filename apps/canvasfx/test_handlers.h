// The test-only #SETUP handlers of the reference harness (CONFORMANCE.md,
// "Appendix: what the reference harness's handlers set up"): test enums and the
// test functions over them. They exist only for the conformance runner and use
// nothing but the public Engine API.
#pragma once

#include <optional>
#include <string>

#include "canvasfx/engine.h"

namespace canvasfx::cli {

// AllEnumsSetup: the builtin enums (stdlib installs them) plus TestXORBoolean,
// TestXORYesNo, TestColorInvert and TestColorBlueRampInvert.
void all_enums_setup(Engine& engine, const std::optional<std::string>& argument,
                     CheckOptions& options);
// AllEnumsPlusTestEnumsSetup: also the test enums (TestYesNo, TestYeaNay,
// TestBooleanNoCoerce, TestNumber*, TestBlueRamp, TestRedRamp) and the
// functions TestXORNoCoerce, TestSignNumber and TestSignDecimal.
void all_enums_plus_test_enums_setup(Engine& engine, const std::optional<std::string>& argument,
                                     CheckOptions& options);

}  // namespace canvasfx::cli
