// Values as JSON and back (json_value.h): what `eval --format json` and the C
// API's cfx_*_json functions write and read.
#include "canvasfx/json_value.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class JsonValueTest : public StdlibTest {
 protected:
  std::string json_of(std::string_view formula) {
    return value_to_json(engine_.eval(formula), "UTC");
  }
};

TEST_F(JsonValueTest, WritesWhatToolsExpect) {
  EXPECT_EQ(json_of("{b: 1, a: \"x\", c: true, d: Blank()}"),
            R"({"a":"x","b":1,"c":true,"d":null})");
  EXPECT_EQ(json_of("[1, 2.5]"), R"([{"Value":1},{"Value":2.5}])");
  EXPECT_EQ(json_of("Date(2024, 5, 1)"), R"("2024-05-01")");
  EXPECT_EQ(json_of("DateTime(2024, 5, 1, 8, 30, 0)"), R"("2024-05-01T08:30:00.000Z")");
  EXPECT_EQ(json_of("Time(8, 30, 0)"), R"("08:30:00.000")");
  EXPECT_EQ(json_of("Color.Red"), R"("#ff0000ff")");
  // Untyped numbers keep an integer's every digit.
  EXPECT_EQ(json_of("ParseJSON(\"{\"\"n\"\": 12345678901234567890, \"\"x\"\": 1.5}\")"),
            R"({"n":12345678901234567890,"x":1.5})");
  EXPECT_EQ(json_of("1/0"),
            R"({"error":{"kind":"Div0","message":"Invalid operation: division by zero."}})");
  EXPECT_EQ(json_of("Table({a: 1}, If(false, {a: 2}))"), R"([{"a":1},null])");
  EXPECT_EQ(json_of("\"quote \"\" and \\ and é\""), R"("quote \" and \\ and é")");
  EXPECT_EQ(value_to_json(engine_.eval("DateTime(2024, 1, 1, 0, 0, 0)"), "Europe/Paris"),
            R"("2023-12-31T23:00:00.000Z")");  // a wall time of the engine's zone, in UTC
}

TEST_F(JsonValueTest, ReadsJsonIntoValues) {
  Value v = value_from_json(R"([{"id": 1, "tags": ["a"]}, {"id": 2, "note": null, "extra": "x"}])");
  ASSERT_TRUE(v.is_table());
  // Every row has every field; missing ones are Blank.
  EXPECT_EQ(print_value(v),
            "Table({extra:Blank(),id:1,note:Blank(),tags:Table({Value:\"a\"})},"
            "{extra:\"x\",id:2,note:Blank(),tags:Blank()})");
  EXPECT_EQ(print_value(value_from_json("[1, null, 3]")),
            "Table({Value:1},{Value:Blank()},{Value:3})");
  EXPECT_EQ(print_value(value_from_json(R"({"when": "2024-05-01"})")), "{when:\"2024-05-01\"}");
  EXPECT_EQ(print_value(value_from_json("[]")), "Table()");
  engine_.set_value("orders", value_from_json(R"([{"total": 9.5}, {"total": 20}])"));
  EXPECT_EQ(eval("Sum(orders, total)"), "29.5");
}

TEST_F(JsonValueTest, RefusesWhatItCannotRead) {
  auto message = [](std::string_view text) {
    try {
      value_from_json(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("{\"a\": ").find("parse error"), std::string::npos);
  EXPECT_NE(message("[1, \"two\"]").find("a number in one element and a string"), std::string::npos)
      << message("[1, \"two\"]");
  EXPECT_NE(message(std::string(100000, '[') + std::string(100000, ']')).find("nested"),
            std::string::npos);
}

}  // namespace
}  // namespace canvasfx
