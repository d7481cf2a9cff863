// Unicode helpers over UTF-8 strings, backed by ICU.
#pragma once

#include <string>
#include <string_view>

namespace canvasfx {

std::string utf8_lower(std::string_view s);
std::string utf8_upper(std::string_view s);
bool text_equal_ignore_case(std::string_view a, std::string_view b);
bool text_contains_ignore_case(std::string_view haystack, std::string_view needle);
// Length in UTF-16 code units, as Power Fx's Len counts.
size_t utf16_length(std::string_view s);
std::u16string to_utf16(std::string_view s);
std::string to_utf8(std::u16string_view s);
// Whether `s` is made of Power Fx identifier characters (a letter or `_`, then
// letters, digits, `_` ...), so that it needs no quotes; keywords aside.
bool is_identifier_text(std::string_view s);

}  // namespace canvasfx
