#include "canvasfx/unicode.h"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

namespace canvasfx {

std::string utf8_lower(std::string_view s) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())))
      .toLower(icu::Locale::getRoot())
      .toUTF8String(out);
  return out;
}

std::string utf8_upper(std::string_view s) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())))
      .toUpper(icu::Locale::getRoot())
      .toUTF8String(out);
  return out;
}

bool text_equal_ignore_case(std::string_view a, std::string_view b) {
  if (a == b) return true;
  auto ua =
      icu::UnicodeString::fromUTF8(icu::StringPiece(a.data(), static_cast<int32_t>(a.size())));
  auto ub =
      icu::UnicodeString::fromUTF8(icu::StringPiece(b.data(), static_cast<int32_t>(b.size())));
  return ua.caseCompare(ub, U_FOLD_CASE_DEFAULT) == 0;
}

bool text_contains_ignore_case(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto h = icu::UnicodeString::fromUTF8(
               icu::StringPiece(haystack.data(), static_cast<int32_t>(haystack.size())))
               .foldCase();
  auto n = icu::UnicodeString::fromUTF8(
               icu::StringPiece(needle.data(), static_cast<int32_t>(needle.size())))
               .foldCase();
  return h.indexOf(n) >= 0;
}

size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

std::u16string to_utf16(std::string_view s) {
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  return std::u16string(reinterpret_cast<const char16_t*>(u.getBuffer()), u.length());
}

std::string to_utf8(std::u16string_view s) {
  std::string out;
  icu::UnicodeString(s.data(), static_cast<int32_t>(s.size())).toUTF8String(out);
  return out;
}

}  // namespace canvasfx
