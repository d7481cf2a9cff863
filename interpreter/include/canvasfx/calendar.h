// Proleptic Gregorian calendar arithmetic on day and millisecond counts since
// 1970-01-01 (Howard Hinnant's algorithms). Time zones are not handled here.
#pragma once

#include <cstdint>

namespace canvasfx {

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

struct DateTimeParts {
  int64_t year;
  int month, day, hour, minute, second, millisecond;
};

constexpr int64_t kMsPerDay = 86400000;
// Day 0 of Excel/OLE serial dates, 1899-12-30: numbers convert to and from
// dates as days since then (Value(Date(1900,1,1)) = 2).
constexpr int64_t kSerialEpochDays = -25569;

constexpr int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{y + (m <= 2), m, d};
}

constexpr int days_in_month(int64_t year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

constexpr int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

constexpr DateTimeParts split_datetime(int64_t ms) {
  int64_t days = floor_div(ms, kMsPerDay);
  int64_t rest = ms - days * kMsPerDay;
  CivilDate c = civil_from_days(days);
  return DateTimeParts{c.year,
                       c.month,
                       c.day,
                       static_cast<int>(rest / 3600000),
                       static_cast<int>(rest / 60000 % 60),
                       static_cast<int>(rest / 1000 % 60),
                       static_cast<int>(rest % 1000)};
}

}  // namespace canvasfx
