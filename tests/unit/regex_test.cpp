// The regular expression family (stdlib/regex.cpp): matching and its result
// records, MatchOptions, the Match enum, Power Fx's compile-time restrictions
// on patterns, and the time limit on runaway patterns.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class RegexTest : public StdlibTest {};

TEST_F(RegexTest, Options) {
  EXPECT_EQ(eval(R"-(IsMatch("ihi", "h"))-"), "true");
  EXPECT_EQ(eval(R"-(IsMatch("ihi", "h", MatchOptions.Complete))-"), "false");
  EXPECT_EQ(eval(R"-(IsMatch("Hi", "I", MatchOptions.EndsWith & MatchOptions.IgnoreCase))-"),
            "true");
  EXPECT_EQ(eval(R"-(IsMatch(Blank(), "."))-"), "false");
  EXPECT_EQ(eval(R"-(MatchAll("a1" & Char(10) & "b2", "\d$", MatchOptions.Multiline))-"),
            "Table({FullMatch:\"1\",StartMatch:2},{FullMatch:\"2\",StartMatch:5})");
  EXPECT_EQ(eval(R"-(IsMatch("a#b c", "(?x)a[ #]b[ #]c"))-"), "true");
}

TEST_F(RegexTest, MatchRecords) {
  EXPECT_EQ(eval(R"-(Match("Hello", "(?<p1>\w)l(?<p2>\w)"))-"),
            "{FullMatch:\"ell\",StartMatch:2,p1:\"e\",p2:\"l\"}");
  // Plain groups do not capture unless NumberedSubMatches.
  EXPECT_EQ(eval(R"-(Match("Hello", "(\w)l(\w)"))-"), "{FullMatch:\"ell\",StartMatch:2}");
  EXPECT_EQ(eval(R"-(Match("%abc%", "(a|b|c)?", MatchOptions.NumberedSubMatches))-"),
            "{FullMatch:\"\",StartMatch:1,SubMatches:Table({Value:Blank()})}");
  EXPECT_EQ(eval(R"-(Match("abc", "x"))-"), "Blank()");
  EXPECT_EQ(eval(R"-(MatchAll(Blank(), "."))-"), "Table()");
  // StartMatch counts UTF-16 code units, as Power Fx does.
  EXPECT_EQ(eval(R"-(Match("😀a", "a").StartMatch)-"), "3");
}

TEST_F(RegexTest, MatchEnum) {
  EXPECT_EQ(eval(R"-(Match("abc84ife925", Match.MultipleDigits).FullMatch)-"), "\"84\"");
  EXPECT_EQ(
      eval(R"-(Match("Bob <bob.jones@contoso.com>", "<(?<email>" & Match.Email & ")>").email)-"),
      "\"bob.jones@contoso.com\"");
}

TEST_F(RegexTest, PatternsMustBeConstant) {
  EXPECT_TRUE(reports(R"-(Match("28", 28))-", "Regular expression must be a constant value."));
  EXPECT_TRUE(
      reports(R"-(Match("a", Char(65 + 32)))-", "Regular expression must be a constant value."));
  // Concatenations and calls of pure functions on constants are constant.
  EXPECT_EQ(eval(R"-(IsMatch("a" & Char(10), "a" & Char(10)))-"), "true");
  EXPECT_TRUE(reports(R"-(Match("a", "a", If(Int(4) > 1, MatchOptions.IgnoreCase)))-",
                      "MatchOptions must be a constant value."));
}

TEST_F(RegexTest, UnsupportedPatterns) {
  EXPECT_TRUE(reports(R"-(Match("t", "\a"))-",
                      "Invalid regular expression: Invalid escape code, found \"\\a\"."));
  EXPECT_TRUE(
      reports(R"-(Match("t", "a{2}?"))-",
              "Invalid regular expression: Exact quantifiers cannot be used with quantifier "
              "modifiers such as ? for lazy, found \"{2}?\"."));
  EXPECT_TRUE(
      reports(R"-(Match("t", "[a-]"))-",
              "Invalid regular expression: Literal hyphen in character class must be escaped "
              "with backslash, escape with \"\\-\", found at the end of \"[a-\"."));
  EXPECT_TRUE(reports(R"-(Match("t", "(a*)*", MatchOptions.NumberedSubMatches))-",
                      "Invalid regular expression: Quantifier on a group containing another "
                      "quantifier or empty alternation that could result in an ambiguous result, "
                      "found at the end of \"(a*)*\"."));
  EXPECT_TRUE(reports(R"-(Match("t", "(a"))-",
                      "Invalid regular expression: Unclosed groups, too few closing parenthesis."));
  EXPECT_TRUE(
      reports(R"-(Match("t", "(?<a>t).*(?<a>t)"))-",
              "Invalid regular expression: Named sub match defined more than once, found at "
              "the beginning of \"(?<a>t)\"."));
}

TEST_F(RegexTest, RunawayPatternEndsWithAnError) {
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(
      eval(R"-(IsMatch("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "(a+)+b"))-"),
      "Error({Kind:ErrorKind.Timeout})");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

}  // namespace
}  // namespace canvasfx
