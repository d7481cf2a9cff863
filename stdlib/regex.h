// Regular expressions (regex.cpp): IsMatch, Match, MatchAll and the Match and
// MatchOptions enums, registered by install_json_regex() (json.cpp).
#pragma once

#include <memory>

#include "canvasfx/function.h"

namespace canvasfx::stdlib {

FunctionTable regex_functions();
std::shared_ptr<const EnumInfo> match_enum();
std::shared_ptr<const EnumInfo> match_options_enum();

}  // namespace canvasfx::stdlib
