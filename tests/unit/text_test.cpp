// The text family (stdlib/text.cpp, stdlib/text_format.cpp): UTF-16 positions,
// case-insensitive affix tests, the table overloads, encodings, and Text()'s
// Excel-style number formats.
#include <gtest/gtest.h>

#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class TextTest : public StdlibTest {};

TEST_F(TextTest, CountsAndSlicesUtf16CodeUnits) {
  EXPECT_EQ(eval("Len(\"😀a\")"), "3");  // a surrogate pair counts twice
  EXPECT_EQ(eval("Mid(\"a😀b\", 2, 2)"), "\"😀\"");
  EXPECT_EQ(eval("Left(\"HelloWorld\", 1e28)"), "\"HelloWorld\"");
  EXPECT_EQ(eval("Right(\"abc\", -1)"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("Mid(\"abcdef\", 3.1, 1.9)"), "\"c\"");  // positions truncate
  EXPECT_EQ(eval("Replace(\"abcd\", 2, 2, \"P\")"), "\"aPd\"");
}

TEST_F(TextTest, FindIsCaseSensitiveAndChecksItsStart) {
  EXPECT_EQ(eval("Find(\"b\", \"LastNameisBiller\")"), "Blank()");
  EXPECT_EQ(eval("Find(\"B\", \"LastNameisBiller\")"), "11");
  EXPECT_EQ(eval("Find(\"\", \"abc\", 4)"), "4");
  EXPECT_EQ(eval("Find(\"\", \"abc\", 5)"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("Find(\"a\", \"abc\", Blank())"), "Error({Kind:ErrorKind.InvalidArgument})");
}

TEST_F(TextTest, StartsAndEndsWithIgnoreCase) {
  EXPECT_EQ(eval("StartsWith(\"Hello\", \"hE\")"), "true");
  EXPECT_EQ(eval("EndsWith(\"Hello\", \"LO\")"), "true");
  EXPECT_EQ(eval("EndsWith(\"a\", \"aa\")"), "false");
}

TEST_F(TextTest, SubstitutesOneOrEveryInstance) {
  EXPECT_EQ(eval("Substitute(\"aaaaa\", \"aa\", \"x\")"), "\"xxa\"");
  EXPECT_EQ(eval("Substitute(\"abcabc\", \"b\", \"X\", 2)"), "\"abcaXc\"");
  EXPECT_EQ(eval("Substitute(\"abc\", \"b\", \"X\", 0)"),
            "Error({Kind:ErrorKind.InvalidArgument})");
}

TEST_F(TextTest, TrimCollapsesInnerSpaces) {
  EXPECT_EQ(eval("Trim(\"  a   b  \")"), "\"a b\"");
  EXPECT_EQ(eval("TrimEnds(\"  a   b  \")"), "\"a   b\"");
}

TEST_F(TextTest, MapsOverOneColumnTables) {
  EXPECT_EQ(eval("Len([\"abc\", 12])"), "Table({Value:3},{Value:2})");
  // A shorter table gives NotApplicable rows; a scalar error goes to every row.
  EXPECT_EQ(eval("Left([\"ab\", \"cd\"], [1])"),
            "Table({Value:\"a\"},{Value:Error({Kind:ErrorKind.NotApplicable})})");
  EXPECT_EQ(eval("Mid([\"ab\", \"cd\"], 1/0)"),
            "Table({Value:Error({Kind:ErrorKind.Div0})},{Value:Error({Kind:ErrorKind.Div0})})");
  EXPECT_EQ(eval("Left(If(1<0, [\"a\"]), 1)"), "Blank()");
}

TEST_F(TextTest, CombinesTheErrorsOfSeveralArguments) {
  EXPECT_EQ(eval("Mid(\"abcd\", \"x\", \"y\")"),
            "Error(Table({Kind:ErrorKind.InvalidArgument},{Kind:ErrorKind.InvalidArgument}))");
}

TEST_F(TextTest, ConcatJoinsALambdaOverRows) {
  EXPECT_EQ(eval("Concat([1, 2, 3], Value * 2, \"-\")"), "\"2-4-6\"");
  EXPECT_EQ(eval("Concat(If(1<0, [1]), Value)"), "Blank()");
  EXPECT_EQ(eval("Concat([1, 0], 1/Value)"), "Error({Kind:ErrorKind.Div0})");
}

TEST_F(TextTest, CharactersAndSplit) {
  EXPECT_EQ(eval("Char(65.9)"), "\"A\"");
  EXPECT_EQ(eval("Char(256)"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("UniChar(55296)"), "Error({Kind:ErrorKind.NotApplicable})");
  EXPECT_EQ(eval("Split(\"a,b,\", \",\")"), "Table({Value:\"a\"},{Value:\"b\"},{Value:\"\"})");
  EXPECT_EQ(eval("Split(\"ab\", \"\")"), "Table({Value:\"a\"},{Value:\"b\"})");
}

TEST_F(TextTest, Encodes) {
  EXPECT_EQ(eval("EncodeUrl(\"a b/é\")"), "\"a%20b%2F%C3%A9\"");
  EXPECT_EQ(eval("EncodeHTML(\"<a href='x'>é💩</a>\")"),
            "\"&lt;a href=&#39;x&#39;&gt;&#233;&#128169;&lt;/a&gt;\"");
  EXPECT_EQ(eval("PlainText(\"<p>a &amp; b</p><script>x</script>\")"), "\"a & b\"");
}

TEST_F(TextTest, ParsesGuids) {
  EXPECT_EQ(eval("GUID(\"{5CC45615-F759-4A53-B225-D3A2497F60AD}\")"),
            "GUID(\"5cc45615-f759-4a53-b225-d3a2497f60ad\")");
  EXPECT_EQ(eval("GUID(\"5cc45615f7594a53b225d3a2497f60ad\")"),
            "GUID(\"5cc45615-f759-4a53-b225-d3a2497f60ad\")");
  EXPECT_EQ(eval("GUID(\"5cc45615-f75-94a5-3b225d3a24-97f60ad\")"),
            "Error({Kind:ErrorKind.InvalidArgument})");
}

TEST_F(TextTest, FormatsNumbersExcelStyle) {
  EXPECT_EQ(eval("Text(1234.567, \"#,##0.00\")"), "\"1,234.57\"");
  EXPECT_EQ(eval("Text(0.5, \"0%\")"), "\"50%\"");
  EXPECT_EQ(eval("Text(1234567, \"0.00E+00\")"), "\"1.23E+06\"");
  EXPECT_EQ(eval("Text(-5, \"0;(0)\")"), "\"(5)\"");
  EXPECT_EQ(eval("Text(0, \"0;(0);zero\")"), "\"zero\"");
  EXPECT_EQ(eval("Text(-1, \"$0.00\")"), "\"-$1.00\"");
  EXPECT_EQ(eval("Text(123456789, \"#,##0,,\\M\")"), "\"123M\"");  // trailing commas scale
  // A comma before a literal vanishes.
  EXPECT_EQ(eval("Text(1234567, \"#,z###\")"), "\"1234z567\"");
  EXPECT_EQ(eval("Text(1234.5, \"#,##0.0\", \"fr-FR\")"), "\"1\u202f234,5\"");
}

TEST_F(TextTest, RejectsInvalidFormats) {
  auto check = engine_.check("Text(1, \"# y\")");
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(eval("With({f: \"#;#;#;#\"}, Text(1, f))"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval("With({f: \"0.0E+0.0\"}, Text(1, f))"), "Error({Kind:ErrorKind.InvalidArgument})");
}

}  // namespace
}  // namespace canvasfx
