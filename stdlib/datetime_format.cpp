// Date/time format strings for Text() (datetime_format.h).
//
// A format is read once into placeholders and literals, then rendered. The
// one ambiguity, m (month or minute), is settled on the placeholder sequence
// as Excel does: minutes right after an hour or right before a second.
// Month and weekday names and the AM/PM designators come from ICU's data for
// the language; the predefined DateTimeFormat patterns are .NET's en-US ones,
// which the conformance results come from, with the language's names.
#include "datetime_format.h"

#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>

#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "canvasfx/calendar.h"
#include "canvasfx/timezone.h"

namespace canvasfx::stdlib {
namespace {

struct Names {
  std::vector<std::string> months, short_months, weekdays, short_weekdays;  // weekdays from Sunday
  std::string am = "AM", pm = "PM";
};

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// nullopt for a language tag ICU cannot read.
std::optional<Names> names_for(std::string_view language) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale =
      icu::Locale::forLanguageTag(language.empty() ? "en-US" : std::string(language), status);
  if (U_FAILURE(status) || locale.isBogus()) return std::nullopt;
  icu::DateFormatSymbols symbols(locale, status);
  if (U_FAILURE(status)) return std::nullopt;
  Names names;
  using DFS = icu::DateFormatSymbols;
  auto collect = [](const icu::UnicodeString* list, int32_t count, int32_t from) {
    std::vector<std::string> out;
    for (int32_t i = from; i < count; ++i) out.push_back(utf8(list[i]));
    return out;
  };
  int32_t count = 0;
  const icu::UnicodeString* list = symbols.getMonths(count, DFS::FORMAT, DFS::WIDE);
  names.months = collect(list, count, 0);
  list = symbols.getMonths(count, DFS::FORMAT, DFS::ABBREVIATED);
  names.short_months = collect(list, count, 0);
  list = symbols.getWeekdays(count, DFS::FORMAT, DFS::WIDE);
  names.weekdays = collect(list, count, 1);  // ICU's index 0 is unused
  list = symbols.getWeekdays(count, DFS::FORMAT, DFS::ABBREVIATED);
  names.short_weekdays = collect(list, count, 1);
  list = symbols.getAmPmStrings(count);
  if (count >= 2) names.am = utf8(list[0]), names.pm = utf8(list[1]);
  if (names.months.size() < 12 || names.weekdays.size() < 7 || names.short_weekdays.size() < 7 ||
      names.short_months.size() < 12)
    return std::nullopt;
  return names;
}

struct Piece {
  enum Kind { Literal, Year, Month, Minute, Day, Hour, Second, Fraction, AmPm, AP } kind;
  int width = 0;     // placeholder letters (mm = 2); Fraction: digits
  std::string text;  // Literal
};

bool is_placeholder(Piece::Kind k) { return k >= Piece::Year && k <= Piece::Second; }

// nullopt for an unsupported placeholder.
std::optional<std::vector<Piece>> parse_pattern(std::string_view f) {
  std::vector<Piece> out;
  auto literal = [&](std::string_view text) {
    if (!out.empty() && out.back().kind == Piece::Literal)
      out.back().text += text;
    else
      out.push_back({Piece::Literal, 0, std::string(text)});
  };
  for (size_t i = 0; i < f.size();) {
    char c = f[i];
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '\\' && i + 1 < f.size()) {
      literal(f.substr(i + 1, 1));
      i += 2;
    } else if (c == '"') {
      size_t end = f.find('"', i + 1);
      if (end == std::string_view::npos) return std::nullopt;
      literal(f.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (f.substr(i, 5) == "AM/PM") {
      out.push_back({Piece::AmPm, 0, {}});
      i += 5;
    } else if (f.substr(i, 3) == "A/P") {
      out.push_back({Piece::AP, 0, {}});
      i += 3;
    } else if (lower == 'a' && i + 2 < f.size() && f[i + 1] == '/' &&
               std::tolower(static_cast<unsigned char>(f[i + 2])) == 'p') {
      return std::nullopt;  // only upper-case designators are supported
    } else if (lower == 'a' && i + 4 < f.size() && f[i + 2] == '/' &&
               std::tolower(static_cast<unsigned char>(f[i + 1])) == 'm') {
      return std::nullopt;
    } else if (lower == 'y' || lower == 'm' || lower == 'd' || lower == 'h' || lower == 's') {
      size_t j = i;
      while (j < f.size() && std::tolower(static_cast<unsigned char>(f[j])) == lower) ++j;
      int width = static_cast<int>(j - i);
      Piece::Kind kind = lower == 'y'   ? Piece::Year
                         : lower == 'm' ? Piece::Month
                         : lower == 'd' ? Piece::Day
                         : lower == 'h' ? Piece::Hour
                                        : Piece::Second;
      if ((kind == Piece::Month || kind == Piece::Day) && width > 4) return std::nullopt;
      // Longer runs of y, h and s are the four-digit year and two-digit forms.
      if (kind == Piece::Year) width = std::min(width, 4);
      if (kind == Piece::Hour || kind == Piece::Second) width = std::min(width, 2);
      out.push_back({kind, width, {}});
      i = j;
    } else if (c == '.' && i + 1 < f.size() && f[i + 1] == '0' && !out.empty() &&
               out.back().kind == Piece::Second) {
      size_t j = i + 1;
      while (j < f.size() && f[j] == '0') ++j;
      out.push_back({Piece::Fraction, static_cast<int>(j - i - 1), {}});
      i = j;
    } else {
      // One UTF-8 sequence as a literal.
      size_t j = i + 1;
      while (j < f.size() && (static_cast<unsigned char>(f[j]) & 0xC0) == 0x80) ++j;
      literal(f.substr(i, j - i));
      i = j;
    }
  }
  // m/mm is minutes right after an hour or right before a second.
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].kind != Piece::Month || out[i].width > 2) continue;
    const Piece* before = nullptr;
    const Piece* after = nullptr;
    for (size_t k = i; k-- > 0;)
      if (is_placeholder(out[k].kind)) {
        before = &out[k];
        break;
      }
    for (size_t k = i + 1; k < out.size(); ++k)
      if (is_placeholder(out[k].kind)) {
        after = &out[k];
        break;
      }
    if ((before && before->kind == Piece::Hour) || (after && after->kind == Piece::Second))
      out[i].kind = Piece::Minute;
  }
  return out;
}

std::string padded(int64_t n, int width) {
  std::string s = std::to_string(n);
  while (static_cast<int>(s.size()) < width) s.insert(0, "0");
  return s;
}

// The first UTF-8 character of s.
std::string first_char(const std::string& s) {
  size_t j = s.empty() ? 0 : 1;
  while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
  return s.substr(0, j);
}

std::string render(const std::vector<Piece>& pieces, int64_t wall_ms, const Names& names) {
  DateTimeParts p = split_datetime(wall_ms);
  int64_t day = floor_div(wall_ms, kMsPerDay);
  int dow = static_cast<int>(day + 4 - floor_div(day + 4, 7) * 7);  // 1970-01-01 was a Thursday
  bool twelve_hour = false;
  for (const Piece& piece : pieces)
    twelve_hour = twelve_hour || piece.kind == Piece::AmPm || piece.kind == Piece::AP;
  std::string out;
  for (const Piece& piece : pieces) {
    switch (piece.kind) {
      case Piece::Literal:
        out += piece.text;
        break;
      case Piece::Year:
        out += piece.width <= 2 ? padded(p.year % 100, 2) : padded(p.year, 4);
        break;
      case Piece::Month:
        if (piece.width <= 2)
          out += padded(p.month, piece.width);
        else
          out += (piece.width == 3 ? names.short_months : names.months)[p.month - 1];
        break;
      case Piece::Minute:
        out += padded(p.minute, piece.width);
        break;
      case Piece::Day:
        if (piece.width <= 2)
          out += padded(p.day, piece.width);
        else
          out += (piece.width == 3 ? names.short_weekdays : names.weekdays)[dow];
        break;
      case Piece::Hour: {
        int hour = twelve_hour ? (p.hour % 12 == 0 ? 12 : p.hour % 12) : p.hour;
        out += padded(hour, piece.width);
        break;
      }
      case Piece::Second:
        out += padded(p.second, piece.width);
        break;
      case Piece::Fraction: {
        // Milliseconds are the precision: further digits are zeros.
        std::string digits = padded(p.millisecond, 3);
        digits.resize(static_cast<size_t>(piece.width), '0');
        out += "." + digits;
        break;
      }
      case Piece::AmPm:
        out += p.hour < 12 ? names.am : names.pm;
        break;
      case Piece::AP:
        out += first_char(p.hour < 12 ? names.am : names.pm);
        break;
    }
  }
  return out;
}

// The value as a wall-clock instant; nullopt for a kind that is no date.
std::optional<int64_t> wall_ms_of(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Date:
      return v.as_date() * kMsPerDay;
    case ValueKind::DateTime:
      return v.as_datetime();
    case ValueKind::Time:
      return kSerialEpochDays * kMsPerDay + v.as_time();
    case ValueKind::Blank:
      return kSerialEpochDays * kMsPerDay;
    case ValueKind::Number:
      return std::llround((v.as_number() + static_cast<double>(kSerialEpochDays)) * kMsPerDay);
    default:
      return std::nullopt;
  }
}

Value format_with(CallContext& ctx, const Value& v, std::string_view pattern,
                  std::string_view language) {
  auto wall = wall_ms_of(v);
  if (!wall) return ctx.error(ErrorKind::InvalidArgument);
  auto names = names_for(language);
  if (!names) return ctx.error(ErrorKind::BadLanguageCode);
  auto pieces = parse_pattern(pattern);
  if (!pieces)
    return ctx.error(ErrorKind::InvalidArgument, "Incorrect format specifier for 'Text'.");
  return Value::text(render(*pieces, *wall, *names));
}

// .NET's en-US patterns of the DateTimeFormat members.
constexpr std::pair<std::string_view, std::string_view> kPredefined[] = {
    {"'shortdate'", "m/d/yyyy"},
    {"'longdate'", "dddd, mmmm d, yyyy"},
    {"'shorttime'", "h:mm AM/PM"},
    {"'longtime'", "h:mm:ss AM/PM"},
    {"'shorttime24'", "h:mm"},
    {"'longtime24'", "h:mm:ss"},
    {"'shortdatetime'", "m/d/yyyy h:mm AM/PM"},
    {"'longdatetime'", "dddd, mmmm d, yyyy h:mm:ss AM/PM"},
    {"'shortdatetime24'", "m/d/yyyy h:mm"},
    {"'longdatetime24'", "dddd, mmmm d, yyyy h:mm:ss"},
};

}  // namespace

Value format_datetime_text(CallContext& ctx, const Value& v, std::string_view format,
                           std::string_view language) {
  return format_with(ctx, v, format, language);
}

std::optional<Value> format_datetime_predefined(CallContext& ctx, const Value& v,
                                                std::string_view name, std::string_view language) {
  if (name == "utc") {
    auto wall = wall_ms_of(v);
    if (!wall) return ctx.error(ErrorKind::InvalidArgument);
    int64_t utc = wall_to_utc_ms(ctx.time_zone(), *wall);
    return format_with(ctx, Value::datetime(utc), "yyyy-mm-dd\\Thh:mm:ss.000\\Z", "en-US");
  }
  for (const auto& [member, pattern] : kPredefined)
    if (member == name) return format_with(ctx, v, pattern, language);
  return std::nullopt;
}

}  // namespace canvasfx::stdlib
