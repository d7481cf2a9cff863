// Dates, times and time zones: Date Time DateTime DateValue TimeValue
// DateTimeValue Now Today UTCNow UTCToday IsToday Year Month Day Hour Minute
// Second Weekday WeekNum ISOWeekNum DateAdd DateDiff EDate EOMonth
// TimeZoneOffset, and the TimeUnit, StartOfWeek and DateTimeFormat enums.
// Reference pages: function-date-time.md, function-datevalue-timevalue.md,
// function-now-today-istoday.md, function-datetime-parts.md, function-weekdaywhatever.md,
// function-dateadd-datediff.md, function-edate-eomonth.md, function-weeknum.md.
//
// Values are wall-clock times of the engine's zone (Date: days, DateTime: ms,
// since 1970-01-01; Time: a duration in ms). Calendar units (days and longer)
// move the wall clock; clock units (hours and shorter) move the instant, so
// DateAdd(1:00, 1, Hours) is 3:00 on a spring-forward night. A Blank date is
// serial day 0 (1899-12-30), as Excel's day numbers count from it.
#include <unicode/locid.h>

#include <cmath>
#include <memory>
#include <string>
#include <variant>

#include "canvasfx/calendar.h"
#include "canvasfx/timezone.h"
#include "canvasfx/unicode.h"
#include "families.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

constexpr int64_t kMsPerHour = 3600000;
constexpr int64_t kMinDay = days_from_civil(1, 1, 1);
constexpr int64_t kMaxDay = days_from_civil(9999, 12, 31);

// --- enums ----------------------------------------------------------------

std::shared_ptr<EnumInfo> make_enum(const char* name, TypeKind underlying,
                                    std::initializer_list<std::pair<const char*, Value>> members) {
  auto info = std::make_shared<EnumInfo>();
  info->name = name;
  info->underlying = underlying;
  for (const auto& [member, value] : members) info->members.emplace_back(member, value);
  return info;
}

const std::shared_ptr<EnumInfo>& time_unit_enum() {
  static const auto info = make_enum("TimeUnit", TypeKind::Text,
                                     {{"Years", Value::text("years")},
                                      {"Quarters", Value::text("quarters")},
                                      {"Months", Value::text("months")},
                                      {"Days", Value::text("days")},
                                      {"Hours", Value::text("hours")},
                                      {"Minutes", Value::text("minutes")},
                                      {"Seconds", Value::text("seconds")},
                                      {"Milliseconds", Value::text("milliseconds")}});
  return info;
}

// Members are Excel's WEEKDAY/WEEKNUM return-type codes.
const std::shared_ptr<EnumInfo>& start_of_week_enum() {
  static const auto info = make_enum("StartOfWeek", TypeKind::Number,
                                     {{"Sunday", Value::number(1)},
                                      {"Monday", Value::number(2)},
                                      {"MondayZero", Value::number(3)},
                                      {"Tuesday", Value::number(12)},
                                      {"Wednesday", Value::number(13)},
                                      {"Thursday", Value::number(14)},
                                      {"Friday", Value::number(15)},
                                      {"Saturday", Value::number(16)}});
  return info;
}

// Members are the names Text() recognizes when given the enum member itself.
const std::shared_ptr<EnumInfo>& date_time_format_enum() {
  static const auto info = make_enum("DateTimeFormat", TypeKind::Text,
                                     {{"LongDate", Value::text("'longdate'")},
                                      {"ShortDate", Value::text("'shortdate'")},
                                      {"LongTime", Value::text("'longtime'")},
                                      {"ShortTime", Value::text("'shorttime'")},
                                      {"LongTime24", Value::text("'longtime24'")},
                                      {"ShortTime24", Value::text("'shorttime24'")},
                                      {"LongDateTime", Value::text("'longdatetime'")},
                                      {"ShortDateTime", Value::text("'shortdatetime'")},
                                      {"LongDateTime24", Value::text("'longdatetime24'")},
                                      {"ShortDateTime24", Value::text("'shortdatetime24'")},
                                      {"UTC", Value::text("utc")}});
  return info;
}

// --- shared helpers ---------------------------------------------------------

// A Date, DateTime, Time or Blank argument as a wall-clock instant. A Date is
// its first valid instant (midnight, or the end of a DST gap starting then).
int64_t wall_ms_of(CallContext& ctx, const Value& v) {
  switch (v.kind()) {
    case ValueKind::Date:
      return normalize_wall_ms(ctx.time_zone(), v.as_date() * kMsPerDay);
    case ValueKind::DateTime:
      return v.as_datetime();
    case ValueKind::Time:
      return kSerialEpochDays * kMsPerDay + v.as_time();
    default:
      return kSerialEpochDays * kMsPerDay;
  }
}

bool in_range(int64_t wall_ms) {
  int64_t day = floor_div(wall_ms, kMsPerDay);
  return day >= kMinDay && day <= kMaxDay;
}

// The result of a function on dates: of `like`'s kind (Date keeps only the
// day), InvalidArgument outside years 1-9999.
Value date_like(CallContext& ctx, ValueKind like, int64_t wall_ms) {
  if (!in_range(wall_ms)) return ctx.error(ErrorKind::InvalidArgument, "Date out of range");
  if (like == ValueKind::Date) return Value::date(floor_div(wall_ms, kMsPerDay));
  return Value::datetime(wall_ms);
}

// Every Error argument, combined (Date("a","b","c") reports three).
std::optional<Value> argument_errors(CallContext& ctx) {
  std::vector<ErrorInfo> errors;
  for (size_t i = 0; i < ctx.arg_count(); ++i)
    if (ctx.arg(i).is_error())
      for (const ErrorInfo& e : ctx.arg(i).errors()) errors.push_back(e);
  if (errors.empty()) return std::nullopt;
  return Value::errors(std::move(errors));
}

// Integer parts of Date/Time/DateTime: truncated; nullopt when too large to be one.
std::optional<int64_t> whole(const Value& v) {
  double n = v.is_number() ? v.as_number() : 0;
  if (!std::isfinite(n) || std::fabs(n) > 1e12) return std::nullopt;
  return static_cast<int64_t>(std::trunc(n));
}

// Days since 1970 of year/month/day, months and days overflowing into the next
// (Date(2000, 25, 69) is 2002-03-10).
int64_t overflowing_days(int64_t year, int64_t month, int64_t day) {
  int64_t months = year * 12 + month - 1;
  return days_from_civil(floor_div(months, 12), months - floor_div(months, 12) * 12 + 1, 1) + day -
         1;
}

// y/m/d plus `months`, the day clamped to the target month's length.
int64_t add_months(int64_t days, int64_t months, bool end_of_month) {
  CivilDate c = civil_from_days(days);
  int64_t total = c.year * 12 + (c.month - 1) + months;
  int64_t year = floor_div(total, 12);
  int month = static_cast<int>(total - year * 12 + 1);
  int last = days_in_month(year, month);
  return days_from_civil(year, month, end_of_month ? last : std::min(c.day, last));
}

// The unit argument of DateAdd/DateDiff: a TimeUnit member or (without strongly
// typed enums) its text in any case; Blank is Days.
enum class Unit { Milliseconds, Seconds, Minutes, Hours, Days, Months, Quarters, Years, Bad };

Unit unit_of(const Value& v) {
  if (v.is_blank()) return Unit::Days;
  Value text = to_text(v.is(ValueKind::Enum) ? v.enum_underlying() : v);
  if (!text.is_text()) return Unit::Bad;
  static constexpr std::pair<const char*, Unit> kNames[] = {{"milliseconds", Unit::Milliseconds},
                                                            {"seconds", Unit::Seconds},
                                                            {"minutes", Unit::Minutes},
                                                            {"hours", Unit::Hours},
                                                            {"days", Unit::Days},
                                                            {"months", Unit::Months},
                                                            {"quarters", Unit::Quarters},
                                                            {"years", Unit::Years}};
  for (const auto& [name, unit] : kNames)
    if (text_equal_ignore_case(text.as_text(), name)) return unit;
  return Unit::Bad;
}

int64_t unit_ms(Unit u) {
  switch (u) {
    case Unit::Milliseconds:
      return 1;
    case Unit::Seconds:
      return 1000;
    case Unit::Minutes:
      return 60000;
    case Unit::Hours:
      return kMsPerHour;
    default:
      return kMsPerDay;
  }
}

int64_t months_per(Unit u) { return u == Unit::Years ? 12 : u == Unit::Quarters ? 3 : 1; }

// --- type rules -----------------------------------------------------------

// An enum parameter (TimeUnit, StartOfWeek): with StronglyTypedBuiltinEnums only
// the enum's members; otherwise anything coercible to its underlying type.
void check_enum_arg(CheckContext& ctx, size_t i, const std::shared_ptr<EnumInfo>& info) {
  if (i >= ctx.arg_count()) return;
  if (ctx.features().strongly_typed_builtin_enums)
    ctx.coerce(i, Type::enum_of(info));
  else
    ctx.coerce(i, Type(info->underlying));
}

Type check_weekday(CheckContext& ctx) {
  check_enum_arg(ctx, 1, start_of_week_enum());
  return Type::number();
}

// DateAdd(date, n [, unit]): the result has the date's kind (Time stays Time).
Type check_date_add(CheckContext& ctx) {
  Type date = ctx.arg_type(0);
  if (!date.is(TypeKind::Date) && !date.is(TypeKind::Time) && !date.is(TypeKind::Unknown)) {
    date = Type::datetime();
    ctx.coerce(0, date);
  }
  ctx.coerce(1, Type::number());
  check_enum_arg(ctx, 2, time_unit_enum());
  return date;
}

Type check_date_diff(CheckContext& ctx) {
  check_enum_arg(ctx, 2, time_unit_enum());
  return Type::number();
}

// --- construction ---------------------------------------------------------

// Date(year, month, day) – function-date-time.md
Value invoke_date(CallContext& ctx) {
  if (auto errors = argument_errors(ctx)) return *errors;
  auto y = whole(ctx.arg(0)), m = whole(ctx.arg(1)), d = whole(ctx.arg(2));
  if (!y || !m || !d || *y < 0 || *y > 9999) return ctx.error(ErrorKind::InvalidArgument);
  return date_like(ctx, ValueKind::Date, overflowing_days(*y, *m, *d) * kMsPerDay);
}

// The time of day of hour/minute/second/millisecond arguments from `first`, in ms.
std::optional<int64_t> time_parts_ms(CallContext& ctx, size_t first) {
  static constexpr int64_t kScale[] = {kMsPerHour, 60000, 1000, 1};
  int64_t total = 0;
  for (size_t i = 0; i < 4 && first + i < ctx.arg_count(); ++i) {
    auto part = whole(ctx.arg(first + i));
    if (!part || std::llabs(*part) > (int64_t{1} << 31)) return std::nullopt;
    total += *part * kScale[i];
  }
  return total;
}

// Time(hour, minute, second [, millisecond]) – function-date-time.md
Value invoke_time(CallContext& ctx) {
  if (auto errors = argument_errors(ctx)) return *errors;
  auto ms = time_parts_ms(ctx, 0);
  if (!ms) return ctx.error(ErrorKind::InvalidArgument);
  return Value::time(*ms);
}

// DateTime(year, month, day, hour, minute, second [, millisecond]) – function-date-time.md
Value invoke_datetime(CallContext& ctx) {
  if (auto errors = argument_errors(ctx)) return *errors;
  auto y = whole(ctx.arg(0)), m = whole(ctx.arg(1)), d = whole(ctx.arg(2));
  auto time = time_parts_ms(ctx, 3);
  if (!y || !m || !d || !time || *y < 0 || *y > 9999) return ctx.error(ErrorKind::InvalidArgument);
  int64_t wall = overflowing_days(*y, *m, *d) * kMsPerDay + *time;
  if (!in_range(wall)) return ctx.error(ErrorKind::InvalidArgument);
  return Value::datetime(normalize_wall_ms(ctx.time_zone(), wall));
}

// --- text -----------------------------------------------------------------

// A language tag ICU has data for ("fr-FR", "sr-cyrl-RS"); "" is en-US.
bool known_language(std::string_view tag) {
  if (tag.empty()) return true;
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(std::string(tag), status);
  if (U_FAILURE(status) || locale.isBogus()) return false;
  std::string language = locale.getLanguage();
  int32_t count = 0;
  const icu::Locale* available = icu::Locale::getAvailableLocales(count);
  for (int32_t i = 0; i < count; ++i)
    if (language == available[i].getLanguage()) return true;
  return false;
}

// The text argument parsed in the language argument's conventions; a zone
// named in the text ("Z", "-08:00") is converted to the engine's.
std::variant<Value, int64_t> parse_argument(CallContext& ctx) {
  const Value& text = ctx.arg(0);
  if (text.is_blank() || (text.is_text() && text.as_text().empty())) return Value::blank();
  std::string language = ctx.arg_count() > 1 && ctx.arg(1).is_text() ? ctx.arg(1).as_text() : "";
  if (!known_language(language)) return ctx.error(ErrorKind::BadLanguageCode);
  auto parsed = parse_datetime(text.as_text(), language.empty() ? "en-US" : language);
  if (!parsed)
    return ctx.error(ErrorKind::InvalidArgument,
                     "The value '" + text.as_text() + "' cannot be converted to a date/time.");
  if (parsed->utc_offset_minutes)
    return utc_to_wall_ms(ctx.time_zone(),
                          parsed->wall_ms - int64_t{*parsed->utc_offset_minutes} * 60000);
  return parsed->wall_ms;
}

// DateValue(text [, language]) – function-datevalue-timevalue.md
Value invoke_date_value(CallContext& ctx) {
  auto parsed = parse_argument(ctx);
  if (auto* v = std::get_if<Value>(&parsed)) return *v;
  return date_like(ctx, ValueKind::Date, std::get<int64_t>(parsed));
}

// DateTimeValue(text [, language]) – function-datevalue-timevalue.md
Value invoke_datetime_value(CallContext& ctx) {
  auto parsed = parse_argument(ctx);
  if (auto* v = std::get_if<Value>(&parsed)) return *v;
  return date_like(ctx, ValueKind::DateTime, std::get<int64_t>(parsed));
}

// TimeValue(text [, language]) – function-datevalue-timevalue.md
// The time of day only: "27:00:00" is 3:00.
Value invoke_time_value(CallContext& ctx) {
  auto parsed = parse_argument(ctx);
  if (auto* v = std::get_if<Value>(&parsed)) return *v;
  int64_t ms = std::get<int64_t>(parsed);
  return Value::time(ms - floor_div(ms, kMsPerDay) * kMsPerDay);
}

// --- the clock --------------------------------------------------------------

int64_t now_wall_ms(CallContext& ctx) { return utc_to_wall_ms(ctx.time_zone(), ctx.now_utc_ms()); }

// Now(), Today(), UTCNow(), UTCToday() – function-now-today-istoday.md
Value invoke_now(CallContext& ctx) { return Value::datetime(now_wall_ms(ctx)); }
Value invoke_today(CallContext& ctx) { return Value::date(floor_div(now_wall_ms(ctx), kMsPerDay)); }
Value invoke_utc_now(CallContext& ctx) { return Value::datetime(ctx.now_utc_ms()); }
Value invoke_utc_today(CallContext& ctx) {
  return Value::date(floor_div(ctx.now_utc_ms(), kMsPerDay));
}

// IsToday(datetime) – function-now-today-istoday.md
Value invoke_is_today(CallContext& ctx) {
  if (ctx.arg(0).is_blank()) return Value::boolean(false);
  return Value::boolean(floor_div(wall_ms_of(ctx, ctx.arg(0)), kMsPerDay) ==
                        floor_div(now_wall_ms(ctx), kMsPerDay));
}

// TimeZoneOffset([datetime]) – function-timezoneoffset.md
// Minutes to add to the local time to get UTC (480 in Seattle in winter).
Value invoke_time_zone_offset(CallContext& ctx) {
  int64_t wall = ctx.arg_count() > 0 && !ctx.arg(0).is_blank() ? wall_ms_of(ctx, ctx.arg(0))
                                                               : now_wall_ms(ctx);
  return Value::number(-ctx.utc_offset_minutes(wall));
}

// --- parts ------------------------------------------------------------------

// Year/Month/Day(Blank()) follow Excel's day 0, "1900-01-00".
enum class Part { Year, Month, Day, Hour, Minute, Second };

Value part(CallContext& ctx, Part which) {
  const Value& v = ctx.arg(0);
  if (v.is_blank()) return Value::number(which == Part::Year ? 1900 : which == Part::Month ? 1 : 0);
  DateTimeParts p = split_datetime(wall_ms_of(ctx, v));
  switch (which) {
    case Part::Year:
      return Value::number(static_cast<double>(p.year));
    case Part::Month:
      return Value::number(p.month);
    case Part::Day:
      return Value::number(p.day);
    case Part::Hour:
      return Value::number(p.hour);
    case Part::Minute:
      return Value::number(p.minute);
    case Part::Second:
      return Value::number(p.second);
  }
  return Value::blank();
}

// Year/Month/Day/Hour/Minute/Second(datetime) – function-datetime-parts.md
Value invoke_year(CallContext& ctx) { return part(ctx, Part::Year); }
Value invoke_month(CallContext& ctx) { return part(ctx, Part::Month); }
Value invoke_day(CallContext& ctx) { return part(ctx, Part::Day); }
Value invoke_hour(CallContext& ctx) { return part(ctx, Part::Hour); }
Value invoke_minute(CallContext& ctx) { return part(ctx, Part::Minute); }
Value invoke_second(CallContext& ctx) { return part(ctx, Part::Second); }

// 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday).
int day_of_week(int64_t days) { return static_cast<int>(days + 4 - floor_div(days + 4, 7) * 7); }

int64_t day_of(CallContext& ctx, const Value& v) {
  return floor_div(wall_ms_of(ctx, v), kMsPerDay);
}

// The first day of the week (0 = Sunday) of an Excel start-of-week code.
std::optional<int> week_start(const Value& code, bool weeknum) {
  if (!code.is_number()) return std::nullopt;
  double c = code.as_number();
  if (c == 1 || c == 17) return 0;
  if (c == 2 || c == 11) return 1;
  if (c >= 12 && c <= 16 && c == std::trunc(c)) return static_cast<int>(c) - 10;
  if (!weeknum && c == 3) return 1;
  return std::nullopt;
}

Value start_of_week_code(CallContext& ctx, size_t i) {
  if (i >= ctx.arg_count()) return Value::number(1);
  const Value& v = ctx.arg(i);
  return v.is(ValueKind::Enum) ? v.enum_underlying() : v;
}

// Weekday(date [, startOfWeek]) – function-weekday.md
Value invoke_weekday(CallContext& ctx) {
  Value code = start_of_week_code(ctx, 1);
  auto start = week_start(code, false);
  if (!start) return ctx.error(ErrorKind::InvalidArgument);
  int dow = day_of_week(day_of(ctx, ctx.arg(0)));
  int index = (dow - *start + 7) % 7;  // 0 on the first day of the week
  return Value::number(code.as_number() == 3 ? index : index + 1);
}

// ISO 8601 week number: weeks start on Monday; week 1 holds the year's first Thursday.
int iso_week(int64_t days) {
  int monday_based = (day_of_week(days) + 6) % 7;
  int64_t thursday = days - monday_based + 3;
  int64_t jan1 = days_from_civil(civil_from_days(thursday).year, 1, 1);
  return static_cast<int>((thursday - jan1) / 7 + 1);
}

// WeekNum(date [, startOfWeek]) – function-weeknum.md
// Week 1 holds January 1 (Excel's system 1); code 21 is the ISO week.
Value invoke_week_num(CallContext& ctx) {
  Value code = start_of_week_code(ctx, 1);
  int64_t days = day_of(ctx, ctx.arg(0));
  if (code.is_number() && code.as_number() == 21) return Value::number(iso_week(days));
  auto start = week_start(code, true);
  if (!start) return ctx.error(ErrorKind::InvalidArgument);
  int64_t jan1 = days_from_civil(civil_from_days(days).year, 1, 1);
  int offset = (day_of_week(jan1) - *start + 7) % 7;
  return Value::number(static_cast<double>((days - jan1 + offset) / 7 + 1));
}

// ISOWeekNum(date) – function-weeknum.md
Value invoke_iso_week_num(CallContext& ctx) {
  return Value::number(iso_week(day_of(ctx, ctx.arg(0))));
}

// --- arithmetic -------------------------------------------------------------

// DateAdd(date, n [, unit]) – function-dateadd-datediff.md
// Clock units move the instant, calendar units the wall clock; months and
// longer take whole units (truncated) and clamp the day to the month's length.
Value invoke_date_add(CallContext& ctx) {
  const Value& date = ctx.arg(0);
  double n = ctx.arg(1).is_number() ? ctx.arg(1).as_number() : 0;
  Unit unit = unit_of(ctx.arg_count() > 2 ? ctx.arg(2) : Value());
  if (unit == Unit::Bad) return ctx.error(ErrorKind::InvalidArgument, "Invalid time unit");
  bool calendar = unit == Unit::Months || unit == Unit::Quarters || unit == Unit::Years;
  double amount = calendar ? std::trunc(n) * months_per(unit) : n * unit_ms(unit);
  if (!std::isfinite(amount) || std::fabs(amount) > (calendar ? 2e5 : 1e15))
    return ctx.error(ErrorKind::InvalidArgument, "Date out of range");
  if (date.is(ValueKind::Time)) {
    if (calendar) return ctx.error(ErrorKind::InvalidArgument, "Invalid time unit for a Time");
    return Value::time(date.as_time() + std::llround(amount));
  }
  const std::string& zone = ctx.time_zone();
  int64_t wall = wall_ms_of(ctx, date), result;
  if (calendar) {
    int64_t day = floor_div(wall, kMsPerDay);
    int64_t moved = add_months(day, static_cast<int64_t>(amount), false);
    result = normalize_wall_ms(zone, wall + (moved - day) * kMsPerDay);
  } else if (unit == Unit::Days) {
    result = normalize_wall_ms(zone, wall + std::llround(amount));
  } else {
    result = utc_to_wall_ms(zone, wall_to_utc_ms(zone, wall) + std::llround(amount));
  }
  return date_like(ctx, date.is(ValueKind::Date) ? ValueKind::Date : ValueKind::DateTime, result);
}

// DateDiff(start, end [, unit]) – function-dateadd-datediff.md
// Counts unit boundaries crossed: clock units on the elapsed (UTC) time from
// the start's position within its unit, calendar units on the wall calendar.
Value invoke_date_diff(CallContext& ctx) {
  Unit unit = unit_of(ctx.arg_count() > 2 ? ctx.arg(2) : Value());
  if (unit == Unit::Bad) return ctx.error(ErrorKind::InvalidArgument, "Invalid time unit");
  const std::string& zone = ctx.time_zone();
  int64_t start = wall_ms_of(ctx, ctx.arg(0)), end = wall_ms_of(ctx, ctx.arg(1));
  if (unit < Unit::Days) {
    int64_t size = unit_ms(unit);
    int64_t elapsed = wall_to_utc_ms(zone, end) - wall_to_utc_ms(zone, start);
    int64_t offset = start - floor_div(start, size) * size;
    return Value::number(static_cast<double>(floor_div(offset + elapsed, size)));
  }
  if (unit == Unit::Days)
    return Value::number(
        static_cast<double>(floor_div(end, kMsPerDay) - floor_div(start, kMsPerDay)));
  DateTimeParts a = split_datetime(start), b = split_datetime(end);
  int64_t months = (b.year - a.year) * 12 + (b.month - a.month);
  if (unit == Unit::Quarters)
    months = (b.year - a.year) * 4 + ((b.month - 1) / 3 - (a.month - 1) / 3);
  else if (unit == Unit::Years)
    months = b.year - a.year;
  return Value::number(static_cast<double>(months));
}

// EDate(date, months) and EOMonth(date, months) – function-edate-eomonth.md
Value shift_months(CallContext& ctx, bool end_of_month) {
  double n = ctx.arg(1).is_number() ? std::trunc(ctx.arg(1).as_number()) : 0;
  if (std::fabs(n) > 2e5) return ctx.error(ErrorKind::InvalidArgument, "Date out of range");
  int64_t day = floor_div(wall_ms_of(ctx, ctx.arg(0)), kMsPerDay);
  return date_like(ctx, ValueKind::Date,
                   add_months(day, static_cast<int64_t>(n), end_of_month) * kMsPerDay);
}
Value invoke_edate(CallContext& ctx) { return shift_months(ctx, false); }
Value invoke_eomonth(CallContext& ctx) { return shift_months(ctx, true); }

// --- the table ----------------------------------------------------------------

constexpr std::string_view kDatePage = "function-date-time.md";
constexpr std::string_view kValuePage = "function-datevalue-timevalue.md";
constexpr std::string_view kNowPage = "function-now-today-istoday.md";
constexpr std::string_view kPartsPage = "function-datetime-parts.md";
constexpr std::string_view kAddPage = "function-dateadd-datediff.md";
constexpr std::string_view kMonthPage = "function-edate-eomonth.md";
constexpr std::string_view kWeekPage = "function-weeknum.md";

const FunctionDef kDateTime[] = {
    {.name = "Date",
     .params = "nnn",
     .returns = "d",
     .invoke = invoke_date,
     .errors = ErrorPolicy::Keep,
     .page = kDatePage},
    {.name = "Time",
     .params = "nnnn?",
     .returns = "t",
     .invoke = invoke_time,
     .errors = ErrorPolicy::Keep,
     .page = kDatePage},
    {.name = "DateTime",
     .params = "nnnnnnn?",
     .returns = "D",
     .invoke = invoke_datetime,
     .errors = ErrorPolicy::Keep,
     .page = kDatePage},
    {.name = "DateValue",
     .params = "ss?",
     .returns = "d",
     .invoke = invoke_date_value,
     .blanks = BlankPolicy::Keep,
     .page = kValuePage},
    {.name = "TimeValue",
     .params = "ss?",
     .returns = "t",
     .invoke = invoke_time_value,
     .blanks = BlankPolicy::Keep,
     .page = kValuePage},
    {.name = "DateTimeValue",
     .params = "ss?",
     .returns = "D",
     .invoke = invoke_datetime_value,
     .blanks = BlankPolicy::Keep,
     .page = kValuePage},
    {.name = "Now",
     .params = "",
     .returns = "D",
     .invoke = invoke_now,
     .volatile_result = true,
     .page = kNowPage},
    {.name = "Today",
     .params = "",
     .returns = "d",
     .invoke = invoke_today,
     .volatile_result = true,
     .page = kNowPage},
    {.name = "UTCNow",
     .params = "",
     .returns = "D",
     .invoke = invoke_utc_now,
     .volatile_result = true,
     .page = kNowPage},
    {.name = "UTCToday",
     .params = "",
     .returns = "d",
     .invoke = invoke_utc_today,
     .volatile_result = true,
     .page = kNowPage},
    {.name = "IsToday",
     .params = "D",
     .returns = "b",
     .invoke = invoke_is_today,
     .volatile_result = true,
     .page = kNowPage},
    {.name = "TimeZoneOffset",
     .params = "D?",
     .returns = "n",
     .invoke = invoke_time_zone_offset,
     .volatile_result = true,
     .page = "function-timezoneoffset.md"},
    {.name = "Year",
     .params = "D",
     .returns = "n",
     .invoke = invoke_year,
     .blanks = BlankPolicy::Keep,
     .page = kPartsPage},
    {.name = "Month",
     .params = "D",
     .returns = "n",
     .invoke = invoke_month,
     .blanks = BlankPolicy::Keep,
     .page = kPartsPage},
    {.name = "Day",
     .params = "D",
     .returns = "n",
     .invoke = invoke_day,
     .blanks = BlankPolicy::Keep,
     .page = kPartsPage},
    {.name = "Hour",
     .params = "D",
     .returns = "n",
     .invoke = invoke_hour,
     .blanks = BlankPolicy::Keep,
     .page = kPartsPage},
    {.name = "Minute",
     .params = "D",
     .returns = "n",
     .invoke = invoke_minute,
     .blanks = BlankPolicy::Keep,
     .page = kPartsPage},
    {.name = "Second",
     .params = "D",
     .returns = "n",
     .invoke = invoke_second,
     .blanks = BlankPolicy::Keep,
     .page = kPartsPage},
    {.name = "Weekday",
     .params = "Da?",
     .invoke = invoke_weekday,
     .check = check_weekday,
     .blanks = BlankPolicy::Keep,
     .page = kPartsPage},
    {.name = "WeekNum",
     .params = "Da?",
     .invoke = invoke_week_num,
     .check = check_weekday,
     .blanks = BlankPolicy::Keep,
     .page = kWeekPage},
    {.name = "ISOWeekNum",
     .params = "D",
     .returns = "n",
     .invoke = invoke_iso_week_num,
     .blanks = BlankPolicy::Keep,
     .page = kWeekPage},
    {.name = "DateAdd",
     .params = "aaa?",
     .invoke = invoke_date_add,
     .check = check_date_add,
     .blanks = BlankPolicy::Keep,
     .page = kAddPage},
    {.name = "DateDiff",
     .params = "DDa?",
     .returns = "n",
     .invoke = invoke_date_diff,
     .check = check_date_diff,
     .blanks = BlankPolicy::Keep,
     .page = kAddPage},
    {.name = "EDate",
     .params = "Dn",
     .returns = "d",
     .invoke = invoke_edate,
     .blanks = BlankPolicy::Keep,
     .page = kMonthPage},
    {.name = "EOMonth",
     .params = "Dn",
     .returns = "d",
     .invoke = invoke_eomonth,
     .blanks = BlankPolicy::Keep,
     .page = kMonthPage},
};

}  // namespace

void install_datetime(Engine& engine) {
  engine.add_enum(time_unit_enum());
  engine.add_enum(start_of_week_enum());
  engine.add_enum(date_time_format_enum());
  engine.add_functions(kDateTime);
}

}  // namespace canvasfx::stdlib
