// Text functions: Len, Left, Mid, Right, Upper, Lower, Proper, Trim, TrimEnds,
// Substitute, Replace, Find, StartsWith, EndsWith, Concatenate, Concat, Char,
// UniChar, Split, EncodeUrl, EncodeHTML, PlainText, GUID, Language.
//
// Power Fx measures and indexes text in UTF-16 code units (as .NET strings do),
// so every position-based function converts to UTF-16, works there and
// converts back. Case mapping and case-insensitive comparison go through ICU.
// Scalar functions declare `table_overload`, which maps them over one-column
// tables (Len(["a","bc"])); the evaluator does that, not this file.
// Text(value, format) lives in text_format.cpp.
#include <unicode/locid.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "canvasfx/unicode.h"
#include "families.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

// --- shared helpers -------------------------------------------------------

// A count or position argument: Power Fx truncates toward zero and clamps
// huge values (1e28) instead of overflowing.
int64_t whole(double n) {
  constexpr double kLimit = 1e15;
  return static_cast<int64_t>(std::trunc(std::clamp(n, -kLimit, kLimit)));
}

Value text_of_units(const std::u16string& s, int64_t start, int64_t count) {
  int64_t size = static_cast<int64_t>(s.size());
  start = std::clamp<int64_t>(start, 0, size);
  count = std::clamp<int64_t>(count, 0, size - start);
  return Value::text(to_utf8(std::u16string_view(s).substr(start, count)));
}

icu::UnicodeString to_icu(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string from_icu(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

Value invalid(CallContext& ctx) { return ctx.error(ErrorKind::InvalidArgument); }

// --- length and slicing ---------------------------------------------------

// Len(text) – function-len.md
Value invoke_len(CallContext& ctx) {
  return Value::number(static_cast<double>(utf16_length(ctx.arg(0).as_text())));
}

// Left(text, count), Right(text, count) – function-left-mid-right.md
Value slice_end(CallContext& ctx, bool from_left) {
  int64_t count = whole(ctx.arg(1).as_number());
  if (count < 0) return invalid(ctx);
  std::u16string s = to_utf16(ctx.arg(0).as_text());
  int64_t size = static_cast<int64_t>(s.size());
  return from_left ? text_of_units(s, 0, count) : text_of_units(s, size - count, count);
}
Value invoke_left(CallContext& ctx) { return slice_end(ctx, true); }
Value invoke_right(CallContext& ctx) { return slice_end(ctx, false); }

// Mid(text, start [, count]) – function-left-mid-right.md
Value invoke_mid(CallContext& ctx) {
  int64_t start = whole(ctx.arg(1).as_number());
  int64_t count = ctx.arg_count() > 2 ? whole(ctx.arg(2).as_number()) : INT64_MAX / 2;
  if (start < 1 || count < 0) return invalid(ctx);
  return text_of_units(to_utf16(ctx.arg(0).as_text()), start - 1, count);
}

// Replace(text, start, count, new) – function-replace-substitute.md
Value invoke_replace(CallContext& ctx) {
  int64_t start = whole(ctx.arg(1).as_number());
  int64_t count = whole(ctx.arg(2).as_number());
  if (start < 1 || count < 0) return invalid(ctx);
  std::u16string s = to_utf16(ctx.arg(0).as_text());
  size_t from = static_cast<size_t>(std::min<int64_t>(start - 1, s.size()));
  size_t len = static_cast<size_t>(std::min<int64_t>(count, s.size() - from));
  s.replace(from, len, to_utf16(ctx.arg(3).as_text()));
  return Value::text(to_utf8(s));
}

// --- case -----------------------------------------------------------------

// Lower(text), Upper(text), Proper(text) – function-lower-upper-proper.md
Value invoke_lower(CallContext& ctx) { return Value::text(utf8_lower(ctx.arg(0).as_text())); }
Value invoke_upper(CallContext& ctx) { return Value::text(utf8_upper(ctx.arg(0).as_text())); }
Value invoke_proper(CallContext& ctx) {
  // Title case per word: the first letter upper, the rest lower.
  icu::UnicodeString s = to_icu(ctx.arg(0).as_text());
  return Value::text(from_icu(s.toTitle(nullptr, icu::Locale::getRoot())));
}

// --- whitespace -----------------------------------------------------------

bool is_space_run_char(char16_t c) {
  // Trim collapses whitespace except line breaks and no-break spaces (Excel's TRIM).
  if (c == u'\n' || c == u'\v' || c == u'\f' || c == u'\r' || c == 0xA0) return false;
  return u_isUWhiteSpace(c);
}

// Trim(text) – function-trim.md: no spaces at the ends, single spaces inside.
Value invoke_trim(CallContext& ctx) {
  std::u16string s = to_utf16(ctx.arg(0).as_text());
  std::u16string out;
  bool pending_space = false;
  for (char16_t c : s) {
    if (is_space_run_char(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += u' ';
    pending_space = false;
    out += c;
  }
  return Value::text(to_utf8(out));
}

// TrimEnds(text) – function-trim.md
Value invoke_trim_ends(CallContext& ctx) {
  std::u16string s = to_utf16(ctx.arg(0).as_text());
  size_t b = 0, e = s.size();
  while (b < e && u_isUWhiteSpace(s[b])) ++b;
  while (e > b && u_isUWhiteSpace(s[e - 1])) --e;
  return Value::text(to_utf8(std::u16string_view(s).substr(b, e - b)));
}

// --- search and substitution ----------------------------------------------

// Substitute(text, old, new [, instance]) – function-replace-substitute.md
Value invoke_substitute(CallContext& ctx) {
  const std::string& text = ctx.arg(0).as_text();
  const std::string& old_text = ctx.arg(1).as_text();
  const std::string& new_text = ctx.arg(2).as_text();
  int64_t instance = 0;  // 0: every occurrence
  if (ctx.arg_count() > 3) {
    instance = whole(ctx.arg(3).as_number());
    if (instance < 1) return invalid(ctx);
  }
  if (old_text.empty()) return Value::text(text);
  std::string out;
  size_t pos = 0;
  for (int64_t seen = 1;; ++seen) {
    size_t hit = text.find(old_text, pos);
    if (hit == std::string::npos) break;
    append_text(ctx, out, std::string_view(text).substr(pos, hit - pos));
    append_text(ctx, out, instance == 0 || seen == instance ? new_text : old_text);
    pos = hit + old_text.size();
    if (seen == instance) break;
  }
  out.append(text, pos, std::string::npos);
  return Value::text(std::move(out));
}

// Find(find, within [, start]) – function-find.md. Case-sensitive; Blank when
// absent. A Blank start is invalid, so blanks are kept and handled here.
Value invoke_find(CallContext& ctx) {
  std::u16string needle = to_utf16(ctx.arg(0).as_text());
  std::u16string hay = to_utf16(ctx.arg(1).as_text());
  int64_t start = 1;
  if (ctx.arg_count() > 2) {
    if (ctx.arg(2).is_blank()) return invalid(ctx);
    start = whole(ctx.arg(2).as_number());
  }
  if (start < 1 || start > static_cast<int64_t>(hay.size()) + 1) return invalid(ctx);
  size_t hit = hay.find(needle, static_cast<size_t>(start - 1));
  if (hit == std::u16string::npos) return Value::blank();
  return Value::number(static_cast<double>(hit + 1));
}

// StartsWith(text, start), EndsWith(text, end) – function-startswith.md.
// Both compare case-insensitively.
Value affix_test(CallContext& ctx, bool at_start) {
  icu::UnicodeString text = to_icu(ctx.arg(0).as_text()).foldCase();
  icu::UnicodeString affix = to_icu(ctx.arg(1).as_text()).foldCase();
  return Value::boolean(at_start ? text.startsWith(affix) : text.endsWith(affix));
}
Value invoke_starts_with(CallContext& ctx) { return affix_test(ctx, true); }
Value invoke_ends_with(CallContext& ctx) { return affix_test(ctx, false); }

// --- joining and splitting ------------------------------------------------

// Concatenate(text1 [, text2, ...]) – function-concatenate.md
Value invoke_concatenate(CallContext& ctx) {
  std::string out;
  for (size_t i = 0; i < ctx.arg_count(); ++i) append_text(ctx, out, ctx.arg(i).as_text());
  return Value::text(std::move(out));
}

// Concat(table, formula [, separator]) – function-concatenate.md
Value invoke_concat(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return Value::blank();
  std::string separator;
  if (ctx.arg_count() > 2) separator = ctx.arg(2).as_text();
  std::string out;
  bool first = true;
  for (const Value& row : table.rows()) {
    Value v = to_text(ctx.eval_in_row(1, row), ctx.arg_span(1));
    if (v.is_error()) return v;
    if (!first) append_text(ctx, out, separator);
    first = false;
    append_text(ctx, out, v.as_text());
  }
  return Value::text(std::move(out));
}

Type check_split(CheckContext&) { return Type::table({{"Value", Type::text()}}); }

// Split(text, separator) – function-split.md. An empty separator splits into
// characters (UTF-16 units, as .NET does).
Value invoke_split(CallContext& ctx) {
  const std::string& text = ctx.arg(0).as_text();
  const std::string& sep = ctx.arg(1).as_text();
  Type row_type = ctx.return_type().as_record();
  std::vector<Value> rows;
  auto add = [&](std::string piece) {
    rows.push_back(Value::record_sorted({{"Value", Value::text(std::move(piece))}}));
  };
  if (sep.empty()) {
    for (char16_t c : to_utf16(text)) add(to_utf8(std::u16string(1, c)));
  } else if (!text.empty()) {
    size_t pos = 0;
    for (size_t hit; (hit = text.find(sep, pos)) != std::string::npos; pos = hit + sep.size())
      add(text.substr(pos, hit - pos));
    add(text.substr(pos));
  }
  return Value::table(std::move(rows), row_type);
}

// --- characters -----------------------------------------------------------

std::string utf8_of(UChar32 code_point) { return from_icu(icu::UnicodeString(code_point)); }

// Char(code) – function-char.md: codes 1..255 (Latin-1); Blank is invalid.
Value invoke_char(CallContext& ctx) {
  const Value& code = ctx.arg(0);
  if (code.is_blank()) return invalid(ctx);
  int64_t c = whole(code.as_number());
  if (c < 1 || c > 255) return invalid(ctx);
  return Value::text(utf8_of(static_cast<UChar32>(c)));
}

// UniChar(code) – function-char.md: any code point; lone surrogates do not apply.
Value invoke_unichar(CallContext& ctx) {
  const Value& code = ctx.arg(0);
  if (code.is_blank()) return invalid(ctx);
  int64_t c = whole(code.as_number());
  if (c < 1 || c > 0x10FFFF) return invalid(ctx);
  if (c >= 0xD800 && c <= 0xDFFF) return ctx.error(ErrorKind::NotApplicable);
  return Value::text(utf8_of(static_cast<UChar32>(c)));
}

// --- encoding -------------------------------------------------------------

// EncodeUrl(text) – function-encode-decode.md: every byte but the unreserved
// characters of RFC 3986 is percent-encoded.
Value invoke_encode_url(CallContext& ctx) {
  std::string out;
  for (unsigned char c : ctx.arg(0).as_text()) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return Value::text(std::move(out));
}

// EncodeHTML(text) – function-encode-decode.md: markup characters as named
// entities; Latin-1 supplement and astral characters as numeric references.
Value invoke_encode_html(CallContext& ctx) {
  icu::UnicodeString s = to_icu(ctx.arg(0).as_text());
  std::string out;
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    UChar32 c = s.char32At(i);
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((c >= 0xA0 && c <= 0xFF) || c > 0xFFFF)
          out += "&#" + std::to_string(c) + ";";
        else
          out += utf8_of(c);
    }
  }
  return Value::text(std::move(out));
}

// HTML character references (named, decimal, hex) decoded; unknown ones stay.
std::string html_decode(const icu::UnicodeString& s) {
  static const std::pair<const char*, UChar32> kNamed[] = {
      {"amp", '&'},      {"lt", '<'},        {"gt", '>'},       {"quot", '"'},
      {"apos", '\''},    {"nbsp", 0xA0},     {"copy", 0xA9},    {"reg", 0xAE},
      {"trade", 0x2122}, {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
      {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C}, {"rdquo", 0x201D},
      {"euro", 0x20AC},  {"pound", 0xA3},    {"yen", 0xA5},     {"cent", 0xA2},
      {"sect", 0xA7},    {"deg", 0xB0},      {"middot", 0xB7},  {"bull", 0x2022},
  };
  icu::UnicodeString out;
  for (int32_t i = 0; i < s.length();) {
    int32_t semi = s.charAt(i) == '&' ? s.indexOf(u';', i) : -1;
    if (semi > i + 1 && semi - i <= 10) {
      std::string name = from_icu(s.tempSubString(i + 1, semi - i - 1));
      UChar32 decoded = -1;
      if (name[0] == '#') {
        bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        std::string digits = name.substr(hex ? 2 : 1);
        char* end = nullptr;
        long v = digits.empty() ? -1 : std::strtol(digits.c_str(), &end, hex ? 16 : 10);
        if (end && *end == '\0' && v > 0 && v <= 0x10FFFF) decoded = static_cast<UChar32>(v);
      } else {
        for (const auto& [n, c] : kNamed)
          if (name == n) decoded = c;
      }
      if (decoded >= 0) {
        out.append(decoded);
        i = semi + 1;
        continue;
      }
    }
    out.append(s.charAt(i));
    ++i;
  }
  return from_icu(out);
}

// Replaces every match of `pattern` (case-insensitive) in `s`.
void regex_replace(icu::UnicodeString& s, const char16_t* pattern, const char16_t* with) {
  UErrorCode status = U_ZERO_ERROR;
  icu::RegexMatcher matcher(icu::UnicodeString(pattern), s, UREGEX_CASE_INSENSITIVE, status);
  if (U_SUCCESS(status)) s = matcher.replaceAll(icu::UnicodeString(with), status);
}

// PlainText(text) – function-encode-decode.md: scripts, styles and comments
// disappear with their content, block tags (p, div, tr) become a blank line,
// br a line break, other tags nothing; then character references are decoded.
Value invoke_plain_text(CallContext& ctx) {
  icu::UnicodeString s = to_icu(ctx.arg(0).as_text());
  regex_replace(s, u"<\\s*(script|style)\\b[^>]*>[\\s\\S]*?<\\s*/\\s*\\1\\s*>", u"");
  regex_replace(s, u"<!--[\\s\\S]*?-->", u"");
  regex_replace(s, u"<\\s*(p|div|tr)(\\s[^>]*)?>", u"\r\n\r\n");
  regex_replace(s, u"<\\s*br\\s*/?\\s*>", u"\r\n");
  regex_replace(s, u"<[^>]*>", u"");
  return Value::text(html_decode(s.trim()));
}

// --- GUID, Language -------------------------------------------------------

// GUID([text]) – function-guid.md: a new random (version 4) GUID, or the GUID
// that text spells in one of .NET's layouts (32 digits, dashed, {dashed}, (dashed)).
Value invoke_guid(CallContext& ctx) {
  Guid g{};
  if (ctx.arg_count() == 0) {
    for (auto& b : g) b = static_cast<uint8_t>(ctx.random() * 256);
    g[6] = static_cast<uint8_t>((g[6] & 0x0F) | 0x40);
    g[8] = static_cast<uint8_t>((g[8] & 0x3F) | 0x80);
    return Value::guid(g);
  }
  std::string_view s = ctx.arg(0).as_text();
  if (s.size() == 38 &&
      ((s.front() == '{' && s.back() == '}') || (s.front() == '(' && s.back() == ')')))
    s = s.substr(1, 36);
  bool dashed = s.size() == 36;
  if (!dashed && s.size() != 32) return invalid(ctx);
  std::string hex;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash_here = dashed && (i == 8 || i == 13 || i == 18 || i == 23);
    if (dash_here != (s[i] == '-')) return invalid(ctx);
    if (dash_here) continue;
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return invalid(ctx);
    hex += s[i];
  }
  for (size_t i = 0; i < 16; ++i)
    g[i] = static_cast<uint8_t>(std::stoi(hex.substr(i * 2, 2), nullptr, 16));
  return Value::guid(g);
}

// Language() – function-language.md: the engine runs en-US.
Value invoke_language(CallContext&) { return Value::text("en-US"); }

const FunctionDef kText[] = {
    {.name = "Len",
     .params = "s",
     .returns = "n",
     .invoke = invoke_len,
     .table_overload = true,
     .page = "function-len.md"},
    {.name = "Left",
     .params = "sn",
     .returns = "s",
     .invoke = invoke_left,
     .table_overload = true,
     .page = "function-left-mid-right.md"},
    {.name = "Right",
     .params = "sn",
     .returns = "s",
     .invoke = invoke_right,
     .table_overload = true,
     .page = "function-left-mid-right.md"},
    {.name = "Mid",
     .params = "snn?",
     .returns = "s",
     .invoke = invoke_mid,
     .table_overload = true,
     .page = "function-left-mid-right.md"},
    {.name = "Replace",
     .params = "snns",
     .returns = "s",
     .invoke = invoke_replace,
     .table_overload = true,
     .page = "function-replace-substitute.md"},
    {.name = "Substitute",
     .params = "sssn?",
     .returns = "s",
     .invoke = invoke_substitute,
     .table_overload = true,
     .page = "function-replace-substitute.md"},
    {.name = "Lower",
     .params = "s",
     .returns = "s",
     .invoke = invoke_lower,
     .table_overload = true,
     .page = "function-lower-upper-proper.md"},
    {.name = "Upper",
     .params = "s",
     .returns = "s",
     .invoke = invoke_upper,
     .table_overload = true,
     .page = "function-lower-upper-proper.md"},
    {.name = "Proper",
     .params = "s",
     .returns = "s",
     .invoke = invoke_proper,
     .table_overload = true,
     .page = "function-lower-upper-proper.md"},
    {.name = "Trim",
     .params = "s",
     .returns = "s",
     .invoke = invoke_trim,
     .table_overload = true,
     .page = "function-trim.md"},
    {.name = "TrimEnds",
     .params = "s",
     .returns = "s",
     .invoke = invoke_trim_ends,
     .table_overload = true,
     .page = "function-trim.md"},
    {.name = "Find",
     .params = "ssn?",
     .returns = "n",
     .invoke = invoke_find,
     .blanks = BlankPolicy::Keep,
     .table_overload = true,
     .page = "function-find.md"},
    {.name = "StartsWith",
     .params = "ss",
     .returns = "b",
     .invoke = invoke_starts_with,
     .table_overload = true,
     .page = "function-startswith.md"},
    {.name = "EndsWith",
     .params = "ss",
     .returns = "b",
     .invoke = invoke_ends_with,
     .table_overload = true,
     .page = "function-startswith.md"},
    {.name = "Concatenate",
     .params = "s+",
     .returns = "s",
     .invoke = invoke_concatenate,
     .table_overload = true,
     .page = "function-concatenate.md"},
    {.name = "Concat",
     .params = "T@ss?",
     .returns = "s",
     .invoke = invoke_concat,
     .blanks = BlankPolicy::Keep,
     .page = "function-concatenate.md"},
    {.name = "Split",
     .params = "ss",
     .invoke = invoke_split,
     .check = check_split,
     .page = "function-split.md"},
    {.name = "Char",
     .params = "n",
     .returns = "s",
     .invoke = invoke_char,
     .blanks = BlankPolicy::Keep,
     .table_overload = true,
     .page = "function-char.md"},
    {.name = "UniChar",
     .params = "n",
     .returns = "s",
     .invoke = invoke_unichar,
     .blanks = BlankPolicy::Keep,
     .table_overload = true,
     .page = "function-char.md"},
    {.name = "EncodeUrl",
     .params = "s",
     .returns = "s",
     .invoke = invoke_encode_url,
     .page = "function-encode-decode.md"},
    {.name = "EncodeHTML",
     .params = "s",
     .returns = "s",
     .invoke = invoke_encode_html,
     .page = "function-encode-decode.md"},
    {.name = "PlainText",
     .params = "s",
     .returns = "s",
     .invoke = invoke_plain_text,
     .page = "function-encode-decode.md"},
    {.name = "GUID",
     .params = "",
     .returns = "g",
     .invoke = invoke_guid,
     .volatile_result = true,
     .page = "function-guid.md"},
    {.name = "GUID",
     .params = "s",
     .returns = "g",
     .invoke = invoke_guid,
     .page = "function-guid.md"},
    {.name = "Language",
     .params = "",
     .returns = "s",
     .invoke = invoke_language,
     .page = "function-language.md"},
};

}  // namespace

FunctionTable text_functions() { return kText; }

}  // namespace canvasfx::stdlib
