// Parsing of FunctionDef parameter strings ("T@b+", "sn?", ...; see function.h).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace canvasfx {

enum class ParamMode : uint8_t { Eager = 0, Lazy = 1, Lambda = 2 };

struct ParamSpec {
  char letter = 'a';
  ParamMode mode = ParamMode::Eager;
  bool optional = false;
};

struct ParsedParams {
  std::vector<ParamSpec> fixed;   // before the repeating group
  std::vector<ParamSpec> repeat;  // the group the remaining arguments cycle through
  size_t min_args = 0;
  size_t max_args = 0;  // SIZE_MAX when there is a repeating group

  const ParamSpec& at(size_t i) const {
    if (i < fixed.size() || repeat.empty()) return fixed[std::min(i, fixed.size() - 1)];
    return repeat[(i - fixed.size()) % repeat.size()];
  }
};

ParsedParams parse_params(std::string_view params);

}  // namespace canvasfx
