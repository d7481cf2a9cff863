// The engine's governors besides the time limit: the memory budget of an
// evaluation, the formula and literal length limits, cancellation from another
// thread, and row-invariant subtrees of lambdas evaluated once per call.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "stdlib_fixture.h"
#include "value/memory_meter.h"

namespace canvasfx {
namespace {

class GovernorsTest : public StdlibTest {
 protected:
  // The first error's kind name and message, or the printed value.
  std::string outcome(std::string_view formula) {
    Value v = engine_.eval(formula, options_);
    if (!v.is_error()) return print_value(v);
    const ErrorInfo& e = v.errors().front();
    return std::string(error_kind_name(e.kind)) + ": " + e.message;
  }
};

// ---------------------------------------------------------------- memory budget

TEST_F(GovernorsTest, ARunawayEvaluationEndsAtTheMemoryBudget) {
  engine_.set_memory_limit(64u << 20);
  int64_t before = memory::meter().live;
  // Every row builds its own table (the inner Sequence reads the outer row):
  // 2.5 billion records without a budget.
  EXPECT_EQ(outcome("CountRows(ForAll(Sequence(50000), ForAll(Sequence(50000 - Value), 1)))"),
            "InsufficientMemory: The formula needed more memory than its budget of 64 MB.");
  // Everything the evaluation built was given back, and the engine goes on.
  EXPECT_LT(memory::meter().live - before, 1 << 20);
  EXPECT_EQ(outcome("CountRows(ForAll(Sequence(1000), {a: Value}))"), "1000");
}

TEST_F(GovernorsTest, ABuiltinAsksBeforeBuildingAHugeText) {
  engine_.set_memory_limit(16u << 20);
  EXPECT_EQ(outcome("Len(Concat(Sequence(50000), Concat(Sequence(50), \"abcdefghij\")))"),
            "InsufficientMemory: The formula needed more memory than its budget of 16 MB.");
}

TEST_F(GovernorsTest, NoBudgetByDefault) {
  EXPECT_EQ(
      outcome(
          "CountRows(ForAll(Sequence(50000), ForAll(Sequence(10 + Mod(Value, 2)), {a: Value})))"),
      "50000");
}

TEST_F(GovernorsTest, PrintingStopsAtItsBound) {
  Value shared = engine_.eval("ForAll(Sequence(50000), ForAll(Sequence(50000), 1))");
  BoundedPrint cut = print_value_bounded(shared, 30);
  EXPECT_FALSE(cut.complete);
  EXPECT_EQ(cut.text, "Table({Value:Table({Value:1},{");
  BoundedPrint whole = print_value_bounded(engine_.eval("[1, 2]"), 30);
  EXPECT_TRUE(whole.complete);
  EXPECT_EQ(whole.text, "Table({Value:1},{Value:2})");
  EXPECT_TRUE(print_value_bounded(engine_.eval("[1, 2]"), 26).complete);  // exactly its length
  EXPECT_FALSE(print_value_bounded(engine_.eval("[1, 2]"), 25).complete);
}

// ---------------------------------------------------------------- formula limits

TEST_F(GovernorsTest, AFormulaLongerThanTheLimitIsRefusedBeforeParsing) {
  engine_.set_formula_limits(20, 0);
  EXPECT_EQ(errors("1 + 2 + 3 + 4 + 5 + 6"),
            "Error 0-21: Expression can't be more than 20 characters. The expression is 21 "
            "characters.");
  EXPECT_EQ(eval("1 + 2 + 3 + 4 + 5 + 6 "), "Error({Kind:ErrorKind.AnalysisError})");
  EXPECT_EQ(eval("1 + 2 + 3 + 4 + 5"), "15");
  // Characters are UTF-16 code units, as Power Fx counts them: 😀 is two.
  engine_.set_formula_limits(5, 0);
  EXPECT_EQ(errors("\"😀😀\""),
            "Error 0-6: Expression can't be more than 5 characters. The expression is 6 "
            "characters.");
}

TEST_F(GovernorsTest, ATextLiteralLongerThanTheLimitIsAnErrorAtItsSpan) {
  engine_.set_formula_limits(0, 8);
  EXPECT_EQ(errors("Len(\"abcdefghij\")"),
            "Error 4-16: A text literal can't be more than 8 characters. This one is 12 "
            "characters.");
  EXPECT_EQ(errors("$\"abcdefghij{1}\""),
            "Error 2-12: A text literal can't be more than 8 characters. This one is 10 "
            "characters.");
  EXPECT_EQ(eval("Len(\"abcdef\")"), "6");
}

// ---------------------------------------------------------------- cancellation

TEST_F(GovernorsTest, CancelFromAnotherThreadEndsTheRunningEvaluation) {
  std::atomic<bool> started{false};
  std::thread canceller([&] {
    while (!started) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    engine_.cancel();
  });
  started = true;
  std::string result =
      outcome("CountRows(ForAll(Sequence(50000), ForAll(Sequence(50000 - Value), 1)))");
  canceller.join();
  EXPECT_EQ(result, "Timeout: The evaluation was cancelled");
  EXPECT_EQ(outcome("1 + 2"), "3");
}

// engine.h: a request stands until an evaluation ends, so a cancel() that
// lands while the formula is still being checked is not lost; it is spent by
// that evaluation.
TEST_F(GovernorsTest, ACancelBeforeAnEvaluationStopsItAndIsThenSpent) {
  engine_.cancel();
  EXPECT_EQ(outcome("CountRows(ForAll(Sequence(20000), {a: Value}))"),
            "Timeout: The evaluation was cancelled");
  EXPECT_EQ(outcome("CountRows(ForAll(Sequence(20000), {a: Value}))"), "20000");
}

// ---------------------------------------------------------------- row-invariant subtrees

// Probe(x) returns x and counts its calls: a pure function whose evaluations
// can be observed.
int g_probe_calls = 0;
Value probe(CallContext& ctx) {
  ++g_probe_calls;
  return ctx.arg(0);
}
const FunctionDef kProbe[] = {{.name = "Probe", .params = "n", .returns = "n", .invoke = probe}};

class InvariantTest : public GovernorsTest {
 protected:
  InvariantTest() { engine_.add_functions(kProbe); }
  // Probe's calls while evaluating (checking may fold calls over constants).
  int calls(std::string_view formula, std::string* printed = nullptr) {
    auto checked = engine_.check(formula, options_);
    EXPECT_TRUE(checked.ok()) << formula;
    if (!checked.ok()) return -1;
    g_probe_calls = 0;
    Value v = checked.formula->eval(engine_);
    if (printed) *printed = print_value(v);
    return g_probe_calls;
  }
};

TEST_F(InvariantTest, AnArgumentThatDoesNotReadTheRowIsEvaluatedOncePerCall) {
  std::string printed;
  EXPECT_EQ(calls("CountRows(Filter(Sequence(100), Value > Probe(50)))", &printed), 1);
  EXPECT_EQ(printed, "50");
  EXPECT_EQ(calls("Sum(Sequence(100), Value * Probe(2))", &printed), 1);
  EXPECT_EQ(printed, "10100");
  EXPECT_EQ(calls("LookUp(Sequence(100), Value = Probe(7) * 2).Value", &printed), 1);
  EXPECT_EQ(printed, "14");
}

TEST_F(InvariantTest, AnArgumentThatReadsTheRowIsEvaluatedPerRow) {
  EXPECT_EQ(calls("CountRows(Filter(Sequence(100), Probe(Value) > 50))"), 100);
  EXPECT_EQ(calls("CountRows(Filter(Sequence(100), ThisRecord.Value > Probe(50)))"), 1);
}

TEST_F(InvariantTest, NestedLambdasCacheAtTheRightLevel) {
  // The inner ForAll reads nothing of the outer row: it runs once.
  EXPECT_EQ(calls("CountRows(ForAll(Sequence(10), ForAll(Sequence(10), Probe(1))))"), 1);
  // Reading the outer row: once per outer row, not per inner row.
  std::string printed;
  EXPECT_EQ(
      calls("Sum(ForAll(Sequence(10) As a, Sum(Sequence(10), Probe(a.Value))), Value)", &printed),
      10);
  EXPECT_EQ(printed, "550");
}

TEST_F(InvariantTest, NothingIsCachedAcrossCallsOrWhenTheLambdaChangesState) {
  // Two evaluations of the same call: once each.
  EXPECT_EQ(calls("CountRows(Filter(Sequence(5), Value > Probe(1))) + "
                  "CountRows(Filter(Sequence(5), Value > Probe(2)))"),
            2);
  // A lambda with Set may change what the argument reads: evaluated per row.
  options_.behavior = true;
  engine_.set_value("x", Value::number(0));
  std::string printed;
  EXPECT_EQ(calls("ForAll(Sequence(3), Set(x, x + 1); Probe(x))", &printed), 3);
  EXPECT_EQ(printed, "Table({Value:1},{Value:2},{Value:3})");
}

TEST_F(InvariantTest, VolatileFunctionsAreNotCached) {
  std::string printed;
  calls("CountRows(Distinct(ForAll(Sequence(50), Rand()), Value))", &printed);
  EXPECT_NE(printed, "1");
}

}  // namespace
}  // namespace canvasfx
