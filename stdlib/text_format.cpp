// Text(value [, format [, language]]) with Excel-style format strings, and the
// language data (number symbols) shared with Value/Float.
//
// A format is first classified: a date/time format (d m y h s tokens, AM/PM)
// goes to format_datetime_text (datetime_format.h, the date family's), with a
// number turned into the date/time of that serial day; a number format is
// rendered here, with a date/time turned into its serial day. A format that
// mixes both kinds, or uses what Power Fx does not support (`[...]` colors,
// conditions and language tags, "General", fractions, `? _ * @`, more than
// three sections, an unterminated quote), is invalid: a warning at compile
// time when the format is written as a literal, InvalidArgument at run time.
// Only numbers and dates/times take a format (a compile-time warning).
//
// Number formats follow Power Fx, which rewrites Excel's syntax into a .NET
// custom numeric format: sections `positive;negative;zero`, `0` and `#` digit
// placeholders, `.` decimal point, `%` (x100), `E+00` exponents, `"..."`
// and `\x` literals (`'` is an ordinary character). Excel's commas are read
// by position: between integer placeholders they turn on grouping, after the
// last placeholder (or before the decimal point) each divides by 1000, after a
// literal a run of them is one literal comma, elsewhere they vanish. The
// rendering then follows .NET's algorithm (15 significant digits, placeholders
// filled from the decimal point outwards, extra integer digits at the first
// placeholder) since the conformance results come from it; except that a
// decimal point followed by text is always shown, as in Excel.
#include "text_format.h"

#include <unicode/dcfmtsym.h>
#include <unicode/locid.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "canvasfx/calendar.h"
#include "canvasfx/unicode.h"
#include "datetime_format.h"
#include "families.h"
#include "support.h"

namespace canvasfx::stdlib {

std::optional<NumberSymbols> number_symbols(std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  std::string tag = language.empty() ? "en-US" : std::string(language);
  icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus() || std::string(locale.getLanguage()).empty())
    return std::nullopt;
  if (std::string(locale.getCountry()).empty()) {
    locale.addLikelySubtags(status);  // "fr" has a currency only as fr-FR
    status = U_ZERO_ERROR;
  }
  icu::DecimalFormatSymbols symbols(locale, status);
  if (U_FAILURE(status)) return std::nullopt;
  auto get = [&](icu::DecimalFormatSymbols::ENumberFormatSymbol which) {
    icu::UnicodeString s = symbols.getSymbol(which);
    std::u32string out;
    for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) out += s.char32At(i);
    return out;
  };
  return NumberSymbols{get(icu::DecimalFormatSymbols::kDecimalSeparatorSymbol),
                       get(icu::DecimalFormatSymbols::kGroupingSeparatorSymbol),
                       get(icu::DecimalFormatSymbols::kCurrencySymbol)};
}

namespace {

std::string utf8(const std::u32string& s) {
  std::u16string u16;
  for (char32_t c : s) {
    if (c > 0xFFFF) {
      u16 += static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10));
      u16 += static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      u16 += static_cast<char16_t>(c);
    }
  }
  return to_utf8(u16);
}

// --- format strings -------------------------------------------------------

// One element of a number format section.
struct Token {
  enum Kind { Zero, Hash, Point, Percent, Literal, Exponent } kind;
  std::string text;       // Literal
  char exp_char = 'E';    // Exponent
  bool exp_plus = false;  // E+ shows the sign of positive exponents
  int exp_digits = 0;     // minimum exponent digits
  bool digit() const { return kind == Zero || kind == Hash; }
};

struct NumberSection {
  std::vector<Token> tokens;
  bool grouping = false;
  int thousands_scale = 0;  // commas dividing by 1000
};

enum class FormatKind { Number, DateTime, Invalid };

// A format string split into its sections.
struct ParsedFormat {
  FormatKind kind = FormatKind::Number;
  std::vector<std::string> sections;  // raw text of each section
};

// Length in bytes of the UTF-8 character starting at s[i].
size_t char_len(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return std::min(n, s.size() - i);
}

bool lower_is(char c, char want) { return std::tolower(static_cast<unsigned char>(c)) == want; }

bool is_date_letter(char c) {
  char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == 'd' || l == 'm' || l == 'y' || l == 'h' || l == 's';
}

bool starts_with_ci(std::string_view s, size_t i, std::string_view word) {
  if (s.size() - i < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k)
    if (!lower_is(s[i + k], word[k])) return false;
  return true;
}

// Splits and classifies a format; see the file comment for the rules.
ParsedFormat parse_format(std::string_view format) {
  ParsedFormat out;
  bool has_date = false, has_number = false, has_slash = false, after_colon = false;
  bool has_g = false;                               // an era letter
  bool after_seconds = false, in_fraction = false;  // "ss.000": fractions of a second
  int month_run = 0;
  std::string current;
  for (size_t i = 0; i < format.size();) {
    char c = format[i];
    size_t len = char_len(format, i);
    if (c == '"') {
      size_t close = format.find('"', i + 1);
      if (close == std::string_view::npos) return {FormatKind::Invalid};
      len = close + 1 - i;
    } else if (c == '\\') {
      if (i + 1 >= format.size()) return {FormatKind::Invalid};
      len = 1 + char_len(format, i + 1);
    } else if (c == ';') {
      out.sections.push_back(std::move(current));
      current.clear();
      ++i;
      continue;
    } else if (std::string_view("[?_*@").find(c) != std::string_view::npos ||
               starts_with_ci(format, i, "general")) {
      // Excel features Power Fx does not support: colors, conditions, language
      // tags, alignment, fill, text placeholders, "General".
      return {FormatKind::Invalid};
    } else if (c == '/' && !has_date) {
      // A slash before any date part would be a fraction ("/m", "0/0").
      return {FormatKind::Invalid};
    } else if (starts_with_ci(format, i, "am/pm") || starts_with_ci(format, i, "a/p")) {
      len = starts_with_ci(format, i, "am/pm") ? 5 : 3;
      std::string_view marker = format.substr(i, len);
      if (marker != "AM/PM" && marker != "A/P") return {FormatKind::Invalid};
      has_date = true;
    } else if (is_date_letter(c)) {
      has_date = true;
      month_run = lower_is(c, 'm') ? month_run + 1 : 0;
      if (month_run > 4) return {FormatKind::Invalid};
      after_seconds = lower_is(c, 's');
      in_fraction = false;
    } else if (c == '.' && after_seconds) {
      in_fraction = true;
      after_seconds = false;
    } else if (!(c == '0' && in_fraction)) {
      bool placeholder = c == '0' || c == '#';
      // Placeholders with '/' would be fractions, after ':' times.
      if (placeholder && after_colon) return {FormatKind::Invalid};
      has_number = has_number || placeholder;
      has_slash = has_slash || c == '/';
      after_colon = after_colon || c == ':';
      after_seconds = in_fraction = false;
    }
    // An era letter (g, not ge...) is a date part without a date to go with.
    has_g = has_g || (lower_is(c, 'g') && !(i + 1 < format.size() && lower_is(format[i + 1], 'e')));
    if (!is_date_letter(c)) month_run = 0;
    current.append(format.substr(i, len));
    i += len;
  }
  out.sections.push_back(std::move(current));
  if (out.sections.size() > 3 || (has_date && has_number) || (has_number && has_slash) ||
      (has_g && !has_date))
    return {FormatKind::Invalid};
  out.kind = has_date ? FormatKind::DateTime : FormatKind::Number;
  return out;
}

// Reads the exponent after 'E'/'e' at s[i]: a sign, then a run of 0 and #.
// Each 0 is a minimum digit, and #s after the last 0 add one more.
bool parse_exponent(std::string_view s, size_t& i, Token& tok) {
  size_t j = i + 1;
  bool sign = j < s.size() && (s[j] == '+' || s[j] == '-');
  if (sign) ++j;
  if (j >= s.size() || (s[j] != '0' && s[j] != '#')) return false;
  tok = Token{Token::Exponent};
  tok.exp_char = s[i];
  tok.exp_plus = sign && s[i + 1] == '+';
  for (; j < s.size() && (s[j] == '0' || s[j] == '#'); ++j) tok.exp_digits += s[j] == '0';
  if (s[j - 1] == '#') ++tok.exp_digits;
  i = j;
  return true;
}

// Tokenizes one number section; nullopt when it is invalid (placeholders
// after an exponent).
std::optional<NumberSection> parse_number_section(std::string_view s) {
  NumberSection section;
  auto& toks = section.tokens;
  auto literal = [&](std::string_view text) {
    if (!toks.empty() && toks.back().kind == Token::Literal)
      toks.back().text += text;
    else
      toks.push_back(Token{Token::Literal, std::string(text)});
  };
  bool seen_point = false;
  std::vector<std::pair<size_t, size_t>> comma_runs;  // (token index, length) to resolve
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    Token tok{Token::Literal};
    if (c == '"') {
      size_t close = s.find('"', i + 1);
      size_t end = close == std::string_view::npos ? s.size() : close;
      literal(s.substr(i + 1, end - i - 1));
      i = std::min(s.size(), end + 1);
    } else if (c == '\\') {
      if (i + 1 < s.size()) literal(s.substr(i + 1, char_len(s, i + 1)));
      i += i + 1 < s.size() ? 1 + char_len(s, i + 1) : 1;
    } else if (c == '0' || c == '#') {
      toks.push_back(Token{c == '0' ? Token::Zero : Token::Hash});
      ++i;
    } else if (c == '.') {
      toks.push_back(Token{Token::Point});
      seen_point = true;
      ++i;
    } else if (c == '%') {
      toks.push_back(Token{Token::Percent});
      ++i;
    } else if (c == ',') {
      size_t run = 0;
      while (i < s.size() && s[i] == ',') ++run, ++i;
      bool after_digit = !toks.empty() && (toks.back().digit() || toks.back().kind == Token::Point);
      if (!after_digit) {
        literal(",");
        continue;
      }
      char next = i < s.size() ? s[i] : '\0';
      bool more_digits = s.find_first_of("0#", i) != std::string_view::npos;
      if ((next == '0' || next == '#') && !seen_point && toks.back().digit()) {
        section.grouping = true;
      } else if (next == '0' || next == '#') {
        // between decimal placeholders: no effect
      } else if (next == '.' || !more_digits) {
        section.thousands_scale += static_cast<int>(run);
      }
    } else if ((c == 'E' || c == 'e') && i + 1 == s.size()) {
      return std::nullopt;  // an exponent without digits
    } else if ((c == 'E' || c == 'e') && parse_exponent(s, i, tok)) {
      toks.push_back(tok);
      // Placeholders after the exponent cannot be placed (quoted ones are fine).
      for (size_t k = i; k < s.size(); ++k) {
        if (s[k] == '"') {
          k = s.find('"', k + 1);
          if (k == std::string_view::npos) break;
        } else if (s[k] == '\\') {
          ++k;
        } else if (s[k] == '0' || s[k] == '#' || s[k] == '.' || s[k] == '%') {
          return std::nullopt;
        }
      }
    } else {
      size_t len = char_len(s, i);
      literal(s.substr(i, len));
      i += len;
    }
  }
  return section;
}

// --- number rendering (.NET's custom numeric format algorithm) -------------

struct Digits {
  std::string d;  // significant digits, no trailing zeros; empty for zero
  int scale = 0;  // value = 0.d * 10^scale
  bool negative = false;
};

Digits digits_of(double v) {
  Digits out;
  out.negative = std::signbit(v) && v != 0;
  if (v == 0) return out;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.14e", std::fabs(v));  // 15 significant digits
  std::string s(buf);
  size_t e = s.find('e');
  out.d = s.substr(0, 1) + s.substr(2, e - 2);
  out.scale = std::atoi(s.c_str() + e + 1) + 1;
  while (!out.d.empty() && out.d.back() == '0') out.d.pop_back();
  return out;
}

// Keeps `pos` digits, rounding half up.
void round_digits(Digits& n, int pos) {
  int i = 0;
  int size = static_cast<int>(n.d.size());
  while (i < pos && i < size) ++i;
  if (i == pos && i < size && n.d[i] >= '5') {
    while (i > 0 && n.d[i - 1] == '9') --i;
    if (i > 0) {
      ++n.d[i - 1];
    } else {
      ++n.scale;
      n.d = "1";
      i = 1;
    }
  } else {
    while (i > 0 && n.d[i - 1] == '0') --i;
  }
  if (i <= 0) {
    n.scale = 0;
    i = 0;
  }
  n.d.resize(static_cast<size_t>(i));
}

// The section .NET uses: 0 positive, 1 negative, 2 zero; missing or empty ones fall back to 0.
size_t pick_section(const std::vector<std::string>& sections, size_t wanted) {
  if (wanted >= sections.size() || sections[wanted].empty()) return 0;
  return wanted;
}

struct Layout {
  int digit_count = 0, decimal_pos = -1, first_zero = INT32_MAX, last_zero = 0;
  int percent = 0;
  bool scientific = false;
};

Layout layout_of(const NumberSection& section) {
  Layout l;
  for (const Token& t : section.tokens) {
    switch (t.kind) {
      case Token::Hash:
        ++l.digit_count;
        break;
      case Token::Zero:
        if (l.first_zero == INT32_MAX) l.first_zero = l.digit_count;
        ++l.digit_count;
        l.last_zero = l.digit_count;
        break;
      case Token::Point:
        if (l.decimal_pos < 0) l.decimal_pos = l.digit_count;
        break;
      case Token::Percent:
        l.percent += 2;
        break;
      case Token::Exponent:
        l.scientific = true;
        break;
      default:
        break;
    }
  }
  if (l.decimal_pos < 0) l.decimal_pos = l.digit_count;
  return l;
}

std::string render_number(double value, const std::vector<NumberSection>& sections,
                          const std::vector<std::string>& raw, const NumberSymbols& sym) {
  Digits n = digits_of(value);
  size_t index = pick_section(raw, n.d.empty() ? 2 : n.negative ? 1 : 0);
  Layout l;
  for (;;) {
    l = layout_of(sections[index]);
    if (!n.d.empty()) {
      n.scale += l.percent - 3 * sections[index].thousands_scale;
      int pos = l.scientific ? l.digit_count : n.scale + l.digit_count - l.decimal_pos;
      round_digits(n, pos);
      if (n.d.empty()) {
        size_t zero = pick_section(raw, 2);
        if (zero != index) {
          index = zero;  // it rounds to zero: lay out the zero section instead
          continue;
        }
      }
    } else {
      n.scale = 0;
    }
    break;
  }
  const NumberSection& section = sections[index];
  int first_digit = l.first_zero < l.decimal_pos ? l.decimal_pos - l.first_zero : 0;
  int last_digit = l.last_zero > l.decimal_pos ? l.decimal_pos - l.last_zero : 0;
  int dig_pos = l.scientific ? l.decimal_pos : std::max(n.scale, l.decimal_pos);
  int adjust = l.scientific ? 0 : n.scale - l.decimal_pos;

  std::vector<int> separators;  // digit positions after which a group separator goes
  if (section.grouping) {
    int total = dig_pos + std::min(adjust, 0);
    int wanted = std::max(first_digit, total);
    for (int at = 3; wanted > at; at += 3) separators.push_back(at);
  }
  int sep_index = static_cast<int>(separators.size()) - 1;

  std::string out;
  size_t cur = 0;
  auto emit_digit = [&](char ch) {
    out += ch;
    if (sep_index >= 0 && dig_pos > 1 && dig_pos == separators[sep_index] + 1) {
      out += utf8(sym.group);
      --sep_index;
    }
  };
  bool sign_first = n.negative && index == 0 && n.scale != 0;
  if (sign_first) out += '-';
  bool point_written = false;
  for (const Token& t : section.tokens) {
    if (adjust > 0 && (t.digit() || t.kind == Token::Point)) {
      for (; adjust > 0; --adjust, --dig_pos) emit_digit(cur < n.d.size() ? n.d[cur++] : '0');
    }
    switch (t.kind) {
      case Token::Zero:
      case Token::Hash: {
        char ch = 0;
        if (adjust < 0) {
          ++adjust;
          ch = dig_pos <= first_digit ? '0' : 0;
        } else {
          ch = cur < n.d.size() ? n.d[cur++] : dig_pos > last_digit ? '0' : 0;
        }
        if (ch) emit_digit(ch);
        --dig_pos;
        break;
      }
      case Token::Point:
        if (dig_pos != 0 || point_written) break;
        // Unlike .NET, a point that text follows is always shown ("#.'f'").
        if (last_digit < 0 || (l.decimal_pos < l.digit_count && cur < n.d.size()) ||
            (&t + 1 != section.tokens.data() + section.tokens.size() &&
             (&t + 1)->kind == Token::Literal)) {
          out += utf8(sym.decimal);
          point_written = true;
        }
        break;
      case Token::Percent:
        out += '%';
        break;
      case Token::Literal:
        out += t.text;
        break;
      case Token::Exponent: {
        int exp = n.d.empty() ? 0 : n.scale - l.decimal_pos;
        out += t.exp_char;
        if (exp < 0)
          out += '-';
        else if (t.exp_plus)
          out += '+';
        std::string digits = std::to_string(std::abs(exp));
        int width = std::min(t.exp_digits, 10);
        if (static_cast<int>(digits.size()) < width)
          digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
        out += digits;
        break;
      }
    }
  }
  if (n.negative && index == 0 && !sign_first && !out.empty()) out.insert(0, "-");
  return out;
}

// --- Text -----------------------------------------------------------------

constexpr const char* kBadFormat = "Incorrect format specifier for 'Text'.";

bool is_datetime(const Value& v) {
  return v.is(ValueKind::Date) || v.is(ValueKind::DateTime) || v.is(ValueKind::Time);
}

Value format_number(CallContext& ctx, double value, const ParsedFormat& format,
                    const NumberSymbols& symbols) {
  std::vector<NumberSection> sections;
  for (const std::string& raw : format.sections) {
    std::optional<NumberSection> s = parse_number_section(raw);
    if (!s) return ctx.error(ErrorKind::InvalidArgument, kBadFormat);
    sections.push_back(std::move(*s));
  }
  return Value::text(render_number(value, sections, format.sections, symbols));
}

// A number as the date/time of that serial day (its fraction is the time of
// day); InvalidArgument outside years 1..9999.
Value datetime_of_serial(CallContext& ctx, double serial) {
  constexpr double kMaxSerial = 2958466, kMinSerial = -657435;
  if (serial >= kMaxSerial || serial < kMinSerial) return ctx.error(ErrorKind::InvalidArgument);
  double ms = std::round(serial * static_cast<double>(kMsPerDay));
  return Value::datetime(static_cast<int64_t>(ms) + kSerialEpochDays * kMsPerDay);
}

// A date/time format: the section is picked by the sign of the serial day, as for numbers.
Value format_datetime(CallContext& ctx, const Value& v, const ParsedFormat& format,
                      std::string_view language) {
  double serial = to_number(v).as_number();
  Value when = is_datetime(v) ? v : datetime_of_serial(ctx, serial);
  if (when.is_error()) return when;
  size_t index = pick_section(format.sections, serial == 0 ? 2 : serial < 0 ? 1 : 0);
  return format_datetime_text(ctx, when, format.sections[index], language);
}

// Text(value [, format [, language]]) – function-text.md
Value invoke_text(CallContext& ctx) {
  const Value& v = ctx.arg(0);
  if (ctx.arg_count() == 1) return v.is_blank() ? v : to_text(v, ctx.span());
  const Value& format_arg = ctx.arg(1);
  // A Blank format or language formats nothing.
  if (format_arg.is_blank() || (ctx.arg_count() > 2 && ctx.arg(2).is_blank()))
    return Value::text("");
  std::string language = ctx.arg_count() > 2 ? ctx.arg(2).as_text() : "";
  std::optional<NumberSymbols> symbols = number_symbols(language);
  if (!symbols) return ctx.error(ErrorKind::BadLanguageCode);
  Value value = v.is_blank() ? Value::number(0) : v;
  if (v.is_text() || v.is(ValueKind::Untyped)) {
    value = to_number(v, ctx.span());
    if (value.is_error()) return ctx.error(ErrorKind::InvalidArgument);
    if (value.is_blank()) value = Value::number(0);
  }
  if (!value.is_number() && !is_datetime(value)) return ctx.error(ErrorKind::InvalidArgument);
  if (format_arg.is(ValueKind::Enum)) {
    // A DateTimeFormat member names one of the language's predefined formats.
    Value name = to_text(format_arg.enum_underlying());
    Value when = is_datetime(value) ? value : datetime_of_serial(ctx, value.as_number());
    if (when.is_error()) return when;
    if (auto text = format_datetime_predefined(ctx, when, name.as_text(), language)) return *text;
    return format_datetime_text(ctx, when, name.as_text(), language);
  }
  ParsedFormat format = parse_format(to_text(format_arg).as_text());
  if (format.kind == FormatKind::Invalid) return ctx.error(ErrorKind::InvalidArgument, kBadFormat);
  if (format.kind == FormatKind::DateTime) return format_datetime(ctx, value, format, language);
  return format_number(ctx, to_number(value).as_number(), format, *symbols);
}

bool formattable(const Type& t) {
  switch (t.kind()) {
    case TypeKind::Number:
    case TypeKind::Decimal:
    case TypeKind::Date:
    case TypeKind::DateTime:
    case TypeKind::Time:
    case TypeKind::Blank:
    case TypeKind::Untyped:
    case TypeKind::Unknown:
    case TypeKind::Error:
      return true;
    default:
      return false;
  }
}

// Text's type rule: scalars only; a format applies to numbers and dates/times,
// and a constant format must be valid.
Type check_text(CheckContext& ctx) {
  const Type& t = ctx.arg_type(0);
  if (t.is_aggregate()) {
    ctx.error(ctx.arg_span(0),
              "Invalid argument type (" + t.name() + "). Expecting a Text value instead.");
    return Type::text();
  }
  for (size_t i = 1; i < ctx.arg_count(); ++i)
    if (!ctx.arg_type(i).is(TypeKind::Enum)) ctx.coerce(i, Type::text());
  if (ctx.arg_count() < 2) return Type::text();
  if (!formattable(t)) {
    ctx.warning(ctx.arg_span(1),
                "The second argument of the 'Text' function is only supported "
                "for numeric and date/time values.");
    return Type::text();
  }
  // A literal, or an interpolation of constants ($"#{Char(160)}##0").
  const Value* format = ctx.arg_is_literal(1) ? ctx.arg_folded(1) : nullptr;
  if (format && format->is_text()) {
    ParsedFormat parsed = parse_format(format->as_text());
    bool bad = parsed.kind == FormatKind::Invalid;
    if (!bad && parsed.kind == FormatKind::Number)
      for (const std::string& s : parsed.sections) bad = bad || !parse_number_section(s);
    if (bad) ctx.warning(ctx.arg_span(1), kBadFormat);
  }
  return Type::text();
}

const FunctionDef kTextFormat[] = {
    {.name = "Text",
     .params = "aa?a?",
     .invoke = invoke_text,
     .check = check_text,
     .blanks = BlankPolicy::Keep,
     .page = "function-text.md"},
};

}  // namespace

FunctionTable text_format_functions() { return kTextFormat; }

}  // namespace canvasfx::stdlib
