// The conformance file format and judging rules of CONFORMANCE.md.
#include <gtest/gtest.h>

#include "conformance.h"
#include "setup_handlers.h"

namespace canvasfx::cli {
namespace {

TEST(ParseTestFile, CasesAndExpectations) {
  auto f = parse_test_file(">> 1+1\n2\n\n>>   \"a\"  \n\t\"a\"  \n", "x.txt");
  ASSERT_EQ(f.cases.size(), 2u);
  EXPECT_EQ(f.cases[0].input, "1+1");
  EXPECT_EQ(f.cases[0].expected, "2");
  EXPECT_EQ(f.cases[0].line, 1);
  EXPECT_EQ(f.cases[1].input, "\"a\"");  // trimmed
  EXPECT_EQ(f.cases[1].expected, "\"a\"");
  EXPECT_EQ(f.cases[1].line, 4);
  EXPECT_TRUE(f.parse_errors.empty());
  // A line that starts with a space continues the input, so here no result follows.
  auto g = parse_test_file(">> 1\n 1\n", "x.txt");
  EXPECT_TRUE(g.cases.empty());
  EXPECT_EQ(g.parse_errors.size(), 1u);
}

TEST(ParseTestFile, BomsAndCrlf) {
  auto f = parse_test_file("\xEF\xBB\xBF\xEF\xBB\xBF#SETUP: TextFirst\r\n>> 1\r\n1\r\n", "x.txt");
  EXPECT_EQ(f.setup, "TextFirst");
  ASSERT_EQ(f.cases.size(), 1u);
  EXPECT_EQ(f.cases[0].input, "1");
  EXPECT_EQ(f.cases[0].expected, "1");
  EXPECT_TRUE(f.parse_errors.empty());
}

TEST(ParseTestFile, ContinuationLinesKeepLeadingSpaces) {
  auto f = parse_test_file(">> If(true,\n    1,\n  2)\n1\n", "x.txt");
  ASSERT_EQ(f.cases.size(), 1u);
  EXPECT_EQ(f.cases[0].input, "If(true,\r\n    1,\r\n  2)");
  EXPECT_EQ(f.cases[0].expected, "1");
}

// Blank and comment lines inside a multi-line input are skipped; the lines
// that begin with a space after them still continue it.
TEST(ParseTestFile, ContinuationAcrossBlankLines) {
  auto f = parse_test_file(">> Concat(\n [1,2],\n\n// note\n Value)\n\"12\"\n", "x.txt");
  ASSERT_EQ(f.cases.size(), 1u);
  EXPECT_EQ(f.cases[0].input, "Concat(\r\n [1,2],\r\n Value)");
  EXPECT_EQ(f.cases[0].expected, "\"12\"");
  EXPECT_TRUE(f.parse_errors.empty());
}

TEST(ParseTestFile, CommentsAndBlankLinesAnywhere) {
  auto f = parse_test_file("// header\n\n>> 1\n// between\n\n   \n1\n// after\n>> 2\n2\n", "x.txt");
  ASSERT_EQ(f.cases.size(), 2u);
  EXPECT_EQ(f.cases[0].expected, "1");
  EXPECT_EQ(f.cases[1].line, 9);
  EXPECT_TRUE(f.parse_errors.empty());
}

TEST(ParseTestFile, Directives) {
  auto f = parse_test_file(
      "#SETUP: RegEx\n#SETUP:PowerFxV1CompatibilityRules\n#OVERRIDE: Base.txt // why\n#DISABLE: "
      "Old.txt\n"
      "#DISABLE.NET: 70\n>> 1\n1\n#DISABLE.NET: 462\n>> 2\n2\n",
      "x.txt");
  EXPECT_EQ(f.setup, "RegEx,PowerFxV1CompatibilityRules");
  ASSERT_TRUE(f.override_target);
  EXPECT_EQ(*f.override_target, "Base.txt");
  ASSERT_EQ(f.disables.size(), 1u);
  EXPECT_EQ(f.disables[0], "Old.txt");
  ASSERT_EQ(f.cases.size(), 2u);
  EXPECT_TRUE(f.cases[0].disabled_net);
  EXPECT_FALSE(f.cases[1].disabled_net);
  EXPECT_TRUE(f.parse_errors.empty());
}

TEST(ParseTestFile, MalformedFilesReportErrors) {
  EXPECT_EQ(parse_test_file("1\n", "x").parse_errors.size(), 1u);          // result without input
  EXPECT_EQ(parse_test_file(">> 1\n", "x").parse_errors.size(), 1u);       // input at end of file
  EXPECT_EQ(parse_test_file("#BOGUS: 1\n", "x").parse_errors.size(), 1u);  // unknown directive
  EXPECT_TRUE(parse_test_file("", "x").parse_errors.empty());
}

TEST(ParseSetup, TokensByTheSuiteRegex) {
  auto t = parse_setup(
      "disable:NumberIsFloat, RegEx,TimeZoneInfo(\"Pacific Standard Time\") // note, Foo");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_TRUE(t[0].disable);
  EXPECT_EQ(t[0].name, "NumberIsFloat");
  EXPECT_FALSE(t[1].disable);
  EXPECT_EQ(t[1].name, "RegEx");
  EXPECT_EQ(t[2].name, "TimeZoneInfo");
  ASSERT_TRUE(t[2].argument);
  EXPECT_EQ(*t[2].argument, "Pacific Standard Time");
  EXPECT_TRUE(parse_setup("").empty());
  EXPECT_TRUE(parse_setup("// only a comment").empty());
  auto spaced = parse_setup("NumberIsFloat   // waiting on https://github.com/x");
  ASSERT_EQ(spaced.size(), 1u);
}

TEST(Configure, CanvasFeaturesAndContradictions) {
  EXPECT_FALSE(configure(parse_setup("PowerFxV1CompatibilityRules,NumberIsFloat")).skipped());
  for (const char* t :
       {"disable:PowerFxV1CompatibilityRules", "disable:NumberIsFloat",
        "disable:TableSyntaxDoesntWrapRecords", "disable:ConsistentOneColumnTableResult"}) {
    auto c = configure(parse_setup(t));
    EXPECT_TRUE(c.skipped()) << t;
    EXPECT_NE(c.skip_reason.find("contradicts"), std::string::npos);
  }
}

TEST(Configure, OptionalFeaturesSwitchOnPerFile) {
  auto c =
      configure(parse_setup("StronglyTypedBuiltinEnums,SupportColumnNamesAsIdentifiers,TextFirst,"
                            "EnableExpressionChaining,RestrictedIsEmptyArguments,"
                            "FirstLastNRequiresSecondArguments,DisableReservedKeywords"));
  EXPECT_FALSE(c.skipped());
  EXPECT_TRUE(c.features.strongly_typed_builtin_enums);
  EXPECT_TRUE(c.features.support_column_names_as_identifiers);
  EXPECT_TRUE(c.features.text_first);
  EXPECT_TRUE(c.features.enable_expression_chaining);
  EXPECT_TRUE(c.features.restricted_is_empty_arguments);
  EXPECT_TRUE(c.features.first_last_n_requires_second_arguments);
  EXPECT_TRUE(c.features.disable_reserved_keywords);
  auto d = configure(parse_setup("disable:StronglyTypedBuiltinEnums"));
  EXPECT_FALSE(d.skipped());
  EXPECT_FALSE(d.features.strongly_typed_builtin_enums);
  EXPECT_TRUE(Features{}.power_fx_v1);
}

// The runner judges with the reference configuration whatever the engine's defaults are.
TEST(Configure, StartsFromTheConformanceConfiguration) {
  auto c = configure(parse_setup("PowerFxV1CompatibilityRules"));
  EXPECT_FALSE(c.features.strongly_typed_builtin_enums);
  EXPECT_FALSE(c.features.support_column_names_as_identifiers);
  EXPECT_FALSE(c.features.first_last_n_requires_second_arguments);
  EXPECT_TRUE(c.features.power_fx_v1);
  // The engine's own defaults are the canvas V1 set.
  Features canvas;
  EXPECT_TRUE(canvas.strongly_typed_builtin_enums);
  EXPECT_TRUE(canvas.support_column_names_as_identifiers);
  EXPECT_TRUE(canvas.restricted_is_empty_arguments);
  EXPECT_TRUE(canvas.first_last_n_requires_second_arguments);
  EXPECT_TRUE(canvas.disable_row_scope_disambiguation_syntax);
}

TEST(Configure, Handlers) {
  auto tz =
      configure(parse_setup("TimeZoneInfo(\"Romance Standard Time\"), StronglyTypedBuiltinEnums"));
  EXPECT_FALSE(tz.skipped());
  ASSERT_EQ(tz.handlers.size(), 1u);
  EXPECT_EQ(*tz.handlers[0].argument, "Romance Standard Time");
  for (const char* t : {"DisableMemChecks", "DecimalSupport", "AllEnumsSetup"})
    EXPECT_FALSE(configure(parse_setup(t)).skipped()) << t;
  for (const char* t : {"OptionSetTestSetup", "Blob", "AsyncTestSetup"}) {
    auto c = configure(parse_setup(t));
    EXPECT_TRUE(c.skipped()) << t;
    EXPECT_NE(c.skip_reason.find(t), std::string::npos);
  }
  // The // token ends the list: what follows is a comment.
  EXPECT_FALSE(configure(parse_setup("TextFirst // DecimalSupport")).skipped());
  EXPECT_NE(find_setup_handler("TimeZoneInfo"), nullptr);
  EXPECT_EQ(find_setup_handler("Nope"), nullptr);
}

TEST(ExpectedErrors, SplitOnBarsOutsideQuotes) {
  auto e = split_expected_errors("Errors: Error 0-5: a|b \"x|y\" c|Errors: Warning 1-2: w");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0], "Error 0-5: a");
  EXPECT_EQ(e[1], "b \"x|y\" c");
  EXPECT_EQ(e[2], "Warning 1-2: w");
  EXPECT_EQ(split_expected_errors("Errors:").size(), 0u);
}

TEST(Numbers, Tolerance) {
  EXPECT_TRUE(numbers_close(0.30000000000000004, 0.3));
  EXPECT_TRUE(numbers_close(1.000001, 1.0));  // |a-b| < 1e-5
  EXPECT_FALSE(numbers_close(1.0001, 1.0));
  EXPECT_TRUE(numbers_close(1e20 + 1e5, 1e20));  // relative 1e-15
  EXPECT_FALSE(numbers_close(1.001e20, 1e20));
  EXPECT_EQ(parse_number("1E+17"), 1e17);
  EXPECT_EQ(parse_number("-0.5"), -0.5);
  EXPECT_FALSE(parse_number("inf"));
  EXPECT_FALSE(parse_number("\"1\""));
  EXPECT_FALSE(parse_number("1 "));
  EXPECT_FALSE(parse_number("+1"));
}

Outcome value(std::string printed, std::optional<double> n = {}) {
  Outcome o;
  o.check_ok = true;
  o.printed = std::move(printed);
  if (n) o.is_number = true, o.number = *n;
  return o;
}

Outcome errors(std::vector<std::string> ds) {
  Outcome o;
  o.diagnostics = std::move(ds);
  return o;
}

TEST(Judge, Values) {
  EXPECT_EQ(judge("2", value("2", 2)).verdict, Verdict::Pass);
  EXPECT_EQ(judge("3", value("2", 2)).verdict, Verdict::Fail);
  EXPECT_EQ(judge("3", value("2", 2)).actual, "2");
  EXPECT_EQ(judge("0.3", value("0.30000000000000004", 0.30000000000000004)).verdict, Verdict::Pass);
  // Only a top-level number gets the tolerance.
  EXPECT_EQ(judge("{a:0.3}", value("{a:0.30000000000000004}")).verdict, Verdict::Fail);
  EXPECT_EQ(judge("\"0.3\"", value("\"0.30000000000000004\"")).verdict, Verdict::Fail);
  EXPECT_EQ(judge("#skip", value("1")).verdict, Verdict::Skip);
  EXPECT_EQ(judge("#SKIP: later", value("1")).verdict, Verdict::Skip);
  Outcome none;
  none.check_ok = true;
  none.no_value = true;
  EXPECT_EQ(judge("#no value", none).verdict, Verdict::Pass);
  EXPECT_EQ(judge("#no value", value("1", 1)).verdict, Verdict::Fail);
  Outcome thrown;
  thrown.exception = "boom";
  EXPECT_EQ(judge("1", thrown).verdict, Verdict::Fail);
  EXPECT_EQ(judge("1", errors({"Error 0-1: x"})).actual, "Errors: Error 0-1: x");
}

TEST(Judge, Errors) {
  auto o = errors({"Error 0-5: The function 'Match' has some invalid arguments.",
                   "Warning 2-3: careful", "Error 4-5: Expected Number."});
  EXPECT_EQ(judge("Errors: Error 0-5: The function 'Match' has some invalid arguments.", o).verdict,
            Verdict::Pass);
  EXPECT_EQ(judge("Errors: Warning 2-3: careful|Error 4-5: Expected Number.", o).verdict,
            Verdict::Pass);
  EXPECT_EQ(judge("Errors: Error 4-5: Expected Decimal.", o).verdict,
            Verdict::Pass);  // Decimal ~ Number
  EXPECT_EQ(judge("Errors: Error 4-6: Expected Number.", o).verdict, Verdict::Fail);
  // Checking must fail.
  auto ok = value("1", 1);
  ok.diagnostics = {"Warning 2-3: careful"};
  EXPECT_EQ(judge("Errors: Warning 2-3: careful", ok).verdict, Verdict::Fail);
}

}  // namespace
}  // namespace canvasfx::cli
