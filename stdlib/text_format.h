// Language-dependent number symbols, shared by Text (formatting) and
// Value/Float (parsing). Backed by ICU's locale data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace canvasfx::stdlib {

struct NumberSymbols {
  std::u32string decimal;   // "." in en-US, "," in fr-FR
  std::u32string group;     // "," in en-US, U+202F in fr-FR
  std::u32string currency;  // "$" in en-US, "€" in fr-FR
};

// The symbols of a BCP 47 language tag ("" is en-US); nullopt for a tag that
// is not well-formed.
std::optional<NumberSymbols> number_symbols(std::string_view language);

}  // namespace canvasfx::stdlib
