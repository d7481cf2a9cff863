// The aggregates family (stdlib/aggregates.cpp): both overloads of Sum,
// Average, Min, Max, StdevP and VarP, their blank and error rules, Min/Max
// over dates and times, the table counts and IsEmpty.
#include <gtest/gtest.h>

#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class AggregatesTest : public StdlibTest {};

TEST_F(AggregatesTest, SeparateValuesIgnoreBlanks) {
  EXPECT_EQ(eval("Sum(1, Blank(), 2)"), "3");
  EXPECT_EQ(eval("Sum(Blank(), Blank())"), "Blank()");
  EXPECT_EQ(eval("Average(1, Blank(), 2, Blank(), 3)"), "2");
  EXPECT_EQ(eval("Average(Blank())"), "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(eval("Min(-1, Blank(), -3)"), "-3");
  EXPECT_EQ(eval("Max(Blank())"), "Blank()");
  EXPECT_EQ(eval("VarP(1, 3, Blank(), 5)"), print_number(8.0 / 3));
  EXPECT_EQ(eval("StdevP(Blank())"), "Error({Kind:ErrorKind.Div0})");
}

TEST_F(AggregatesTest, TextAndBooleansCoerce) {
  EXPECT_EQ(eval("Sum(\"10\", true)"), "11");
  EXPECT_EQ(eval("Max(\"9\", \"10\")"), "10");
  EXPECT_EQ(eval("Sum(\"100\", \"AB\")"), "Error({Kind:ErrorKind.InvalidArgument})");
}

TEST_F(AggregatesTest, FormulaOverTableRows) {
  EXPECT_EQ(eval("Sum([1, 2, 3, 4], Value * 2)"), "20");
  EXPECT_EQ(eval("Average([1, 2, 3, 4], Value)"), "2.5");
  EXPECT_EQ(eval("Max([1, 5, 3], Value)"), "5");
  // Blank rows are visited: the formula decides what they are worth.
  EXPECT_EQ(eval("Sum(Table({a:1}, If(1<0, {a:2}), {a:3}), Coalesce(a, 100))"), "104");
  EXPECT_EQ(eval("Sum(Filter([1, 2], Value > 5), Value)"), "Blank()");
  EXPECT_EQ(eval("Average(Filter([1, 2], Value > 5), Value)"), "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(eval("Sum([1, 1/0, 3], Value)"), "Error({Kind:ErrorKind.Div0})");
}

TEST_F(AggregatesTest, OverflowIsNumeric) {
  EXPECT_EQ(eval("Sum(1E+308, 1E+308)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("VarP(1e200, 2e200, 3e200, 4e200)"), "Error({Kind:ErrorKind.Numeric})");
}

TEST_F(AggregatesTest, MinMaxKeepArgumentZerosType) {
  EXPECT_EQ(eval("Min(Time(12, 1, 7), Date(1985, 3, 5))"), "Time(12,1,7,0)");
  EXPECT_EQ(eval("Min(DateTime(2014, 11, 11, 13, 50, 0), Date(1985, 3, 5))"),
            "DateTime(1985,3,5,0,0,0,0)");
  EXPECT_EQ(eval("Min(Date(2112, 1, 1), 45000)"), "Date(2023,3,15)");
  EXPECT_EQ(eval("Min(Time(12, 0, 0), 0.25)"), "Time(6,0,0,0)");
  EXPECT_EQ(eval("Min(50000, DateTime(2023, 3, 15, 18, 0, 0))"), "45000.75");
  EXPECT_EQ(eval("Max(Sequence(3), Date(2000, 1, 10 + Value))"), "Date(2000,1,13)");
}

TEST_F(AggregatesTest, MinMaxRejectRecords) {
  EXPECT_TRUE(reports("Min(1, {a:3})",
                      "Expected number. We expect a number at this point in the formula."));
}

TEST_F(AggregatesTest, Counts) {
  EXPECT_EQ(eval("Count([1, 2, Blank()])"), "2");
  EXPECT_EQ(eval("CountA([\"\", \" \", Blank()])"), "2");  // "" is not Blank here
  EXPECT_EQ(eval("CountA([1/0, 2])"), "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(eval("CountRows([Blank(), Blank()])"), "2");
  EXPECT_EQ(eval("CountRows(If(1<0, [1]))"), "0");
  EXPECT_EQ(eval("CountIf([1, 2, 3, 4, 5], Value > 2)"), "3");
  EXPECT_EQ(eval("CountIf([1, 2, 3, 4, 5, 6], Mod(Value, 2) = 0, Value > 2)"), "2");
  EXPECT_EQ(eval("CountIf([1, 2], If(Value = 2, Value > 1))"), "1");  // Blank is not true
}

TEST_F(AggregatesTest, IsEmpty) {
  EXPECT_EQ(eval("IsEmpty(Filter([1, 2], Value > 5))"), "true");
  EXPECT_EQ(eval("IsEmpty([Blank()])"), "false");  // a row, although blank
  EXPECT_EQ(eval("IsEmpty(Blank())"), "true");
  EXPECT_EQ(eval("IsEmpty(ParseJSON(\"[]\"))"), "true");
  EXPECT_EQ(eval("IsEmpty(ParseJSON(\"1\"))"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_TRUE(reports("IsEmpty({a:1})",
                      "Invalid argument type (Record). Expecting a Table value instead."));
}

TEST_F(AggregatesTest, CountNeedsOneColumnOfNumbers) {
  EXPECT_TRUE(reports("Count(Table({a:1, b:2}))",
                      "The first argument of 'Count' should be a one-column table."));
  EXPECT_TRUE(
      reports("Count([\"1\"])", "Invalid schema, expected a column of Number values for 'Value'."));
  EXPECT_EQ(eval("Count(Table({a:Blank()}))"), "0");
}

}  // namespace
}  // namespace canvasfx
