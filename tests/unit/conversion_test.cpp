// The conversion and color families (stdlib/conversion.cpp, stdlib/color.cpp):
// Value/Float's number text grammar and languages, serial dates, Boolean, and
// the color constructors.
#include <gtest/gtest.h>

#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class ConversionTest : public StdlibTest {};

constexpr const char* kInvalid = "Error({Kind:ErrorKind.InvalidArgument})";

TEST_F(ConversionTest, ValueReadsSignsCurrencyPercentAndParentheses) {
  EXPECT_EQ(eval("Value(\"$ - 1,234.5\")"), "-1234.5");
  EXPECT_EQ(eval("Value(\"-%2e3\")"), "-20");
  EXPECT_EQ(eval("Value(\"(123) %\")"), "-1.23");
  EXPECT_EQ(eval("Value(\"\")"), "Blank()");
  EXPECT_EQ(eval("Value(\"$%1\")"), kInvalid);    // currency and percent do not mix
  EXPECT_EQ(eval("Value(\"%(-1)\")"), kInvalid);  // nor parentheses and a sign
  EXPECT_EQ(eval("Value(\"1 23\")"), kInvalid);
  EXPECT_EQ(eval("Value(\"2e\")"), kInvalid);
}

TEST_F(ConversionTest, ValueUsesTheLanguagesSymbols) {
  EXPECT_EQ(eval("Value(\"123,456\", \"es-ES\")"), "123.456");
  EXPECT_EQ(eval("Float(\"€1 234,56\", \"fr\")"), "1234.56");
  EXPECT_EQ(eval("Float(\"$1,234.56\", \"de\")"), kInvalid);
}

TEST_F(ConversionTest, DatesBecomeSerialDays) {
  EXPECT_EQ(eval("Value(DateTime(2022,11,21,6,0,0))"), "44886.25");
  EXPECT_EQ(eval("Float(Date(1899,12,30))"), "0");
}

TEST_F(ConversionTest, BooleanAcceptsTrueAndFalseInAnyCase) {
  EXPECT_EQ(eval("Boolean(\"TRUE\")"), "true");
  EXPECT_EQ(eval("Boolean(\" false\")"), kInvalid);
  EXPECT_EQ(eval("Boolean(2)"), "true");
  EXPECT_EQ(eval("Boolean(If(1<0, true))"), "Blank()");
  EXPECT_EQ(eval("Boolean([0, 1])"), "Table({Value:false},{Value:true})");
}

TEST_F(ConversionTest, BuildsAndFadesColors) {
  EXPECT_EQ(eval("RGBA(255.9, 1.5, 0, 0.003)"), "RGBA(255,1,0,0.004)");
  EXPECT_EQ(eval("RGBA(256, 0, 0, 1)"), kInvalid);
  EXPECT_EQ(eval("ColorValue(\"#aabbccdd\")"), "RGBA(170,187,204,0.867)");
  EXPECT_EQ(eval("ColorValue(\"RED\")"), "RGBA(255,0,0,1)");
  EXPECT_EQ(eval("ColorValue(\"#12\")"), kInvalid);
  EXPECT_EQ(eval("ColorFade(RGBA(255,100,0,1), 0.5)"), "RGBA(255,177,127,1)");
  EXPECT_EQ(eval("ColorFade(RGBA(255,100,0,1), -0.5)"), "RGBA(127,50,0,1)");
  EXPECT_EQ(eval("ColorFade(RGBA(0,0,0,1), 1.1)"), kInvalid);
}

}  // namespace
}  // namespace canvasfx
