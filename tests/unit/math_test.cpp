// The math family (stdlib/math.cpp): rounding on 15 significant digits,
// Excel's Mod, domain errors, the table overloads, RandBetween's range and
// the 40-bit hexadecimal conversions.
#include <gtest/gtest.h>

#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class MathTest : public StdlibTest {};

TEST_F(MathTest, RoundsTheDecimalDigitsNotTheBinaryValue) {
  // 3*0.415 is 1.2449999999999999 as a double; Power Fx rounds it as 1.245.
  EXPECT_EQ(eval("Round(3*0.415, 2)"), "1.25");
  EXPECT_EQ(eval("RoundUp(3*0.415, 2)"), "1.25");
  EXPECT_EQ(eval("RoundDown(3*0.415, 2)"), "1.24");
  EXPECT_EQ(eval("Round(-45.5, 0)"), "-46");  // half away from zero
  EXPECT_EQ(eval("Round(14.123456, 4)"), "14.1235");
}

TEST_F(MathTest, RoundsToTensWithNegativeDigits) {
  EXPECT_EQ(eval("Round(550, -3)"), "1000");
  EXPECT_EQ(eval("Round(3456, -4)"), "0");
  EXPECT_EQ(eval("RoundUp(3456, -4)"), "10000");
  EXPECT_EQ(eval("RoundDown(-1412.34, -2.9)"), "-1400");  // digits truncate toward zero
  EXPECT_EQ(eval("Trunc(1412.34, -1.2)"), "1410");
}

TEST_F(MathTest, LeavesNumbersWithFewerDigitsAlone) {
  EXPECT_EQ(eval("Round(14.123456, 1e28)"), "14.123456");
  EXPECT_EQ(eval("Round(-1e28, 2)"), "-1E+28");
  EXPECT_EQ(eval("Trunc(2.111)"), "2");
  EXPECT_EQ(eval("Int(-4.1)"), "-5");
}

TEST_F(MathTest, ModTakesTheDivisorsSign) {
  EXPECT_EQ(eval("Mod(-5.5, 2)"), "0.5");
  EXPECT_EQ(eval("Mod(99, -100)"), "-1");
  EXPECT_EQ(eval("Mod(-3456, -11)"), "-2");
  EXPECT_EQ(eval("Mod(1E+18, -123)"), "-107");
  EXPECT_EQ(eval("Mod(1, 0)"), "Error({Kind:ErrorKind.Div0})");
}

TEST_F(MathTest, DomainErrors) {
  EXPECT_EQ(eval("Sqrt(-5)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Ln(0)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Exp(750)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Log(10, 1)"), "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(eval("Log(64, Blank())"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Power(Blank(), -2)"), "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(eval("Power(-14.123456, 3.678)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Cot(0)"), "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(eval("Atan2(0, 0)"), "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(eval("Asin(2)"), "Error({Kind:ErrorKind.Numeric})");
}

TEST_F(MathTest, BlanksAreZero) {
  EXPECT_EQ(eval("Power(Blank(), Blank())"), "1");
  EXPECT_EQ(eval("Cos(Blank())"), "1");
  EXPECT_EQ(eval("RoundUp(56.78, Blank())"), "57");
}

TEST_F(MathTest, Trigonometry) {
  EXPECT_EQ(eval("Atan2(1, 0)"), "0");  // Excel order: x first
  EXPECT_EQ(eval("Round(Atan2(0, 1), 6)"), "1.570796");
  EXPECT_EQ(eval("Round(Acot(-1), 6)"), "2.356194");
  EXPECT_EQ(eval("Round(Degrees(Pi()), 9)"), "180");
  EXPECT_EQ(eval("Round(Radians(-180), 6)"), "-3.141593");
}

TEST_F(MathTest, TableOverloads) {
  EXPECT_EQ(eval("Abs([-1, 0, 2])"), "Table({Value:1},{Value:0},{Value:2})");
  EXPECT_EQ(eval("Round(Table({a: 123.456}, {a: 345.678}), Table({b: 1}, {b: 2}))"),
            "Table({Value:123.5},{Value:345.68})");
  EXPECT_EQ(eval("Trunc(1234.5678, [-2, 0, 2])"),
            "Table({Value:1200},{Value:1234},{Value:1234.56})");
  EXPECT_EQ(eval("Mod(3, [2, 0])"), "Table({Value:1},{Value:Error({Kind:ErrorKind.Div0})})");
  EXPECT_EQ(eval("Sqrt(If(1<0, [1]))"), "Blank()");
}

TEST_F(MathTest, RandBetweenStaysInItsWholeNumberRange) {
  engine_.set_random([] { return 0.999999; });
  EXPECT_EQ(eval("RandBetween(3, 4)"), "4");
  EXPECT_EQ(eval("RandBetween(3.5, 3.7)"), "4");  // no whole number between: the ceiling
  engine_.set_random([] { return 0.0; });
  EXPECT_EQ(eval("RandBetween(3, 4)"), "3");
  EXPECT_EQ(eval("RandBetween(4.7, 4.5)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("RandBetween(-1.7976931348623157e308, 1.7976931348623157e308) < 0"), "true");
  engine_.set_random([] { return 0.25; });
  EXPECT_EQ(eval("Rand()"), "0.25");
}

TEST_F(MathTest, Hexadecimal) {
  EXPECT_EQ(eval("Dec2Hex(3213)"), "\"C8D\"");
  EXPECT_EQ(eval("Dec2Hex(-165)"), "\"FFFFFFFF5B\"");
  EXPECT_EQ(eval("Dec2Hex(45780, 6)"), "\"00B2D4\"");
  EXPECT_EQ(eval("Dec2Hex(45780, 3)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Dec2Hex(-45780, 11)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Dec2Hex(549755813888)"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Hex2Dec(\"FfFf\")"), "65535");
  EXPECT_EQ(eval("Hex2Dec(\"8000000002\")"), "-549755813886");
  EXPECT_EQ(eval("Hex2Dec(\"\")"), "0");
  EXPECT_EQ(eval("Hex2Dec(\"43j\")"), "Error({Kind:ErrorKind.Numeric})");
  EXPECT_EQ(eval("Hex2Dec(\"00000000001\")"), "Error({Kind:ErrorKind.Numeric})");
}

}  // namespace
}  // namespace canvasfx
