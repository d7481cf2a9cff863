// The JSON and untyped family (stdlib/json.cpp, stdlib/untyped.cpp): ParseJSON
// and walking its result, the untyped overloads of table functions, AsType and
// IsType with type arguments, and JSON() serialization and its formats.
#include <gtest/gtest.h>

#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class JsonTest : public StdlibTest {};

TEST_F(JsonTest, ParseAndWalk) {
  EXPECT_EQ(eval(R"-(Value(Index(ParseJSON("{""a"": [1, 2.5]}").a, 2)))-"), "2.5");
  EXPECT_EQ(eval(R"-(Text(ParseJSON("{""a"": ""x""}").a))-"), "\"x\"");
  EXPECT_EQ(eval(R"-(ParseJSON("{""a"": null}").a)-"), "Blank()");
  EXPECT_EQ(eval(R"-(ParseJSON("null"))-"), "Blank()");
  EXPECT_EQ(eval(R"-(ParseJSON("{""a"": 5, ""A"": 10}").A + 0)-"), "10");
  EXPECT_EQ(eval(R"-(ParseJSON("[1,"))-"), "Error({Kind:ErrorKind.InvalidJSON})");
  EXPECT_EQ(eval(R"-(Value(ParseJSON("""s""").a))-"), "Error({Kind:ErrorKind.InvalidArgument})");
}

TEST_F(JsonTest, UntypedArraysAsTables) {
  EXPECT_EQ(eval(R"-(CountRows(ParseJSON("[1, 2, 3]")))-"), "3");
  EXPECT_EQ(eval(R"-(ForAll(ParseJSON("[5, null, 7]"), Value(ThisRecord)))-"),
            "Table({Value:5},{Value:Blank()},{Value:7})");
  EXPECT_EQ(eval(R"-(Sum(Table(ParseJSON("[1, 2, 3]")), Value(Value)))-"), "6");
  EXPECT_EQ(eval(R"-(Value(First(LastN(ParseJSON("[1, 2, 3, 4]"), 2))))-"), "3");
  EXPECT_EQ(eval(R"-(CountRows(FirstN(ParseJSON("[1, 2, 3, 4]"), 3)))-"), "3");
  EXPECT_EQ(eval(R"-(Last(ParseJSON("[]")))-"), "Blank()");
  EXPECT_EQ(eval(R"-(Index(ParseJSON("123"), 1))-"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval(R"-(ColumnNames(ParseJSON("{""b"": 1, ""a"": 2}")))-"),
            "Table({Value:\"b\"},{Value:\"a\"})");
  EXPECT_EQ(eval(R"-(Text(Column(ParseJSON("{""2"": ""two""}"), 2)))-"), "\"two\"");
}

TEST_F(JsonTest, TypeArguments) {
  EXPECT_EQ(eval(R"-(AsType(ParseJSON("{""a"": 5, ""b"": true}"), Type({a: Number})))-"), "{a:5}");
  EXPECT_EQ(eval(R"-(ParseJSON("[{""a"": ""x""}]", Type([{a: Text}])))-"), "Table({a:\"x\"})");
  EXPECT_EQ(eval(R"-(ParseJSON("""1984-01-01""", Date))-"), "Date(1984,1,1)");
  EXPECT_EQ(eval(R"-(ParseJSON("5", Text))-"), "Error({Kind:ErrorKind.InvalidArgument})");
  EXPECT_EQ(eval(R"-(IsType(ParseJSON("{""a"": 5}"), Type({a: Text})))-"), "false");
  EXPECT_EQ(eval(R"-(IsType(ParseJSON("[1, 2]"), Type([Number])))-"), "true");
  EXPECT_TRUE(
      reports(R"-(IsType(ParseJSON("1"), Void))-",
              "Invalid argument 'Void'. Expected valid type name or inline type expression."));
  EXPECT_TRUE(reports(R"-(ParseJSON("{}", Type({b: [Color]})))-",
                      "Unsupported type 'Color' in type argument."));
  EXPECT_TRUE(reports(R"-(AsType(ParseJSON("5"), Type(5)))-",
                      "Type expression is invalid. '5' cannot be used in a type expression."));
}

TEST_F(JsonTest, Serialize) {
  EXPECT_EQ(eval(R"-(JSON({b: "x", a: [1, 2]}))-"),
            R"-("{""a"":[{""Value"":1},{""Value"":2}],""b"":""x""}")-");
  EXPECT_EQ(eval(R"-(JSON([1, 2], JSONFormat.FlattenValueTables))-"), R"-("[1,2]")-");
  EXPECT_EQ(eval(R"-(JSON("a""b\" & Char(10)))-"), R"-("""a\""b\\\n""")-");
  EXPECT_EQ(eval(R"-(JSON(RGBA(18, 52, 86, 0.5)))-"), R"-("""#12345680""")-");
  EXPECT_EQ(eval(R"-(JSON(Date(2022, 8, 7)))-"), R"-("""2022-08-07""")-");
  EXPECT_EQ(eval(R"-(JSON({a: 1/0}))-"), "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(eval(R"-(JSON({a: 1}, JSONFormat.IndentFour))-"), "\"{\n    \"\"a\"\": 1\n}\"");
}

TEST_F(JsonTest, NumbersRoundTripExactly) {
  EXPECT_EQ(eval(R"-(JSON(ParseJSON("123456789012345.6789012345678")))-"),
            R"-("123456789012345.6789012345678")-");
  // Nesting deeper than 20 levels is refused.
  EXPECT_EQ(eval(R"-(JSON(ParseJSON("[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]")))-"),
            "Error({Kind:ErrorKind.InvalidArgument})");
}

}  // namespace
}  // namespace canvasfx
