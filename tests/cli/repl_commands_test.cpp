// What the REPL tells a person, without a terminal: Help, "did you mean",
// the `:` commands, completion candidates, error messages, and the display
// of tables (terminal width, wide characters); eval's output formats.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "canvasfx/stdlib.h"
#include "commands.h"
#include "display.h"
#include "reference_summaries.h"
#include "repl_help.h"

namespace canvasfx::cli {
namespace {

class ReplCommands : public ::testing::Test {
 protected:
  ReplCommands() { stdlib::install(engine_); }
  std::string say(std::string_view input) { return session_.submit(input).text; }
  std::vector<std::string> complete_(std::string_view before) {
    return complete(engine_, before).candidates;
  }
  Engine engine_;
  ReplSession session_{engine_, false};
};

TEST_F(ReplCommands, HelpGroupsFunctionsByFamily) {
  std::string help = say("Help()");
  size_t tables = help.find("\nTables (");
  size_t math = help.find("\nMath (");
  ASSERT_NE(tables, std::string::npos) << help;
  ASSERT_NE(math, std::string::npos) << help;
  // Filter is listed under Tables, Sqrt under Math.
  EXPECT_LT(tables, help.find(" Filter"));
  EXPECT_LT(math, help.find(" Sqrt"));
  EXPECT_NE(help.find(":schema"), std::string::npos);
  EXPECT_NE(help.find("Ctrl-C"), std::string::npos);
}

TEST_F(ReplCommands, HelpOfAFunctionGivesSignaturesAndTheReferenceLine) {
  std::string help = say("Help(Filter)");
  EXPECT_NE(help.find("Filter(table, value for each row, …)"), std::string::npos) << help;
  EXPECT_NE(help.find("function-filter-lookup.md"), std::string::npos) << help;
  std::string_view summary = reference_summary("function-filter-lookup.md");
  if (!summary.empty())  // the reference pages were there at configure time
    EXPECT_NE(help.find("Finds one or more records in a table."), std::string::npos) << help;
  EXPECT_EQ(say("Help(\"Filter\")"), help);
  EXPECT_NE(say("Help(If)").find("If(value, value, [value], …)"), std::string::npos);
  std::string color = say("Help(Color)");  // an enum, and a function family's page
  EXPECT_NE(color.find("Red"), std::string::npos) << color;
  auto unknown = session_.submit("Help(Fitler)");
  EXPECT_TRUE(unknown.error);
  EXPECT_NE(unknown.text.find("Did you mean Filter?"), std::string::npos) << unknown.text;
}

TEST_F(ReplCommands, SignaturesReadTheParameterLetters) {
  auto first = [&](std::string_view name) {
    return signature(*engine_.function_overloads(name)[0]);
  };
  EXPECT_EQ(first("Left"), "Left(text, number) → text");
  EXPECT_EQ(first("Concatenate"), "Concatenate(text, …) → text");
  EXPECT_EQ(first("Sum"), "Sum(table, number for each row) → number");
  EXPECT_NE(first("Set").find("(behavior)"), std::string::npos) << first("Set");
}

TEST_F(ReplCommands, DidYouMeanAfterUnknownNames) {
  say("Set(prices, [3, 4.5, 10])");
  auto fn = session_.submit("Fitler(prices, Value > 3)");
  EXPECT_TRUE(fn.error);
  EXPECT_NE(fn.text.find("Did you mean Filter?"), std::string::npos) << fn.text;
  auto name = session_.submit("Sum(pricez, Value)");
  EXPECT_NE(name.text.find("Did you mean prices?"), std::string::npos) << name.text;
  // Letter case alone.
  EXPECT_NE(say("sqrt(4)").find("Did you mean Sqrt"), std::string::npos);
  // Nothing close: no suggestion.
  EXPECT_EQ(say("Zzyzx(1)").find("Did you mean"), std::string::npos);
}

TEST_F(ReplCommands, BareWordsOfOtherReplsGetAHint) {
  for (const char* word : {"exit", "quit", "exit()"}) {
    auto r = session_.submit(word);
    EXPECT_FALSE(r.error) << word;
    EXPECT_FALSE(r.exit) << word;
    EXPECT_NE(r.text.find("Exit()"), std::string::npos) << word;
  }
  EXPECT_NE(say("help").find("Help()"), std::string::npos);
  // A variable of that name is a variable.
  say("Set(help, 3)");
  EXPECT_EQ(say("help"), "3");
}

TEST_F(ReplCommands, TablesSchemaTypeAndSettings) {
  say("Set(Orders, Table({Id: 1, Item: \"Pen\", Paid: true}, {Id: 2, Item: \"Ink\", Paid: "
      "false}))");
  EXPECT_EQ(say(":tables"), "Orders  2 rows, 3 columns");
  EXPECT_EQ(say(":schema Orders"),
            "Orders (table):\n  Id    Number\n  Item  Text\n  Paid  Boolean");
  EXPECT_EQ(say(":type Filter(Orders, Paid)"), "[{Id: Number, Item: Text, Paid: Boolean}]");
  EXPECT_EQ(say(":type First(Orders).Item & \"!\""), "Text");
  auto bad = session_.submit(":type 1 +");
  EXPECT_TRUE(bad.error);
  EXPECT_NE(bad.text.find("Error 3-3"), std::string::npos) << bad.text;
  // :type declares nothing.
  EXPECT_TRUE(session_.submit(":type Set(fresh, 1)").error);
  EXPECT_FALSE(engine_.find_symbol("fresh"));
  EXPECT_TRUE(session_.submit(":schema Nope").error);
  EXPECT_TRUE(session_.submit(":frobnicate").error);

  EXPECT_EQ(say(":set max-rows 1"), "");
  EXPECT_NE(say("Orders").find("… 1 more rows"), std::string::npos);
  EXPECT_EQ(say(":set"), "max-rows 1");
  EXPECT_TRUE(session_.submit(":set max-rows many").error);
}

TEST_F(ReplCommands, ErrorsShowTheirMessage) {
  auto r = session_.submit("1/0");
  EXPECT_TRUE(r.error);
  EXPECT_EQ(r.text,
            "Error({Kind:ErrorKind.Div0,Message:\"Invalid operation: division by zero.\"})");
  EXPECT_EQ(say("Error({Kind: ErrorKind.Validation, Message: \"bad\"})"),
            "Error({Kind:ErrorKind.Validation,Message:\"bad\"})");
  // In a grid cell too.
  EXPECT_NE(say("Table({a: 1/0})").find("Message:"), std::string::npos);
}

TEST_F(ReplCommands, CompletesFunctionsNamesMembersAndColumns) {
  EXPECT_EQ(complete_("Fil"), std::vector<std::string>{"Filter("});
  EXPECT_EQ(complete_("CountRows(Fil"), std::vector<std::string>{"Filter("});
  EXPECT_EQ(complete_("Color.AliceB"), std::vector<std::string>{"AliceBlue"});
  auto sort_order = complete_("SortOrder.");
  EXPECT_EQ(sort_order, (std::vector<std::string>{"Ascending", "Descending"}));
  say("Set(rec, {alpha: 1, beta: {gamma: 2}})");
  EXPECT_EQ(complete_("rec.al"), std::vector<std::string>{"alpha"});
  EXPECT_EQ(complete_("rec.beta.g"), std::vector<std::string>{"gamma"});
  say("Set('My Items', Table({Price: 1, Pieces: 2}))");
  EXPECT_EQ(complete_("First('My Items').Pr"), std::vector<std::string>{"Price"});
  EXPECT_EQ(complete_("'My"), std::vector<std::string>{"'My Items'"});
  // Inside Filter(t, …): t's columns.
  auto in_lambda = complete_("Filter('My Items', Pi");
  EXPECT_NE(std::find(in_lambda.begin(), in_lambda.end(), "Pieces"), in_lambda.end());
  // Not inside a string.
  EXPECT_TRUE(complete_("\"Fil").empty());
  Completion c = complete(engine_, "1 + Sq");
  EXPECT_EQ(c.start, 4u);
}

TEST(Display, WidthIsMeasuredInTerminalColumns) {
  EXPECT_EQ(display_width("hello"), 5u);
  EXPECT_EQ(display_width("h\xC3\xA9llo"), 5u);              // é precomposed
  EXPECT_EQ(display_width("he\xCC\x81llo"), 5u);             // e + COMBINING ACUTE
  EXPECT_EQ(display_width("\xE6\xBC\xA2\xE5\xAD\x97"), 4u);  // 漢字: wide
  EXPECT_EQ(display_width("\xF0\x9F\x91\x8D"), 2u);          // 👍
  EXPECT_EQ(display_width("\xE2\x9D\xA4\xEF\xB8\x8F"), 2u);  // ❤️ (VS16)
  EXPECT_EQ(display_width("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91"
                          "\xA7"),
            2u);  // 👨‍👩‍👧, one cluster
  EXPECT_EQ(truncate_to_width("\xE6\xBC\xA2\xE5\xAD\x97\xE6\xBC\xA2\xE5\xAD\x97", 5),
            "\xE6\xBC\xA2\xE5\xAD\x97…");
  EXPECT_EQ(truncate_to_width("abcdef", 4), "abc…");
  EXPECT_EQ(truncate_to_width("abc", 4), "abc");
}

TEST(Display, GridsFitTheTerminal) {
  Engine engine;
  stdlib::install(engine);
  Value t = engine.eval(
      "Table({Name: \"\xE6\xBC\xA2\xE5\xAD\x97\xE6\xBC\xA2\xE5\xAD\x97 international\", "
      "Note: \"a rather long description that will not fit\", N: 1})");
  std::string grid = render_value(t, ValueDisplay{.max_rows = 0, .max_cell = 0, .width = 40});
  std::istringstream lines(grid);
  std::string line;
  std::vector<size_t> widths;
  while (std::getline(lines, line)) {
    EXPECT_LE(display_width(line), 40u) << line;
    widths.push_back(display_width(line));
  }
  EXPECT_NE(grid.find("…"), std::string::npos) << grid;
  // Unlimited: whole cells.
  std::string whole = render_value(t, ValueDisplay{.max_rows = 0, .max_cell = 0, .width = 0});
  EXPECT_NE(whole.find("will not fit"), std::string::npos) << whole;
}

TEST(EvalFormats, JsonCsvTableAndExitStatus) {
  Engine engine;
  stdlib::install(engine);
  auto json =
      eval_formula(engine, "Table({a:1,b:\"x\"},{a:2,b:\"y\"})", {}, false, OutputFormat::Json);
  EXPECT_EQ(json.exit_code, 0);
  auto parsed = nlohmann::json::parse(json.out);
  EXPECT_EQ(parsed, nlohmann::json::parse(R"([{"a":1,"b":"x"},{"a":2,"b":"y"}])"));

  auto error = eval_formula(engine, "1/0", {}, false, OutputFormat::Json);
  EXPECT_EQ(error.exit_code, kExitErrorValue);
  EXPECT_EQ(nlohmann::json::parse(error.out)["error"]["message"],
            "Invalid operation: division by zero.");

  auto csv = eval_formula(engine, "Table({a:1,b:\"x, y\"},{a:2.5,b:\"say \"\"hi\"\"\"})", {}, false,
                          OutputFormat::Csv);
  EXPECT_EQ(csv.out, "a,b\r\n1,\"x, y\"\r\n2.5,\"say \"\"hi\"\"\"\r\n");
  EXPECT_EQ(eval_formula(engine, "Date(2024, 5, 1)", {}, false, OutputFormat::Csv).out,
            "Value\r\n2024-05-01\r\n");

  auto table = eval_formula(engine, "Sequence(12)", {}, false, OutputFormat::Table);
  EXPECT_NE(table.out.find("\n12\n"), std::string::npos) << table.out;  // all rows by default

  EXPECT_EQ(eval_formula(engine, "1 +", {}, false).exit_code, kExitInvalidFormula);
  EXPECT_EQ(parse_output_format("json"), OutputFormat::Json);
  EXPECT_FALSE(parse_output_format("xml"));
}

TEST(Cancellation, CancelStopsARunningEvaluation) {
  Engine engine;
  stdlib::install(engine);
  auto checked = engine.check(
      // The inner table reads the outer row, so it is built for every row (a
      // row-invariant argument would be evaluated once and finish at once).
      "Sum(ForAll(Sequence(50000), Sum(ForAll(Sequence(3000 + Mod(Value, 2)), Value), Value)), "
      "Value)");
  ASSERT_TRUE(checked.ok());
  // Cancelled before it starts (as Ctrl-C during checking would): it stops at once.
  engine.cancel();
  Value v = checked.formula->eval(engine);
  ASSERT_TRUE(v.is_error());
  EXPECT_EQ(v.errors()[0].kind, static_cast<int>(ErrorKind::Timeout));
  EXPECT_NE(v.errors()[0].message.find("cancelled"), std::string::npos);
  // From another thread while it runs.
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    engine.cancel();
  });
  v = checked.formula->eval(engine);
  canceller.join();
  ASSERT_TRUE(v.is_error());
  EXPECT_EQ(v.errors()[0].kind, static_cast<int>(ErrorKind::Timeout));
  // The request ended with that evaluation: the next one runs to its end.
  EXPECT_EQ(print_value(engine.eval("Sum(Sequence(10000), Value)")), "50005000");
}

}  // namespace
}  // namespace canvasfx::cli
