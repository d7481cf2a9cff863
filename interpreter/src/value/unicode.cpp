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

namespace {

// Power Fx's identifier characters (TexlLexer): letters and letter numbers
// start one; digits, connector punctuation, marks and format characters may follow.
bool is_identifier_start(UChar32 c) {
  if (c == '_') return true;
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_LETTER_NUMBER:
      return true;
    default:
      return false;
  }
}

bool is_identifier_part(UChar32 c) {
  if (is_identifier_start(c)) return true;
  switch (u_charType(c)) {
    case U_DECIMAL_DIGIT_NUMBER:
    case U_CONNECTOR_PUNCTUATION:
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_FORMAT_CHAR:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool is_identifier_text(std::string_view s) {
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (u.isEmpty() || !is_identifier_start(u.char32At(0))) return false;
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1))
    if (!is_identifier_part(u.char32At(i))) return false;
  return true;
}

}  // namespace canvasfx
