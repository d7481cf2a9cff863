#include "input_scanner.h"

#include <gtest/gtest.h>

#include <string>

namespace canvasfx::cli {
namespace {

bool complete(std::string_view text) {
  InputScanner s;
  s.feed(text);
  s.feed("\n");
  return s.complete();
}

TEST(InputScanner, Brackets) {
  EXPECT_TRUE(complete("1 + 2"));
  EXPECT_FALSE(complete("If(true,"));
  EXPECT_FALSE(complete("[1, 2"));
  EXPECT_FALSE(complete("{a: 1"));
  EXPECT_TRUE(complete("If(true, [1], {a: 1})"));
  EXPECT_TRUE(complete(")))"));  // stray closers are the parser's business
}

TEST(InputScanner, StringsNamesComments) {
  EXPECT_FALSE(complete("\"abc"));
  EXPECT_TRUE(complete("\"a\"\"(\""));
  EXPECT_TRUE(complete("\"(\""));
  EXPECT_FALSE(complete("'my name"));
  EXPECT_TRUE(complete("'it''s ('"));
  EXPECT_FALSE(complete("1 /* open"));
  EXPECT_TRUE(complete("1 /* ( */"));
  EXPECT_TRUE(complete("1 // ( comment"));
}

TEST(InputScanner, Interpolation) {
  EXPECT_TRUE(complete("$\"a{1+1}b\""));
  EXPECT_FALSE(complete("$\"a{If(true,"));
  EXPECT_TRUE(complete("$\"{{ literal\""));
  EXPECT_TRUE(complete("$\"a{ $\"in{2}\" }b\""));
  EXPECT_FALSE(complete("$\"a{1}"));
}

TEST(InputScanner, IncrementalAcrossLines) {
  InputScanner s;
  s.feed("If(true,\n");
  EXPECT_FALSE(s.complete());
  s.feed("  \"x\n");
  EXPECT_FALSE(s.complete());
  s.feed("\")\n");
  EXPECT_TRUE(s.complete());
}

TEST(InputScanner, DeepNesting) {
  InputScanner s;
  s.feed(std::string(100000, '('));
  EXPECT_EQ(s.depth(), 100000u);
  s.feed(std::string(100000, ')'));
  EXPECT_TRUE(s.complete());
}

}  // namespace
}  // namespace canvasfx::cli

namespace canvasfx::cli {
namespace {

TEST(InputScanner, CommentOnlyInputHasNoCode) {
  InputScanner s;
  s.feed("  // just a note\n");
  EXPECT_TRUE(s.complete());
  EXPECT_FALSE(s.has_code());
  s.feed("/* block */ \n");
  EXPECT_FALSE(s.has_code());
  s.feed("1\n");
  EXPECT_TRUE(s.has_code());
  s.reset();
  EXPECT_FALSE(s.has_code());
}

}  // namespace
}  // namespace canvasfx::cli
