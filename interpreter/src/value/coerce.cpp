// Implicit and explicit conversions (coerce.h).
#include "canvasfx/coerce.h"

#include <unicode/datefmt.h>
#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include "canvasfx/calendar.h"
#include "canvasfx/engine.h"
#include "canvasfx/unicode.h"

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
  // Every enum member is text: its text, or its name (Color.Red & "" is "Red").
  if (f == TypeKind::Enum && t == TypeKind::Text) return true;
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
             f == TypeKind::Number || f == TypeKind::Untyped ||
             f == TypeKind::Time;  // a time is a time of serial day 0
    case TypeKind::Time:
      return f == TypeKind::Text || f == TypeKind::Number || f == TypeKind::Untyped ||
             f == TypeKind::DateTime;
    case TypeKind::Guid:
      return f == TypeKind::Text || f == TypeKind::Untyped;
    case TypeKind::Hyperlink:
    case TypeKind::Image:
      return f == TypeKind::Text;
    case TypeKind::Color:
      return f == TypeKind::Untyped;
    default:
      return false;
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

// --- date/time text ------------------------------------------------------
//
// Text is split into numbers, words and separators. Words must be month,
// weekday or AM/PM names of the language (from ICU); weekday names are
// ignored. A time is "h:mm[:ss[.fff]]" with an optional AM/PM; the other
// numbers form the date, in the language's day/month/year order unless a
// month name or a leading 4-digit year decides it.

namespace {

struct LocaleWords {
  std::vector<std::pair<std::string, int>> months;  // lower-case name -> 1..12
  std::vector<std::string> weekdays;                // lower-case, full and abbreviated
  std::string am, pm;                               // lower-case
  std::string order = "mdy";                        // of the short date pattern
};

std::string lower_utf8(const icu::UnicodeString& u) {
  std::string out;
  icu::UnicodeString copy(u);
  copy.toLower(icu::Locale::getRoot()).toUTF8String(out);
  // "juil." and "juil" are the same month.
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

const LocaleWords& locale_words(std::string_view language) {
  thread_local std::map<std::string, LocaleWords, std::less<>> cache;
  auto it = cache.find(language);
  if (it != cache.end()) return it->second;
  LocaleWords words;
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(std::string(language), status);
  status = U_ZERO_ERROR;
  icu::DateFormatSymbols symbols(locale, status);
  if (U_SUCCESS(status)) {
    using DFS = icu::DateFormatSymbols;
    for (auto context : {DFS::FORMAT, DFS::STANDALONE})
      for (auto width : {DFS::WIDE, DFS::ABBREVIATED}) {
        int32_t count = 0;
        const icu::UnicodeString* names = symbols.getMonths(count, context, width);
        for (int32_t i = 0; i < count && i < 12; ++i)
          words.months.emplace_back(lower_utf8(names[i]), i + 1);
        names = symbols.getWeekdays(count, context, width);
        for (int32_t i = 1; i < count; ++i) words.weekdays.push_back(lower_utf8(names[i]));
      }
    int32_t count = 0;
    const icu::UnicodeString* ampm = symbols.getAmPmStrings(count);
    if (count >= 2) words.am = lower_utf8(ampm[0]), words.pm = lower_utf8(ampm[1]);
  }
  std::unique_ptr<icu::DateFormat> format(
      icu::DateFormat::createDateInstance(icu::DateFormat::kShort, locale));
  if (auto* simple = dynamic_cast<icu::SimpleDateFormat*>(format.get())) {
    icu::UnicodeString pattern;
    std::string p;
    simple->toPattern(pattern).toUTF8String(p);
    std::string order;
    for (char c : p) {
      char k = c == 'y' ? 'y' : c == 'M' || c == 'L' ? 'm' : c == 'd' ? 'd' : 0;
      if (k && order.find(k) == std::string::npos) order += k;
    }
    if (order.size() == 3) words.order = order;
  }
  return cache.emplace(std::string(language), std::move(words)).first->second;
}

struct Token {
  enum Kind { Number, Word, Sep } kind;
  std::string text;  // digits, lower-case word, or the separator character
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isdigit(c)) {
      size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Token::Number, std::string(s.substr(i, j - i))});
      i = j;
    } else if (std::isalpha(c) || c >= 0x80) {
      size_t j = i;
      while (j < s.size() && (std::isalpha(static_cast<unsigned char>(s[j])) ||
                              static_cast<unsigned char>(s[j]) >= 0x80))
        ++j;
      out.push_back({Token::Word, utf8_lower(s.substr(i, j - i))});
      i = j;
    } else {
      if (!std::isspace(c)) out.push_back({Token::Sep, std::string(1, s[i])});
      ++i;
    }
  }
  return out;
}

int to_int(const std::string& digits) { return digits.size() > 9 ? INT32_MAX : std::stoi(digits); }

// "yyyy-mm-dd[Thh:mm[:ss[.fffffff]]][Z|±hh:mm]" exactly.
std::optional<ParsedDateTime> parse_iso(std::string_view s) {
  size_t p = 0;
  auto read = [&](size_t min, size_t max, int& out) {
    size_t start = p;
    out = 0;
    while (p < s.size() && p - start < max && std::isdigit(static_cast<unsigned char>(s[p])))
      out = out * 10 + (s[p++] - '0');
    return p - start >= min;
  };
  auto expect = [&](char c) { return p < s.size() && s[p] == c && (++p, true); };
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!read(4, 4, y) || !expect('-') || !read(1, 2, mo) || !expect('-') || !read(1, 2, d))
    return std::nullopt;
  ParsedDateTime out;
  out.has_date = true;
  if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
    ++p;
    if (!read(1, 2, h) || !expect(':') || !read(1, 2, mi)) return std::nullopt;
    if (expect(':')) {
      if (!read(1, 2, sec)) return std::nullopt;
      if (expect('.')) {
        size_t start = p;
        int frac = 0;
        read(1, 9, frac);
        for (size_t len = p - start; len != 3; len += len < 3 ? 1 : -1)
          frac = len < 3 ? frac * 10 : frac / 10;
        ms = frac;
      }
    }
    out.has_time = true;
    if (expect('Z') || expect('z')) {
      out.utc_offset_minutes = 0;
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      int sign = s[p++] == '-' ? -1 : 1, oh = 0, om = 0;
      if (!read(2, 2, oh)) return std::nullopt;
      expect(':');
      read(2, 2, om);
      out.utc_offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (p != s.size() || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 24 ||
      mi > 59 || sec > 59)
    return std::nullopt;
  out.wall_ms = days_from_civil(y, mo, d) * kMsPerDay + ((h * 60LL + mi) * 60 + sec) * 1000 + ms;
  return out;
}

// A two-digit year is within 2049 and the 99 years before it (as .NET's calendars).
int64_t expand_year(const std::string& digits) {
  int64_t y = to_int(digits);
  if (digits.size() <= 2) y += y <= 49 ? 2000 : 1900;
  return y;
}

}  // namespace

std::optional<ParsedDateTime> parse_datetime(std::string_view text, std::string_view language) {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (auto iso = parse_iso(s)) return iso;
  const LocaleWords& words = locale_words(language.empty() ? "en-US" : language);
  std::vector<Token> tokens = tokenize(s);
  ParsedDateTime out;
  // The time: number ':' number [':' number ['.' digits]] [am/pm].
  int h = 0, mi = 0, sec = 0, ms = 0;
  std::vector<Token> date;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    bool starts_time = !out.has_time && t.kind == Token::Number && i + 2 < tokens.size() &&
                       tokens[i + 1].text == ":" && tokens[i + 2].kind == Token::Number;
    if (starts_time) {
      h = to_int(t.text);
      mi = to_int(tokens[i + 2].text);
      i += 2;
      if (i + 2 < tokens.size() && tokens[i + 1].text == ":" &&
          tokens[i + 2].kind == Token::Number) {
        sec = to_int(tokens[i + 2].text);
        i += 2;
        if (i + 2 < tokens.size() && tokens[i + 1].text == "." &&
            tokens[i + 2].kind == Token::Number) {
          std::string frac = (tokens[i + 2].text + "000").substr(0, 3);
          ms = to_int(frac);
          i += 2;
        }
      }
      out.has_time = true;
      if (mi > 59 || sec > 59) return std::nullopt;
      continue;
    }
    if (t.kind == Token::Word) {
      bool am = t.text == "am" || t.text == "a" || t.text == words.am;
      bool pm = t.text == "pm" || t.text == "p" || t.text == words.pm;
      if (am || pm) {
        if (!out.has_time || h < 1 || h > 12) return std::nullopt;
        h = h % 12 + (pm ? 12 : 0);
        continue;
      }
      if (std::find(words.weekdays.begin(), words.weekdays.end(), t.text) != words.weekdays.end())
        continue;
    }
    date.push_back(t);
  }
  // The date: numbers and at most one month name; separators are free.
  std::vector<std::string> numbers;
  int named_month = 0;
  for (const Token& t : date) {
    if (t.kind == Token::Number) {
      numbers.push_back(t.text);
    } else if (t.kind == Token::Word) {
      auto m = std::find_if(words.months.begin(), words.months.end(),
                            [&](const auto& entry) { return entry.first == t.text; });
      if (m == words.months.end() || named_month) return std::nullopt;
      named_month = m->second;
    }
  }
  if (!numbers.empty() || named_month) {
    int64_t y;
    int mo, d;
    if (named_month) {
      if (numbers.size() != 2) return std::nullopt;
      mo = named_month;
      // "21 juillet 2022", "March 30, 2022", "2022 March 30": the long number is the year.
      bool year_first = numbers[0].size() > 2 && numbers[1].size() <= 2;
      y = expand_year(numbers[year_first ? 0 : 1]);
      d = to_int(numbers[year_first ? 1 : 0]);
    } else {
      if (numbers.size() != 3) return std::nullopt;
      std::string order = numbers[0].size() > 2 ? "ymd" : words.order;
      std::string yd, md, dd;
      for (int i = 0; i < 3; ++i) {
        char field = order[i];
        (field == 'y' ? yd : field == 'm' ? md : dd) = numbers[i];
      }
      y = expand_year(yd);
      mo = to_int(md);
      d = to_int(dd);
    }
    if (y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
      return std::nullopt;
    out.has_date = true;
    out.wall_ms = days_from_civil(y, mo, d) * kMsPerDay;
  } else if (!out.has_time || !date.empty()) {
    return std::nullopt;
  } else {
    out.wall_ms = kSerialEpochDays * kMsPerDay;
  }
  if (!date.empty() && !out.has_date) return std::nullopt;
  out.wall_ms += ((h * 60LL + mi) * 60 + sec) * 1000 + ms;
  return out;
}

std::optional<Value> parse_datetime_text(std::string_view text, TypeKind target) {
  auto parsed = parse_datetime(text);
  if (!parsed) return std::nullopt;
  int64_t ms = parsed->wall_ms;
  switch (target) {
    case TypeKind::Date:
      return Value::date(floor_div(ms, kMsPerDay));
    case TypeKind::Time:
      return Value::time(ms - floor_div(ms, kMsPerDay) * kMsPerDay);
    default:
      return Value::datetime(ms);
  }
}

Value to_number(const Value& v, Span span) {
  switch (v.kind()) {
    case ValueKind::Number:
    case ValueKind::Blank:
    case ValueKind::Error:
      return v;
    case ValueKind::Boolean:
      return Value::number(v.as_boolean() ? 1 : 0);
    case ValueKind::Text: {
      if (v.as_text().empty()) return Value::blank();  // "" is no number, as Value("") is Blank
      auto n = parse_number(v.as_text());
      if (!n)
        return Value::error(ErrorKind::InvalidArgument,
                            "The value '" + v.as_text() + "' cannot be converted to a number.",
                            span);
      return Value::number(*n);
    }
    // Dates are serial day numbers (days since 1899-12-30), times fractions of a day.
    case ValueKind::Date:
      return Value::number(static_cast<double>(v.as_date() - kSerialEpochDays));
    case ValueKind::DateTime:
      // Integer arithmetic first: days + fraction loses the last bits of small times.
      return Value::number(static_cast<double>(v.as_datetime() - kSerialEpochDays * kMsPerDay) /
                           kMsPerDay);
    case ValueKind::Time:
      return Value::number(static_cast<double>(v.as_time()) / kMsPerDay);
    case ValueKind::Enum:
      return to_number(v.enum_underlying(), span);
    case ValueKind::Untyped: {
      const auto& u = v.as_untyped();
      switch (u.shape()) {
        case UntypedObject::Shape::Null:
          return Value::blank();
        case UntypedObject::Shape::Number:
          return Value::number(u.number());
        case UntypedObject::Shape::Boolean:
          return Value::number(u.boolean() ? 1 : 0);
        case UntypedObject::Shape::String:
          return to_number(Value::text(u.string()), span);
        default:
          return Value::error(ErrorKind::InvalidArgument, "Expected a number", span);
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
    case ValueKind::Error:
      return v;
    case ValueKind::Number:
      return Value::text(number_to_text(v.as_number()));
    case ValueKind::Boolean:
      return Value::text(v.as_boolean() ? "true" : "false");
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
    case ValueKind::Enum:
      // A text-backed member is its text (MatchOptions.IgnoreCase is "i");
      // any other is its name (StartOfWeek.Monday is "Monday", not 2).
      if (v.enum_underlying().is_text()) return v.enum_underlying();
      return Value::text(v.enum_member_name());
    case ValueKind::Untyped: {
      const auto& u = v.as_untyped();
      switch (u.shape()) {
        case UntypedObject::Shape::Null:
          return Value::blank();
        case UntypedObject::Shape::String:
          return Value::text(u.string());
        case UntypedObject::Shape::Number:
          return Value::text(u.number_text());  // as written in the JSON
        case UntypedObject::Shape::Boolean:
          return Value::text(u.boolean() ? "true" : "false");
        default:
          return Value::error(ErrorKind::InvalidArgument, "Expected a text value", span);
      }
    }
    default:
      return Value::error(ErrorKind::InvalidArgument, "Cannot convert to text", span);
  }
}

Value to_boolean(const Value& v, Span span) {
  switch (v.kind()) {
    case ValueKind::Boolean:
    case ValueKind::Blank:
    case ValueKind::Error:
      return v;
    case ValueKind::Number:
      return Value::boolean(v.as_number() != 0);
    case ValueKind::Text: {
      std::string lower;
      for (char c : v.as_text())
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true") return Value::boolean(true);
      if (lower == "false") return Value::boolean(false);
      if (lower.empty()) return Value::blank();
      return Value::error(ErrorKind::InvalidArgument,
                          "The value '" + v.as_text() + "' cannot be converted to a boolean.",
                          span);
    }
    case ValueKind::Enum:
      return to_boolean(v.enum_underlying(), span);
    case ValueKind::Untyped: {
      const auto& u = v.as_untyped();
      switch (u.shape()) {
        case UntypedObject::Shape::Null:
          return Value::blank();
        case UntypedObject::Shape::Boolean:
          return Value::boolean(u.boolean());
        case UntypedObject::Shape::Number:
          return Value::boolean(u.number() != 0);
        case UntypedObject::Shape::String:
          return to_boolean(Value::text(u.string()), span);
        default:
          return Value::error(ErrorKind::InvalidArgument, "Expected a boolean", span);
      }
    }
    default:
      return Value::error(ErrorKind::InvalidArgument, "Cannot convert to a boolean", span);
  }
}

namespace {
// A JSON string "#rrggbb" or "#rrggbbaa" is a color; no color names.
Value untyped_to_color(const UntypedObject& u, Span span) {
  if (u.shape() == UntypedObject::Shape::Null) return Value::blank();
  Value bad = Value::error(ErrorKind::InvalidArgument, "Expected a color", span);
  if (u.shape() != UntypedObject::Shape::String) return bad;
  std::string text = u.string();
  if (text.empty() || text[0] != '#') return bad;
  std::string hex = text.substr(1);
  if (hex.size() == 6) hex += "ff";
  if (hex.size() != 8 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    return bad;
  return Value::color(static_cast<uint32_t>(std::stoul(hex, nullptr, 16)));
}
}  // namespace

Value coerce_to(const Value& v, TypeKind to, Span span) {
  if (v.is_blank() || v.is_error()) return v;
  switch (to) {
    case TypeKind::Number:
      return to_number(v, span);
    case TypeKind::Text:
      return to_text(v, span);
    case TypeKind::Boolean:
      return to_boolean(v, span);
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
      // A time is a time of serial day 0, 1899-12-30.
      if (v.is(ValueKind::Time)) {
        if (to == TypeKind::Time) return v;
        int64_t ms = kSerialEpochDays * kMsPerDay + v.as_time();
        return to == TypeKind::Date ? Value::date(floor_div(ms, kMsPerDay)) : Value::datetime(ms);
      }
      if (v.is_number()) {
        double n = v.as_number();
        if (std::fabs(n) > 3e6)  // beyond year 9999 either way
          return Value::error(ErrorKind::InvalidArgument, "Date/time out of range", span);
        if (to == TypeKind::Time) return Value::time(std::llround(n * kMsPerDay));
        int64_t ms = std::llround((n + kSerialEpochDays) * kMsPerDay);
        if (to == TypeKind::Date) return Value::date(floor_div(ms, kMsPerDay));
        return Value::datetime(ms);
      }
      Value text = to_text(v, span);
      if (text.is_error()) return text;
      if (text.as_text().empty()) return Value::blank();
      auto parsed = parse_datetime_text(text.as_text(), to);
      if (!parsed)
        return Value::error(ErrorKind::InvalidArgument,
                            "The value '" + text.as_text() + "' cannot be converted to a date.",
                            span);
      return *parsed;
    }
    case TypeKind::Guid: {
      if (v.is(ValueKind::Guid)) return v;
      Value text = to_text(v, span);
      if (text.is_error()) return text;
      std::string hex;
      for (char c : text.as_text())
        if (std::isxdigit(static_cast<unsigned char>(c)))
          hex += c;
        else if (c != '-' && c != '{' && c != '}')
          return Value::error(ErrorKind::InvalidArgument, "Invalid GUID", span);
      if (hex.size() != 32) return Value::error(ErrorKind::InvalidArgument, "Invalid GUID", span);
      Guid g{};
      for (int i = 0; i < 16; ++i)
        g[i] = static_cast<uint8_t>(std::stoi(hex.substr(i * 2, 2), nullptr, 16));
      return Value::guid(g);
    }
    case TypeKind::Color:
      if (v.is(ValueKind::Enum)) return v.enum_underlying();
      if (v.is(ValueKind::Untyped)) return untyped_to_color(v.as_untyped(), span);
      return v;
    default:
      return v;
  }
}

Value default_for(TypeKind kind) {
  switch (kind) {
    case TypeKind::Number:
      return Value::number(0);
    case TypeKind::Text:
      return Value::text("");
    case TypeKind::Boolean:
      return Value::boolean(false);
    default:
      return Value::blank();
  }
}

Value conform_to_type(const Value& v, const Type& type) {
  if (v.is_blank() || v.is_error()) return v;
  switch (type.kind()) {
    case TypeKind::Record: {
      if (!v.is_record()) return v;
      Fields fields;
      fields.reserve(std::max(v.fields().size(), type.field_count()));
      for (const auto& [name, value] : v.fields()) {
        const Type* ft = type.field(name);
        fields.emplace_back(name, ft ? conform_to_type(value, *ft) : value);
      }
      for (size_t i = 0; i < type.field_count(); ++i)
        if (!v.field(type.field_name(i))) fields.emplace_back(type.field_name(i), Value());
      return Value::record(std::move(fields));
    }
    case TypeKind::Table: {
      if (!v.is_table() || v.source()) return v;
      Type row = type.as_record();
      std::vector<Value> rows;
      rows.reserve(v.rows().size());
      for (const Value& r : v.rows()) rows.push_back(conform_to_type(r, row));
      return Value::table(std::move(rows), row);
    }
    case TypeKind::Number:
    case TypeKind::Text:
    case TypeKind::Boolean:
    case TypeKind::Date:
    case TypeKind::DateTime:
    case TypeKind::Time:
      if (v.is(ValueKind::Enum) || v.is_record() || v.is_table()) return v;
      return coerce_to(v, type.kind());
    default:
      return v;
  }
}

namespace {
// Do two record types have the same column names?
bool same_columns(const Type& a, const Type& b) {
  if (a.field_count() != b.field_count()) return false;
  for (size_t i = 0; i < a.field_count(); ++i)
    if (a.field_name(i) != b.field_name(i)) return false;
  return true;
}
}  // namespace

Type union_record_type(const Type& into, const Type& from, bool& compatible) {
  // A sealed (system) record absorbs an empty record, and otherwise only meets
  // a type of the same columns: widening it would add columns to it.
  if (into.sealed() || from.sealed()) {
    if (from.field_count() == 0) return into.as_record();
    if (into.field_count() == 0) return from.as_record();
    if (!same_columns(into, from)) {
      compatible = false;
      return into.as_record();
    }
  }
  bool sealed = into.sealed() || from.sealed();
  std::vector<std::pair<std::string, Type>> fields;
  for (size_t i = 0; i < into.field_count(); ++i)
    fields.emplace_back(into.field_name(i), into.field_type(i));
  for (size_t f = 0; f < from.field_count(); ++f) {
    const Type& ft = from.field_type(f);
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const auto& p) { return p.first == from.field_name(f); });
    if (it == fields.end()) {
      fields.emplace_back(from.field_name(f), ft);
    } else if (it->second.is(TypeKind::Blank)) {
      it->second = ft;
    } else if (ft.is(TypeKind::Blank) || it->second == ft) {
      continue;
    } else if (it->second.kind() == ft.kind() && it->second.is_aggregate()) {
      Type merged = union_record_type(it->second.as_record(), ft.as_record(), compatible);
      it->second = it->second.is(TypeKind::Table) ? merged.as_table() : merged;
    } else if (it->second.is_aggregate() || ft.is_aggregate() || !can_coerce(ft, it->second)) {
      compatible = false;
    }
  }
  return Type::record(std::move(fields)).as_sealed(sealed);
}

}  // namespace canvasfx
