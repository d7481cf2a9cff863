// Conversion functions: Value, Float, Boolean.
//
// Value and Float parse text the way .NET's NumberStyles.Any does for the
// language's symbols (sign, parentheses, currency symbol, thousands separators,
// exponent, surrounding white space), plus Power Fx's percent sign, which may
// lead or trail and divides by 100. Dates and times convert to their serial
// day number (days since 1899-12-30, time as a fraction of a day).
#include <cmath>
#include <optional>
#include <string>

#include "canvasfx/unicode.h"
#include "families.h"
#include "support.h"
#include "text_format.h"

namespace canvasfx::stdlib {
namespace {

bool is_space(char32_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0x202F;
}

// Parses number text with the given symbols; nullopt when it is not a number.
class NumberParser {
 public:
  NumberParser(std::u32string_view s, const NumberSymbols& symbols) : s_(s), sym_(symbols) {}

  std::optional<double> parse() {
    if (!affixes(/*leading=*/true)) return std::nullopt;
    std::string digits;
    if (!mantissa(digits)) return std::nullopt;
    if (!exponent(digits)) return std::nullopt;
    if (!affixes(/*leading=*/false)) return std::nullopt;
    if (pos_ != s_.size() || paren_open_) return std::nullopt;
    double value = std::strtod(digits.c_str(), nullptr);
    if (!std::isfinite(value)) return std::nullopt;
    if (negative_) value = -value;
    return percent_ ? value / 100 : value;
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char32_t peek() const { return at_end() ? 0 : s_[pos_]; }
  bool is_digit(char32_t c) const { return c >= '0' && c <= '9'; }

  bool match(std::u32string_view text) {
    if (text.empty() || s_.substr(pos_, text.size()) != text) return false;
    pos_ += text.size();
    return true;
  }

  // White space, one sign or parenthesis, one currency symbol or one percent
  // sign, in any order, before or after the digits.
  bool affixes(bool leading) {
    while (!at_end() && !(leading && (is_digit(peek()) || peek() == sym_.decimal[0]))) {
      char32_t c = peek();
      if (is_space(c)) {
        ++pos_;
      } else if (leading && (c == '+' || c == '-')) {
        if (signed_) return false;
        signed_ = true;
        negative_ = c == '-';
        ++pos_;
      } else if (leading && c == '(') {
        if (signed_) return false;
        signed_ = paren_open_ = negative_ = true;
        ++pos_;
      } else if (!leading && c == ')' && paren_open_) {
        paren_open_ = false;
        ++pos_;
      } else if (c == '%') {
        if (percent_ || currency_) return false;
        percent_ = true;
        ++pos_;
      } else if (match(sym_.currency)) {
        if (percent_ || currency_) return false;
        currency_ = true;
      } else {
        return false;
      }
    }
    return true;
  }

  // Integer digits with thousands separators, then optional decimals.
  bool mantissa(std::string& out) {
    bool any = false;
    while (!at_end()) {
      char32_t c = peek();
      if (is_digit(c)) {
        out += static_cast<char>(c);
        any = true;
        ++pos_;
      } else if (any && is_group(c)) {
        ++pos_;
      } else {
        break;
      }
    }
    if (match(sym_.decimal)) {
      out += '.';
      while (!at_end() && is_digit(peek())) {
        out += static_cast<char>(peek());
        any = true;
        ++pos_;
      }
    }
    return any;
  }

  bool is_group(char32_t c) const {
    if (sym_.group.empty()) return false;
    // Languages grouping with a (narrow) no-break space accept a plain space.
    if (is_space(sym_.group[0]) && (c == ' ' || is_space(c)))
      return pos_ + 1 < s_.size() && is_digit(s_[pos_ + 1]);
    return c == sym_.group[0];
  }

  bool exponent(std::string& out) {
    if (peek() != 'e' && peek() != 'E') return true;
    out += 'e';
    ++pos_;
    if (peek() == '+' || peek() == '-') out += static_cast<char>(s_[pos_++]);
    bool any = false;
    while (!at_end() && is_digit(peek())) {
      out += static_cast<char>(s_[pos_++]);
      any = true;
    }
    return any;
  }

  std::u32string_view s_;
  const NumberSymbols& sym_;
  size_t pos_ = 0;
  bool signed_ = false, negative_ = false, paren_open_ = false;
  bool percent_ = false, currency_ = false;
};

std::u32string to_utf32(std::string_view s) {
  std::u16string u16 = to_utf16(s);
  std::u32string out;
  for (size_t i = 0; i < u16.size(); ++i) {
    char32_t c = u16[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < u16.size())
      c = 0x10000 + ((c - 0xD800) << 10) + (u16[++i] - 0xDC00);
    out += c;
  }
  return out;
}

Value number_from_text(CallContext& ctx, const std::string& text, std::string_view language) {
  if (text.empty()) return Value::blank();
  std::optional<NumberSymbols> symbols = number_symbols(language);
  if (!symbols) return ctx.error(ErrorKind::BadLanguageCode);
  std::u32string s = to_utf32(text);
  std::optional<double> n = NumberParser(s, *symbols).parse();
  if (!n)
    return ctx.error(ErrorKind::InvalidArgument,
                     "The value '" + text + "' cannot be converted to a number.");
  return Value::number(*n);
}

// Value(value [, language]), Float(value [, language]) – function-value.md
Value invoke_value(CallContext& ctx) {
  const Value& v = ctx.arg(0);
  std::string language = ctx.arg_count() > 1 ? ctx.arg(1).as_text() : "";
  if (v.is_text()) return number_from_text(ctx, v.as_text(), language);
  if (v.is(ValueKind::Untyped) && v.as_untyped().shape() == UntypedObject::Shape::String)
    return number_from_text(ctx, v.as_untyped().string(), language);
  return to_number(v, ctx.span());  // dates and times: serial days
}

// Value and Float take any scalar that has a number meaning.
Type check_value(CheckContext& ctx) {
  const Type& t = ctx.arg_type(0);
  if (t.is_aggregate() || t.is(TypeKind::Color) || t.is(TypeKind::Guid)) {
    ctx.error(ctx.arg_span(0),
              "Invalid argument type (" + t.name() + "). Expecting a Number value instead.");
  }
  if (ctx.arg_count() > 1) ctx.coerce(1, Type::text());
  return Type::number();
}

// Boolean(value) – function-boolean.md: the binder's coercion to Boolean does
// the work ("true"/"false" in any case, numbers by non-zero); Blank stays Blank.
Value invoke_boolean(CallContext& ctx) { return ctx.arg(0); }

// IsNumeric(value) – function-isnumeric.md: numbers, dates and times (serial
// numbers), and text that reads as a number. Booleans, records and tables are not.
Value invoke_is_numeric(CallContext& ctx) {
  const Value& v = ctx.arg(0);
  switch (v.kind()) {
    case ValueKind::Number:
    case ValueKind::Date:
    case ValueKind::DateTime:
    case ValueKind::Time:
      return Value::boolean(true);
    case ValueKind::Text:
      return Value::boolean(parse_number(v.as_text()).has_value());
    case ValueKind::Untyped:
      return Value::boolean(v.as_untyped().shape() == UntypedObject::Shape::Number);
    default:
      return Value::boolean(false);
  }
}

const FunctionDef kConversion[] = {
    {.name = "IsNumeric",
     .params = "a",
     .returns = "b",
     .invoke = invoke_is_numeric,
     .blanks = BlankPolicy::Keep,
     .page = "function-isnumeric.md"},
    {.name = "Value",
     .params = "aa?",
     .invoke = invoke_value,
     .check = check_value,
     .blanks = BlankPolicy::Keep,
     .page = "function-value.md"},
    {.name = "Float",
     .params = "aa?",
     .invoke = invoke_value,
     .check = check_value,
     .blanks = BlankPolicy::Keep,
     .page = "function-value.md"},
    {.name = "Boolean",
     .params = "b",
     .returns = "b",
     .invoke = invoke_boolean,
     .blanks = BlankPolicy::Keep,
     .table_overload = true,
     .page = "function-boolean.md"},
};

}  // namespace

FunctionTable conversion_functions() { return kConversion; }

}  // namespace canvasfx::stdlib
