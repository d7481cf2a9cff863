// Implicit and explicit conversions (coerce.h).
#include "canvasfx/coerce.h"

#include <cctype>
#include <charconv>
#include <cmath>

#include "canvasfx/calendar.h"
#include "canvasfx/engine.h"

namespace canvasfx {
namespace {

bool is_datetime_kind(TypeKind k) {
  return k == TypeKind::Date || k == TypeKind::DateTime || k == TypeKind::Time;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

bool can_coerce(const Type& from, const Type& to) {
  TypeKind f = from.kind(), t = to.kind();
  if (f == TypeKind::Unknown || t == TypeKind::Unknown || f == TypeKind::Blank) return true;
  if (f == TypeKind::Error) return true;
  if (f == t) {
    if (f == TypeKind::Enum) return from.enum_info() == to.enum_info();
    return true;
  }
  if (f == TypeKind::Enum && from.enum_info() && !from.enum_info()->strongly_typed)
    return can_coerce(Type(from.enum_info()->underlying), to);
  switch (t) {
    case TypeKind::Number:
      return f == TypeKind::Boolean || f == TypeKind::Text || is_datetime_kind(f) ||
             f == TypeKind::Untyped;
    case TypeKind::Text:
      return f == TypeKind::Number || f == TypeKind::Boolean || is_datetime_kind(f) ||
             f == TypeKind::Guid || f == TypeKind::Untyped || f == TypeKind::Hyperlink;
    case TypeKind::Boolean:
      return f == TypeKind::Number || f == TypeKind::Text || f == TypeKind::Untyped;
    case TypeKind::Date:
    case TypeKind::DateTime:
      return f == TypeKind::Date || f == TypeKind::DateTime || f == TypeKind::Text ||
             f == TypeKind::Number || f == TypeKind::Untyped;
    case TypeKind::Time:
      return f == TypeKind::Text || f == TypeKind::Number || f == TypeKind::Untyped ||
             f == TypeKind::DateTime;
    case TypeKind::Guid: return f == TypeKind::Text || f == TypeKind::Untyped;
    case TypeKind::Hyperlink:
    case TypeKind::Image: return f == TypeKind::Text;
    case TypeKind::Color: return f == TypeKind::Untyped;
    default: return false;
  }
}

std::optional<double> parse_number(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  bool percent = false;
  if (s.back() == '%') {
    percent = true;
    s.remove_suffix(1);
    s = trim(s);
  }
  std::string cleaned;
  cleaned.reserve(s.size());
  bool negative = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  bool seen_digit = false, seen_dot = false, seen_exp = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      seen_digit = true;
      cleaned += c;
    } else if (c == ',' && !seen_dot && !seen_exp && seen_digit) {
      continue;  // thousands separator
    } else if (c == '.' && !seen_dot && !seen_exp) {
      seen_dot = true;
      cleaned += c;
    } else if ((c == 'e' || c == 'E') && seen_digit && !seen_exp) {
      seen_exp = true;
      cleaned += c;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) cleaned += s[++i];
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  if (!cleaned.empty() && (cleaned.back() == 'e' || cleaned.back() == 'E' ||
                           cleaned.back() == '+' || cleaned.back() == '-'))
    return std::nullopt;
  double value = 0;
  auto res = std::from_chars(cleaned.data(), cleaned.data() + cleaned.size(), value);
  if (res.ec == std::errc::result_out_of_range) return std::nullopt;
  if (res.ec != std::errc() || res.ptr != cleaned.data() + cleaned.size()) return std::nullopt;
  if (negative) value = -value;
  if (percent) value /= 100;
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::string number_to_text(double n) { return print_number(n); }

std::optional<Value> parse_datetime_text(std::string_view text, TypeKind target) {
  std::string_view s = trim(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  auto read_int = [&](size_t& pos, int digits_min, int digits_max, int& out) {
    int n = 0, count = 0;
    while (pos < s.size() && count < digits_max && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      n = n * 10 + (s[pos] - '0');
      ++pos;
      ++count;
    }
    out = n;
    return count >= digits_min;
  };
  size_t p = 0;
  bool has_date = false, has_time = false;
  if (s.size() >= 8 && s.find('-') != std::string_view::npos) {
    if (!read_int(p, 4, 4, y) || p >= s.size() || s[p++] != '-' || !read_int(p, 1, 2, mo) ||
        p >= s.size() || s[p++] != '-' || !read_int(p, 1, 2, d))
      return std::nullopt;
    has_date = true;
    if (p < s.size() && (s[p] == 'T' || s[p] == ' ')) ++p;
  }
  if (p < s.size()) {
    if (!read_int(p, 1, 2, h) || p >= s.size() || s[p++] != ':' || !read_int(p, 1, 2, mi))
      return std::nullopt;
    if (p < s.size() && s[p] == ':') {
      ++p;
      if (!read_int(p, 1, 2, sec)) return std::nullopt;
      if (p < s.size() && s[p] == '.') {
        ++p;
        size_t start = p;
        int frac = 0;
        read_int(p, 1, 9, frac);
        size_t len = p - start;
        while (len > 3) {
          frac /= 10;
          --len;
        }
        while (len < 3) {
          frac *= 10;
          ++len;
        }
        ms = frac;
      }
    }
    has_time = true;
    if (p < s.size() && s[p] == 'Z') ++p;
  }
  if (p != s.size() || (!has_date && !has_time)) return std::nullopt;
  if (has_date && (mo < 1 || mo > 12 || d < 1 || d > 31)) return std::nullopt;
  int64_t time_ms = ((h * 60LL + mi) * 60 + sec) * 1000 + ms;
  int64_t days = has_date ? days_from_civil(y, mo, d) : 0;
  switch (target) {
    case TypeKind::Date: return Value::date(days);
    case TypeKind::Time: return Value::time(time_ms);
    default: return Value::datetime(days * kMsPerDay + time_ms);
  }
}

Value to_number(const Value& v, Span span) {
  switch (v.kind()) {
    case ValueKind::Number:
    case ValueKind::Blank:
    case ValueKind::Error: return v;
    case ValueKind::Boolean: return Value::number(v.as_boolean() ? 1 : 0);
    case ValueKind::Text: {
      auto n = parse_number(v.as_text());
      if (!n) return Value::error(ErrorKind::InvalidArgument, "The value '" + v.as_text() +
                                  "' cannot be converted to a number.", span);
      return Value::number(*n);
    }
    case ValueKind::Date: return Value::number(static_cast<double>(v.as_date() * kMsPerDay));
    case ValueKind::DateTime: return Value::number(static_cast<double>(v.as_datetime()));
    case ValueKind::Time: return Value::number(static_cast<double>(v.as_time()));
    case ValueKind::Enum: return to_number(v.enum_underlying(), span);
    case ValueKind::Untyped: {
      const auto& u = v.as_untyped();
      switch (u.shape()) {
        case UntypedObject::Shape::Null: return Value::blank();
        case UntypedObject::Shape::Number: return Value::number(u.number());
        case UntypedObject::Shape::Boolean: return Value::number(u.boolean() ? 1 : 0);
        case UntypedObject::Shape::String: return to_number(Value::text(u.string()), span);
        default: return Value::error(ErrorKind::InvalidArgument, "Expected a number", span);
      }
    }
    default:
      return Value::error(ErrorKind::InvalidArgument, "Cannot convert to a number", span);
  }
}

Value to_text(const Value& v, Span span) {
  switch (v.kind()) {
    case ValueKind::Text:
    case ValueKind::Blank:
    case ValueKind::Error: return v;
    case ValueKind::Number: return Value::text(number_to_text(v.as_number()));
    case ValueKind::Boolean: return Value::text(v.as_boolean() ? "true" : "false");
    case ValueKind::Guid: {
      std::string s = print_value(v);  // GUID("...")
      return Value::text(s.substr(6, s.size() - 8));
    }
    case ValueKind::Date: {
      auto c = civil_from_days(v.as_date());
      return Value::text(std::to_string(c.month) + "/" + std::to_string(c.day) + "/" +
                         std::to_string(c.year));
    }
    case ValueKind::DateTime: {
      auto p = split_datetime(v.as_datetime());
      int hour12 = p.hour % 12 == 0 ? 12 : p.hour % 12;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%d/%d/%lld %d:%02d %s", p.month, p.day,
                    static_cast<long long>(p.year), hour12, p.minute, p.hour < 12 ? "AM" : "PM");
      return Value::text(buf);
    }
    case ValueKind::Time: {
      int64_t ms = ((v.as_time() % kMsPerDay) + kMsPerDay) % kMsPerDay;
      int hour = static_cast<int>(ms / 3600000), minute = static_cast<int>(ms / 60000 % 60);
      int hour12 = hour % 12 == 0 ? 12 : hour % 12;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%d:%02d %s", hour12, minute, hour < 12 ? "AM" : "PM");
      return Value::text(buf);
    }
    case ValueKind::Enum: return to_text(v.enum_underlying(), span);
    case ValueKind::Untyped: {
      const auto& u = v.as_untyped();
      switch (u.shape()) {
        case UntypedObject::Shape::Null: return Value::blank();
        case UntypedObject::Shape::String: return Value::text(u.string());
        case UntypedObject::Shape::Number: return Value::text(number_to_text(u.number()));
        case UntypedObject::Shape::Boolean: return Value::text(u.boolean() ? "true" : "false");
        default: return Value::error(ErrorKind::InvalidArgument, "Expected a text value", span);
      }
    }
    default: return Value::error(ErrorKind::InvalidArgument, "Cannot convert to text", span);
  }
}

Value to_boolean(const Value& v, Span span) {
  switch (v.kind()) {
    case ValueKind::Boolean:
    case ValueKind::Blank:
    case ValueKind::Error: return v;
    case ValueKind::Number: return Value::boolean(v.as_number() != 0);
    case ValueKind::Text: {
      std::string lower;
      for (char c : v.as_text()) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true") return Value::boolean(true);
      if (lower == "false") return Value::boolean(false);
      if (lower.empty()) return Value::blank();
      return Value::error(ErrorKind::InvalidArgument,
                          "The value '" + v.as_text() + "' cannot be converted to a boolean.", span);
    }
    case ValueKind::Enum: return to_boolean(v.enum_underlying(), span);
    case ValueKind::Untyped: {
      const auto& u = v.as_untyped();
      switch (u.shape()) {
        case UntypedObject::Shape::Null: return Value::blank();
        case UntypedObject::Shape::Boolean: return Value::boolean(u.boolean());
        case UntypedObject::Shape::Number: return Value::boolean(u.number() != 0);
        case UntypedObject::Shape::String: return to_boolean(Value::text(u.string()), span);
        default: return Value::error(ErrorKind::InvalidArgument, "Expected a boolean", span);
      }
    }
    default: return Value::error(ErrorKind::InvalidArgument, "Cannot convert to a boolean", span);
  }
}

Value coerce_to(const Value& v, TypeKind to, Span span) {
  if (v.is_blank() || v.is_error()) return v;
  switch (to) {
    case TypeKind::Number: return to_number(v, span);
    case TypeKind::Text: return to_text(v, span);
    case TypeKind::Boolean: return to_boolean(v, span);
    case TypeKind::Date:
    case TypeKind::DateTime:
    case TypeKind::Time: {
      if (v.is(ValueKind::Enum)) return coerce_to(v.enum_underlying(), to, span);
      if (v.is(ValueKind::Date)) {
        if (to == TypeKind::Date) return v;
        if (to == TypeKind::DateTime) return Value::datetime(v.as_date() * kMsPerDay);
        return Value::time(0);
      }
      if (v.is(ValueKind::DateTime)) {
        if (to == TypeKind::DateTime) return v;
        if (to == TypeKind::Date) return Value::date(floor_div(v.as_datetime(), kMsPerDay));
        return Value::time(v.as_datetime() - floor_div(v.as_datetime(), kMsPerDay) * kMsPerDay);
      }
      if (v.is(ValueKind::Time)) {
        if (to == TypeKind::Time) return v;
        return Value::datetime(v.as_time());
      }
      if (v.is_number()) {
        double n = v.as_number();
        if (to == TypeKind::Date) return Value::date(floor_div(static_cast<int64_t>(n), kMsPerDay));
        if (to == TypeKind::DateTime) return Value::datetime(static_cast<int64_t>(n));
        return Value::time(static_cast<int64_t>(n));
      }
      Value text = to_text(v, span);
      if (text.is_error()) return text;
      auto parsed = parse_datetime_text(text.as_text(), to);
      if (!parsed) return Value::error(ErrorKind::InvalidArgument, "Invalid date/time text", span);
      return *parsed;
    }
    case TypeKind::Guid: {
      if (v.is(ValueKind::Guid)) return v;
      Value text = to_text(v, span);
      if (text.is_error()) return text;
      std::string hex;
      for (char c : text.as_text())
        if (std::isxdigit(static_cast<unsigned char>(c))) hex += c;
        else if (c != '-' && c != '{' && c != '}')
          return Value::error(ErrorKind::InvalidArgument, "Invalid GUID", span);
      if (hex.size() != 32) return Value::error(ErrorKind::InvalidArgument, "Invalid GUID", span);
      Guid g{};
      for (int i = 0; i < 16; ++i) g[i] = static_cast<uint8_t>(std::stoi(hex.substr(i * 2, 2), nullptr, 16));
      return Value::guid(g);
    }
    case TypeKind::Color:
      if (v.is(ValueKind::Enum)) return v.enum_underlying();
      return v;
    default: return v;
  }
}

Value default_for(TypeKind kind) {
  switch (kind) {
    case TypeKind::Number: return Value::number(0);
    case TypeKind::Text: return Value::text("");
    case TypeKind::Boolean: return Value::boolean(false);
    default: return Value::blank();
  }
}

}  // namespace canvasfx
