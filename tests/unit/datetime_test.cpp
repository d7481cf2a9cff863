// The datetime family (stdlib/datetime*.cpp) and the date/time mechanisms it
// relies on (serial-day coercions, date arithmetic, DST handling, parsing):
// each test fixes the engine's zone and, where it matters, its clock.
#include <gtest/gtest.h>

#include <string>

#include "canvasfx/calendar.h"
#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class DateTimeTest : public StdlibTest {
 protected:
  DateTimeTest() { engine_.set_time_zone("UTC"); }
};

TEST_F(DateTimeTest, ConstructorsOverflowIntoTheNextUnit) {
  EXPECT_EQ(eval("Date(2000, 25, 69)"), "Date(2002,3,10)");
  EXPECT_EQ(eval("Date(2022, 2, 0)"), "Date(2022,1,31)");
  EXPECT_EQ(eval("DateTime(2001, 1, 2, 2, -1, 59, 999)"), "DateTime(2001,1,2,1,59,59,999)");
  EXPECT_EQ(eval("Time(26, 90, 90)"), "Time(3,31,30,0)");  // printed within the day
  EXPECT_EQ(eval("Value(Time(26, 0, 0))"), "1.0833333333333333");
}

TEST_F(DateTimeTest, ConstructorsReportEveryBadArgument) {
  EXPECT_EQ(eval("Date(-1, 1, 1)"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("Date(1970, 1e28, 3)"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("Time(Sqrt(-2), 34, 2/0)"),
            "Error(Table({Kind:ErrorKind.Numeric},{Kind:ErrorKind.Div0}))");
}

TEST_F(DateTimeTest, NumbersAreSerialDaysSince1899) {
  EXPECT_EQ(eval("Value(Date(1900, 1, 1))"), "2");
  EXPECT_EQ(eval("Value(DateTime(2000, 1, 1, 12, 0, 0))"), "36526.5");
  EXPECT_EQ(eval("Day(44811)"), "7");
  EXPECT_EQ(eval("-Date(1900, 1, 1)"), "Date(1899,12,28)");
  EXPECT_EQ(eval("If(1<0, Date(2023,1,1)) + 2"), "Date(1900,1,1)");
}

TEST_F(DateTimeTest, ArithmeticMixesDatesTimesAndDays) {
  EXPECT_EQ(eval("Date(2022, 9, 8) + Time(12, 34, 56)"), "DateTime(2022,9,8,12,34,56,0)");
  EXPECT_EQ(eval("Date(2001, 2, 14) - 2.3"), "Date(2001,2,11)");
  EXPECT_EQ(eval("Time(18, 30, 0) - Time(6, 30, 0)"), "0.5");
  EXPECT_EQ(eval("80 - Date(1900, 1, 1)"), "Error({Kind:ErrorKind.NotSupported})");
  EXPECT_EQ(eval("Date(2019, 5, 16) > Time(11, 23, 45)"), "true");
}

TEST_F(DateTimeTest, PartsOfBlankFollowExcelsDayZero) {
  EXPECT_EQ(eval("Year(Blank())"), "1900");
  EXPECT_EQ(eval("Month(\"\")"), "1");
  EXPECT_EQ(eval("Day(Blank())"), "0");
  EXPECT_EQ(eval("Minute(Time(26, 90, 90))"), "31");
}

TEST_F(DateTimeTest, WeekdayAndWeekNumTakeExcelCodes) {
  EXPECT_EQ(eval("Weekday(Date(2016, 1, 3), StartOfWeek.MondayZero)"), "6");
  EXPECT_EQ(eval("Weekday(Date(2016, 1, 3), 13)"), "5");
  EXPECT_EQ(eval("Weekday(Date(2016, 1, 3), 5)"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("WeekNum(Date(2020, 2, 29))"), "9");
  EXPECT_EQ(eval("WeekNum(Blank(), StartOfWeek.Tuesday)"), "53");
  EXPECT_EQ(eval("ISOWeekNum(Date(2021, 1, 3))"), "53");
  EXPECT_EQ(eval("ISOWeekNum(Date(2021, 1, 4))"), "1");
}

TEST_F(DateTimeTest, StronglyTypedEnumsRejectTheirUnderlyingValues) {
  engine_.features().strongly_typed_builtin_enums = true;
  EXPECT_EQ(eval("Weekday(Date(2016, 1, 3), StartOfWeek.Monday)"), "7");
  EXPECT_EQ(diagnostic("Weekday(Date(2016, 1, 3), 2)"),
            "Invalid argument type (Number). Expecting a Enum (StartOfWeek) value instead.");
  EXPECT_EQ(diagnostic("DateAdd(Date(2001,1,1), 3, \"quarters\")"),
            "Invalid argument type (Text). Expecting a Enum (TimeUnit) value instead.");
}

TEST_F(DateTimeTest, DateAddKeepsTheKindAndClampsMonths) {
  EXPECT_EQ(eval("DateAdd(Date(2004, 2, 29), -12, TimeUnit.Months)"), "Date(2003,2,28)");
  EXPECT_EQ(eval("DateAdd(DateTime(2000,1,1,0,0,0), -1.9, TimeUnit.Years)"),
            "DateTime(1999,1,1,0,0,0,0)");
  EXPECT_EQ(eval("DateAdd(DateTime(2000,1,1,0,0,0), 1.9)"), "DateTime(2000,1,2,21,36,0,0)");
  EXPECT_EQ(eval("DateAdd(Time(12, 34, 56), 0.25)"), "Time(18,34,56,0)");
  EXPECT_EQ(eval("DateAdd(Date(2000,1,1), 1, \"\")"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("DateAdd(Date(2001,1,1), 1e28, TimeUnit.Years)"),
            "Error({Kind:ErrorKind.InvalidArgument})");
}

TEST_F(DateTimeTest, DateDiffCountsBoundaries) {
  EXPECT_EQ(eval("DateDiff(DateTime(2005,12,31,23,59,59,999), DateTime(2007,1,1,0,0,0), "
                 "TimeUnit.Seconds)"),
            "31536001");
  EXPECT_EQ(eval("DateDiff(DateTime(2011,12,31,0,0,0), DateTime(2011,12,31,23,59,59,999))"), "0");
  EXPECT_EQ(eval("DateDiff(Date(2011,1,15), Date(2011,7,30), TimeUnit.Quarters)"), "2");
  EXPECT_EQ(eval("DateDiff(Blank(), DateTime(2005,1,1,0,0,0))"), "38353");
}

TEST_F(DateTimeTest, EDateAndEOMonthStayWithinYears1To9999) {
  EXPECT_EQ(eval("EDate(Date(2012,1,31), -1.9)"), "Date(2011,12,31)");
  EXPECT_EQ(eval("EOMonth(Date(2016,1,15), 1)"), "Date(2016,2,29)");
  EXPECT_EQ(eval("EDate(Date(2023,1,31), 95724)"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("EDate(Blank(), Blank())"), "Date(1899,12,30)");
}

TEST_F(DateTimeTest, ParsesTextInTheLanguagesConventions) {
  EXPECT_EQ(eval("DateValue(\"02/03/45\")"), "Date(2045,2,3)");
  EXPECT_EQ(eval("DateValue(\"0045-02-03\")"), "Date(45,2,3)");
  EXPECT_EQ(eval("DateTimeValue(\"21-Dec-2016 02:55:00\")"), "DateTime(2016,12,21,2,55,0,0)");
  EXPECT_EQ(eval("DateTimeValue(\"jeudi 21 juillet 2022 19:34:03\", \"fr-FR\")"),
            "DateTime(2022,7,21,19,34,3,0)");
  EXPECT_EQ(eval("DateTimeValue(\"21.7.2022. 19:34:03\", \"sr-cyrl-RS\")"),
            "DateTime(2022,7,21,19,34,3,0)");
  EXPECT_EQ(eval("DateValue(\"x\", \"unknown\")"), "Error({Kind:ErrorKind.BadLanguageCode})");
  EXPECT_EQ(eval("TimeValue(\"6:00 PM\")"), "Time(18,0,0,0)");
  EXPECT_EQ(eval("TimeValue(\"1234\")"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("DateValue(\"\")"), "Blank()");
}

TEST_F(DateTimeTest, TextNamingAZoneIsConvertedToTheEngines) {
  engine_.set_time_zone("Romance Standard Time");  // Paris
  EXPECT_EQ(eval("DateValue(\"2022-09-29T20:00:00-08:00\")"), "Date(2022,9,30)");
  EXPECT_EQ(eval("DateTimeValue(\"2022-09-29T20:00:00Z\")"), "DateTime(2022,9,29,22,0,0,0)");
}

TEST_F(DateTimeTest, ClockUnitsMoveTheInstantAcrossDst) {
  engine_.set_time_zone("Pacific Standard Time");
  EXPECT_EQ(eval("DateAdd(DateTime(2017,3,12,1,0,0,0), 1, TimeUnit.Hours)"),
            "DateTime(2017,3,12,3,0,0,0)");
  EXPECT_EQ(eval("DateAdd(DateTime(2017,3,11,3,0,0,0), 1, TimeUnit.Days)"),
            "DateTime(2017,3,12,3,0,0,0)");
  EXPECT_EQ(eval("DateDiff(DateTime(2017,11,5,0,0,0), DateTime(2017,11,5,3,0,0), "
                 "TimeUnit.Hours)"),
            "4");
  // A wall time inside the spring-forward gap moves to its end.
  EXPECT_EQ(eval("DateTime(2023, 3, 12, 2, 30, 0)"), "DateTime(2023,3,12,3,0,0,0)");
  EXPECT_EQ(eval("TimeZoneOffset(DateTime(2022,3,13,1,0,0))"), "480");
}

TEST_F(DateTimeTest, AMidnightSkippedByDstStartsTheDayLater) {
  engine_.set_time_zone("Middle East Standard Time");  // Beirut: 0:00 -> 1:00 on 2021-03-28
  EXPECT_EQ(eval("Date(2021, 3, 27) + Time(12, 0, 0) + Time(12, 0, 0)"),
            "DateTime(2021,3,28,1,0,0,0)");
  EXPECT_EQ(eval("DateAdd(Date(2021, 3, 28), 0) + Time(6, 0, 0)"), "DateTime(2021,3,28,7,0,0,0)");
}

TEST_F(DateTimeTest, NowAndTodayFollowTheEnginesClockAndZone) {
  engine_.set_time_zone("Pacific Standard Time");
  // 2024-01-01T03:00:00Z is 2023-12-31 19:00 in Seattle.
  engine_.set_clock([] { return days_from_civil(2024, 1, 1) * kMsPerDay + 3 * 3600000; });
  EXPECT_EQ(eval("Now()"), "DateTime(2023,12,31,19,0,0,0)");
  EXPECT_EQ(eval("Today()"), "Date(2023,12,31)");
  EXPECT_EQ(eval("UTCToday()"), "Date(2024,1,1)");
  EXPECT_EQ(eval("IsToday(Date(2023,12,31))"), "true");
}

TEST_F(DateTimeTest, FormatsWithExcelPlaceholders) {
  EXPECT_EQ(eval("Text(DateTime(1983,6,3,2,53,9,0), \"dddd, mmmm dd, yyyy hh:mm:ss AM/PM\")"),
            "\"Friday, June 03, 1983 02:53:09 AM\"");
  EXPECT_EQ(eval("Text(DateTime(1983,6,3,2,53,9,0), \"mm:hhutc\")"), "\"06:02utc\"");
  EXPECT_EQ(eval("Text(Date(2016,1,31), \"dddd mmmm d\", \"es-ES\")"), "\"domingo enero 31\"");
  // A format computed at run time fails there (a literal one fails the check).
  EXPECT_EQ(eval("With({f: \"h:mm a/p\"}, Text(DateTime(1983,6,3,2,53,9,0), f))"),
            "Error({Kind:ErrorKind.InvalidArgument})");
}

}  // namespace
}  // namespace canvasfx
