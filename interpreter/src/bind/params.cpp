#include "bind/params.h"

#include <cstdint>

namespace canvasfx {

ParsedParams parse_params(std::string_view text) {
  ParsedParams out;
  std::vector<ParamSpec> all;
  size_t repeat_from = SIZE_MAX;
  ParamMode mode = ParamMode::Eager;
  for (char c : text) {
    switch (c) {
      case '~':
        mode = ParamMode::Lazy;
        break;
      case '@':
        mode = ParamMode::Lambda;
        break;
      case '?':
        all.back().optional = true;
        break;
      case '+':
        // The group starts at the first parameter after the last fixed one that
        // has the same mode prefix run; by convention, `+` repeats only the last parameter
        // unless a `|` marked the group start.
        if (repeat_from == SIZE_MAX) repeat_from = all.size() - 1;
        break;
      case '|':
        repeat_from = all.size();
        break;
      case ' ':
        break;
      default:
        all.push_back(ParamSpec{c, mode, false});
        mode = ParamMode::Eager;
    }
  }
  if (repeat_from == SIZE_MAX || repeat_from >= all.size()) {
    out.fixed = all;
    out.max_args = all.size();
    out.min_args = 0;
    for (const auto& p : all)
      if (!p.optional) ++out.min_args;
    return out;
  }
  out.fixed.assign(all.begin(), all.begin() + repeat_from);
  out.repeat.assign(all.begin() + repeat_from, all.end());
  out.min_args = 0;
  for (const auto& p : out.fixed)
    if (!p.optional) ++out.min_args;
  for (const auto& p : out.repeat)
    if (!p.optional) ++out.min_args;
  out.max_args = SIZE_MAX;
  return out;
}

}  // namespace canvasfx
