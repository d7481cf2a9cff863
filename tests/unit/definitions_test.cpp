// Named formulas, user-defined functions and user-defined types through the
// Engine API (Engine::define and friends), on the canvas defaults.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"

namespace canvasfx {
namespace {

using Names = std::vector<std::string>;

class DefinitionsTest : public ::testing::Test {
 protected:
  DefinitionsTest() {
    stdlib::install(engine_);
    behavior_.behavior = true;
    behavior_.allow_set_declarations = true;
  }

  // Diagnostics "Error 0-1: ..." joined by '|', "" when the block defines cleanly.
  std::string define(std::string_view text) {
    DefineResult r = engine_.define(text);
    std::string out;
    for (const auto& d : r.diagnostics) out += (out.empty() ? "" : "|") + format_diagnostic(d);
    return out;
  }
  std::string eval(std::string_view formula) { return print_value(engine_.eval(formula)); }
  std::string run(std::string_view formula) {
    return print_value(engine_.eval(formula, behavior_));
  }
  std::string value(std::string_view name) { return print_value(engine_.formula_value(name)); }
  // The last diagnostic's message of checking the formula.
  std::string errors_of(std::string_view formula) {
    auto r = engine_.check(formula);
    return r.diagnostics.empty() ? "" : r.diagnostics.back().message;
  }

  Engine engine_;
  CheckOptions behavior_;
};

// --- named formulas -----------------------------------------------------------

TEST_F(DefinitionsTest, FormulasReferToEachOtherInAnyOrder) {
  EXPECT_EQ(define("Total = Price * Rate; Price = 10; Rate = 2;"), "");
  EXPECT_EQ(value("Total"), "20");
  EXPECT_EQ(eval("Total + Price"), "30");
  // In the order they were declared: a formula after those it reads.
  EXPECT_EQ(engine_.formula_names(), (Names{"Price", "Rate", "Total"}));
  EXPECT_TRUE(engine_.is_formula("Price"));
  EXPECT_FALSE(engine_.is_formula("Nothing"));
}

TEST_F(DefinitionsTest, DefinedListsWhatTheBlockDefinedWithSpans) {
  DefineResult r = engine_.define("a = 1;\nf(x: Number): Number = x;\nT := Type({n: Number});");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.defined.size(), 3u);
  EXPECT_EQ(r.defined[0].kind, DefinitionKind::Formula);
  EXPECT_EQ(r.defined[1].kind, DefinitionKind::Function);
  EXPECT_EQ(r.defined[1].name, "f");
  EXPECT_EQ(r.defined[1].span.min, 7);
  EXPECT_EQ(r.defined[2].kind, DefinitionKind::Type);
}

TEST_F(DefinitionsTest, EvaluatedLazilyAndCached) {
  int reads = 0;
  engine_.declare_computed("Counter", Type::number(), [&] { return Value::number(++reads); });
  engine_.set_value("Base", Value::number(1));
  // `Heavy` reads only a plain variable: computed once, on first read.
  ASSERT_EQ(define("Heavy = Base * 100; Live = Counter;"), "");
  EXPECT_EQ(reads, 0);  // empty_n is evaluated by define
  EXPECT_EQ(value("Heavy"), "100");
  engine_.set_value("Base", Value::number(2));
  EXPECT_EQ(value("Heavy"), "200");
  // A formula reading a computed symbol is evaluated on every read.
  EXPECT_EQ(value("Live"), "1");
  EXPECT_EQ(value("Live"), "2");
}

TEST_F(DefinitionsTest, CachedValueIsReusedUntilAReadSymbolChanges) {
  // Rand() makes every evaluation observable: the same value means the cache answered.
  engine_.set_value("Seed", Value::number(1));
  ASSERT_EQ(define("R = Rand() + 0 * Seed;"), "");
  std::string first = value("R");
  EXPECT_EQ(value("R"), first);
  EXPECT_EQ(eval("R"), first);
  engine_.set_value("Seed", Value::number(2));
  EXPECT_NE(value("R"), first);
}

TEST_F(DefinitionsTest, WritesByBehaviorFunctionsInvalidate) {
  run("Set(items, [1, 2, 3])");
  run("Set(person, {Name: \"Ann\", Age: 30})");
  ASSERT_EQ(define("Total = Sum(items, Value); Older = person.Age + 1;"), "");
  EXPECT_EQ(value("Total"), "6");
  run("Collect(items, {Value: 4})");
  EXPECT_EQ(value("Total"), "10");
  run("Set(person, Patch(person, {Age: 40}))");
  EXPECT_EQ(value("Older"), "41");
  run("Remove(items, First(items))");
  EXPECT_EQ(eval("Total"), "9");
}

TEST_F(DefinitionsTest, InvalidatedByIsTransitiveAndTopological) {
  engine_.set_value("x", Value::number(1));
  // A diamond: d reads b and c, which both read a, which reads x.
  ASSERT_EQ(define("d = b + c; c = a * 3; b = a * 2; a = x + 1; other = 5;"), "");
  // Each after the formulas it reads; `d` once although it reads `a` twice.
  EXPECT_EQ(engine_.invalidated_by("x"), (Names{"a", "b", "c", "d"}));
  EXPECT_EQ(engine_.invalidated_by("a"), (Names{"b", "c", "d"}));
  EXPECT_EQ(engine_.invalidated_by("c"), (Names{"d"}));
  EXPECT_TRUE(engine_.invalidated_by("other").empty());
  EXPECT_EQ(value("d"), "10");
  engine_.set_value("x", Value::number(2));
  EXPECT_EQ(value("d"), "15");
}

TEST_F(DefinitionsTest, DependenciesIncludeWhatCalledFunctionsRead) {
  engine_.set_value("Rate", Value::number(2));
  ASSERT_EQ(define("Scaled(v: Number): Number = v * Rate; Price = 10; Cost = Scaled(Price);"), "");
  Names deps = engine_.formula_dependencies("Cost");
  std::sort(deps.begin(), deps.end());
  EXPECT_EQ(deps, (Names{"Price", "Rate"}));
  EXPECT_EQ(engine_.invalidated_by("Rate"), (Names{"Cost"}));
  EXPECT_EQ(value("Cost"), "20");
  engine_.set_value("Rate", Value::number(3));
  EXPECT_EQ(value("Cost"), "30");
  // An ordinary formula's dependencies list the named formulas it reads.
  auto checked = engine_.check("Cost + Scaled(1)");
  ASSERT_TRUE(checked.ok());
  Names fd = checked.formula->dependencies();
  std::sort(fd.begin(), fd.end());
  EXPECT_EQ(fd, (Names{"Cost", "Rate"}));
}

TEST_F(DefinitionsTest, ChangeListenerHearsWrites) {
  Names heard;
  engine_.set_change_listener([&](std::string_view s) { heard.emplace_back(s); });
  run("Set(v, 1)");
  run("Set(v, 2)");
  engine_.set_value("w", Value::number(1));  // a new symbol: declared, not changed
  engine_.set_value("w", Value::number(2));
  engine_.invalidate("v");
  EXPECT_EQ(heard, (Names{"v", "v", "w", "v"}));
}

TEST_F(DefinitionsTest, CyclesAreReportedWithTheirPath) {
  EXPECT_EQ(define("a = b + 1; b = a;"), "Error 0-1: Circular reference: a \u2192 b \u2192 a.");
  EXPECT_FALSE(engine_.is_formula("a"));
  EXPECT_FALSE(engine_.is_formula("b"));
  EXPECT_EQ(define("s = s + 1;"), "Error 0-1: Circular reference: s \u2192 s.");
  // A three-step cycle beside a formula that is fine.
  EXPECT_EQ(define("ok = 1; p = q; q = r; r = p;"),
            "Error 8-9: Circular reference: p \u2192 q \u2192 r \u2192 p.");
  EXPECT_TRUE(engine_.is_formula("ok"));
  // Through a function, and through a formula of an earlier block.
  EXPECT_NE(define("x = f(); f(): Number = x + 1;").find("Circular reference: x"),
            std::string::npos);
  ASSERT_EQ(define("m = 1; n = m + 1;"), "");
  EXPECT_EQ(define("m = n;"), "Error 0-1: Circular reference: m \u2192 n \u2192 m.");
  EXPECT_EQ(value("m"), "1");  // the failed redefinition kept the old one
}

TEST_F(DefinitionsTest, FormulasAreReadOnlyAndNoBehavior) {
  ASSERT_EQ(define("k = 1;"), "");
  EXPECT_EQ(print_value(engine_.eval("Set(k, 2)", behavior_)).rfind("Error(", 0), 0u);
  EXPECT_NE(define("bad = Set(v, 1);").find("Behavior function in a non-behavior property"),
            std::string::npos);
  EXPECT_FALSE(engine_.is_formula("bad"));
}

TEST_F(DefinitionsTest, RedefinitionReplacesAndRebindsReaders) {
  ASSERT_EQ(define("x = 1 + 2; y = x * 2;"), "");
  EXPECT_EQ(value("y"), "6");
  ASSERT_EQ(define("x = 10;"), "");
  EXPECT_EQ(value("x"), "10");
  EXPECT_EQ(value("y"), "20");
  // A redefinition of another type: the reader no longer checks (a warning), its value is an error.
  DefineResult r = engine_.define("x = {a: 1};");
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::Warning);
  EXPECT_EQ(value("y").rfind("Error(", 0), 0u);
}

// Parsed once, defined again as what the definitions read changes (a player
// redefines App.Formulas as the types of its variables become known). The
// parse outlives its text, and its syntax errors come back with each define.
TEST_F(DefinitionsTest, ParsedDefinitionsDefineAgainWithTheTypesOfNow) {
  engine_.declare("v", Type::number(), Value::number(2));
  std::string text = "twice = v * 2; same = v; f(n: Number): Number = n + v;";
  ParsedDefinitions parsed = engine_.parse_definitions(text);
  text.assign(text.size(), ' ');
  ASSERT_TRUE(engine_.define(parsed).ok());
  EXPECT_EQ(value("twice"), "4");
  EXPECT_EQ(eval("f(1)"), "3");
  Type record = Type::record({{"a", Type::number()}});
  engine_.set_type(*engine_.find_symbol("v"), record);
  engine_.set_value(*engine_.find_symbol("v"), Value::record({{"a", Value::number(1)}}));
  DefineResult again = engine_.define(parsed);
  // The errors are at `v * 2` and at the v of `n + v`, in the text parsed.
  std::vector<int> errors;
  for (const auto& d : again.diagnostics)
    if (d.severity == Severity::Error) errors.push_back(d.span.min);
  EXPECT_EQ(errors, (std::vector<int>{8, 52}));
  ASSERT_EQ(again.defined.size(), 1u);
  EXPECT_EQ(again.defined[0].name, "same");
  EXPECT_EQ(engine_.symbol_type(*engine_.find_symbol("same")), record);
  EXPECT_EQ(value("same"), "{a:1}");
  ParsedDefinitions broken = engine_.parse_definitions("a = 1");
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(format_diagnostic(engine_.define(broken).diagnostics.at(0)),
              "Error 5-5: Named formula must end with a semicolon.");
}

TEST_F(DefinitionsTest, ReferencesToFailedDefinitionsFailQuietly) {
  // `b` fails for itself; `c` reads it and fails without a message of its own.
  EXPECT_EQ(define("a = 1; b = missing; c = b + 1;"),
            "Error 11-18: Name isn't valid. 'missing' isn't recognized.");
  EXPECT_TRUE(engine_.is_formula("a"));
  EXPECT_FALSE(engine_.is_formula("b"));
  EXPECT_FALSE(engine_.is_formula("c"));
}

TEST_F(DefinitionsTest, SyntaxDiagnostics) {
  EXPECT_EQ(define("a = 1"), "Error 5-5: Named formula must end with a semicolon.");
  EXPECT_EQ(engine_.define("a = 1", {.final_semicolon_optional = true}).diagnostics.size(), 0u);
  EXPECT_EQ(define("a = ;"), "Error 2-3: Named formula must be an expression.");
  EXPECT_EQ(define("a = 1; a = 2;"), "Error 7-8: NamedFormula 'a' already exists.");
  EXPECT_EQ(define("T = Type({a: Number});"),
            "Error 4-21: Incorrect syntax: '=' cannot be used to declare user-defined types. Use "
            "':=' instead.");
  EXPECT_EQ(define("f(x): Number = x;").substr(0, 39), "Error 2-3: Missing function argument ty");
  EXPECT_EQ(define("f(x: Number) = x;").substr(0, 37), "Error 11-12: Missing function return ");
  EXPECT_EQ(define("f(x: Number): Number = ;"),
            "Error 21-22: User-defined function must have a body.");
}

TEST_F(DefinitionsTest, IsDefinitionTellsDefinitionsFromExpressions) {
  for (const char* text : {"x = 1 + 2", "'my x' = 1", "T := Type({a: Text})",
                           "Add(a: Number, b: Number): Number = a + b;", "f(): Void = {}"})
    EXPECT_TRUE(Engine::is_definition(text)) << text;
  for (const char* text :
       {"x * 2", "Add(2, 3)", "x <> 1", "If(x = 1, 2)", "Set(x, 1)", "", "// x = 1"})
    EXPECT_FALSE(Engine::is_definition(text)) << text;
}

// --- user-defined functions -----------------------------------------------------

TEST_F(DefinitionsTest, FunctionsCheckAndCoerceArguments) {
  ASSERT_EQ(define("Add(a: Number, b: Number): Number = a + b;"), "");
  EXPECT_EQ(eval("Add(2, 3)"), "5");
  EXPECT_EQ(eval("Add(\"2\", true)"), "3");  // scalars coerce as for builtins
  EXPECT_EQ(engine_.user_function_signature("Add"), "Add(a: Number, b: Number): Number");
  EXPECT_EQ(print_value(engine_.eval("Add(1)")).rfind("Error(", 0), 0u);
  auto checked = engine_.check("Add(1)");
  ASSERT_EQ(checked.diagnostics.size(), 2u);
  EXPECT_EQ(checked.diagnostics[1].message, "Invalid number of arguments: received 1, expected 2.");
  EXPECT_FALSE(engine_.check("Add([1], 2)").ok());
}

TEST_F(DefinitionsTest, ReturnTypeIsCheckedAndCoerced) {
  ASSERT_EQ(define("AsText(n: Number): Text = n * 2;"), "");  // Number converts to Text
  EXPECT_EQ(eval("AsText(4)"), "\"8\"");
  EXPECT_EQ(define("Bad(n: Number): Number = {a: n};"),
            "Error 25-31: The stated function return type 'Number' does not match the return "
            "type of the function body 'Record'.");
  EXPECT_FALSE(engine_.is_user_function("Bad"));
  EXPECT_EQ(define("R := Type({a: Number}); Extra(n: Number): R = ({a: n, b: 1});"),
            "Error 47-59: Invalid function body. Returned Record value, contains an unexpected "
            "additional field 'b'.");
  EXPECT_EQ(define("Mixed(n: Number): R = ({a: \"x\"});"),
            "Error 23-31: Incompatible function body. The 'a' column in the function return "
            "type expects a 'Number' type and you're returning a 'Text' type in function body.");
}

TEST_F(DefinitionsTest, SignatureDiagnostics) {
  EXPECT_EQ(define("f(a: Number, a: Text): Number = 1;"),
            "Error 13-14: Parameter a is a duplicate.");
  EXPECT_EQ(define("f(a: Nope): Number = 1;"), "Error 5-9: Unknown type Nope.");
  EXPECT_EQ(define("f(a: Number): Nope = 1;"), "Error 14-18: Unknown type Nope.");
  EXPECT_EQ(define("f(a: Void): Number = 1;"),
            "Error 5-9: The stated function argument type Void is invalid.");
  EXPECT_EQ(define("f(a: Number): Void = a;"),
            "Error 14-18: Void return type is only supported with behavior user-defined "
            "functions.");
  EXPECT_EQ(define("Type(a: Number): Number = a;"), "Error 0-4: Function name Type is restricted.");
  EXPECT_EQ(define("f(): Number = 1; f(): Number = 2;"),
            "Error 17-18: Function f is already defined.");
  std::string many = "g(";
  for (int i = 0; i < 31; ++i) many += (i ? ", p" : "p") + std::to_string(i) + ": Number";
  many += "): Number = 1;";
  EXPECT_EQ(define(many),
            "Error 0-1: Function g has too many parameters. User-defined functions support up to "
            "30 parameters.");
  // Shadowing a builtin is allowed, with a warning; the function then wins.
  DefineResult r = engine_.define("Abs(n: Number): Number = n + 1;");
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(format_diagnostic(r.diagnostics[0]),
            "Warning 0-3: Warning: User-defined function Abs will shadow the existing built-in "
            "function Abs.");
  EXPECT_EQ(eval("Abs(-5)"), "-4");
}

TEST_F(DefinitionsTest, BehaviorFunctions) {
  run("Set(Savings, 100)");
  run("Set(Spent, 0)");
  ASSERT_EQ(define("Spend(Amount: Number): Void = {\n"
                   "  If(Amount > Savings, Error(\"Not enough\"),\n"
                   "     Set(Savings, Savings - Amount); Set(Spent, Spent + Amount));\n"
                   "};"),
            "");
  EXPECT_EQ(run("Spend(30); Savings"), "70");
  EXPECT_EQ(run("Spent"), "30");
  EXPECT_EQ(run("Spend(500)").rfind("Error(", 0), 0u);  // errors pass through a Void function
  EXPECT_EQ(run("Savings"), "70");
  // Only where behavior functions may run.
  EXPECT_FALSE(engine_.check("Spend(1)").ok());
  // A behavior function in a body without braces.
  EXPECT_EQ(define("Oops(n: Number): Number = Set(Savings, n);").substr(0, 120),
            std::string(
                "Error 26-41: Behavior function in a non-behavior user-defined function (UDF). "
                "Please wrap the user-defined function body with curly braces ({...}) to declare a "
                "behavior UDF.")
                .substr(0, 120));
  EXPECT_FALSE(engine_.is_user_function("Oops"));
  // An empty behavior body.
  ASSERT_EQ(define("Nop(): Void = {};"), "");
  EXPECT_TRUE(engine_.eval("Nop()", behavior_).is_void());
}

TEST_F(DefinitionsTest, RecursionAndItsLimit) {
  ASSERT_EQ(define("Fact(n: Number): Number = If(n <= 1, 1, n * Fact(n - 1));\n"
                   "IsEven(n: Number): Boolean = If(n = 0, true, IsOdd(n - 1));\n"
                   "IsOdd(n: Number): Boolean = If(n = 0, false, IsEven(n - 1));"),
            "");
  EXPECT_EQ(eval("Fact(10)"), "3628800");
  EXPECT_EQ(eval("IsOdd(17)"), "true");
  ASSERT_EQ(define("Forever(n: Number): Number = Forever(n + 1);"), "");
  EXPECT_EQ(eval("Forever(1)"), "Error({Kind:ErrorKind.Custom})");
}

TEST_F(DefinitionsTest, ParametersShadowGlobalsAndAreNoRowScope) {
  engine_.set_value("n", Value::number(100));
  ASSERT_EQ(define("Twice(n: Number): Number = n * 2;"), "");
  EXPECT_EQ(eval("Twice(4)"), "8");
  // Lambdas inside a body see the parameters beside their rows.
  ASSERT_EQ(define("Above(t: Number): Number = CountRows(Filter([1, 5, 9], Value > t));"), "");
  EXPECT_EQ(eval("Above(4)"), "2");
  EXPECT_EQ(eval("ForAll([1, 2], Above(Value))"), "Table({Value:2},{Value:2})");
  EXPECT_NE(define("Row(n: Number): Number = ThisRecord.n;").find("'ThisRecord' isn't recognized"),
            std::string::npos);
}

TEST_F(DefinitionsTest, RedefinedFunctionsReachEarlierReaders) {
  ASSERT_EQ(define("f(x: Number): Number = x + 1; y = f(1);"), "");
  EXPECT_EQ(value("y"), "2");
  ASSERT_EQ(define("f(x: Number): Number = x + 2;"), "");
  EXPECT_EQ(value("y"), "3");
  EXPECT_EQ(eval("f(0)"), "2");
}

// --- user-defined types ---------------------------------------------------------

TEST_F(DefinitionsTest, TypesInSignaturesAndTypeArguments) {
  ASSERT_EQ(define(R"(
    Library = [{Title: "Scarlet", Published: 1887}, {Title: "None", Published: 1939}];
    LibraryType := Type([BookType]);
    BookType := Type({Title: Text, Published: Number});
    Book2 := Type(RecordOf(LibraryType));
    After(books: LibraryType, year: Number): LibraryType = Filter(books, Published > year);
    IsLeap(b: Book2): Boolean = Mod(b.Published, 4) = 0;
  )"),
            "");
  EXPECT_EQ(eval("CountRows(After(Library, 1900))"), "1");
  EXPECT_EQ(eval("IsLeap({Title: \"x\", Published: 2000})"), "true");
  EXPECT_EQ(eval("IsLeap({Title: \"x\"})"), "true");  // fewer fields: Published is Blank
  EXPECT_EQ(errors_of("IsLeap({Title: \"x\", Pages: 3})"),
            "Invalid argument type. Input Record value, contains an unexpected additional field "
            "'Pages'.");
  EXPECT_EQ(
      eval("ParseJSON(\"{\"\"Title\"\":\"\"G\"\",\"\"Published\"\":1726}\", BookType).Published"),
      "1726");
  EXPECT_EQ(engine_.user_type("BookType")->field_count(), 2u);
}

TEST_F(DefinitionsTest, TypeDiagnostics) {
  EXPECT_EQ(define("Number := Type({a: Text});"),
            "Error 0-6: Restricted type name Number cannot be used.");
  EXPECT_EQ(define("A := Type({b: B}); B := Type([A]);"),
            "Error 0-1: Declaration of type A is invalid and may contain cycles.");
  EXPECT_EQ(define("C := 5;"), "Error 5-6: Declaration of type C is invalid.");
  EXPECT_EQ(define("D := Type({a: Text}); D := Type({b: Text});"),
            "Error 22-23: Type D is already defined.");
}

// Reading the end of a long chain of formulas first computes the chain
// without nesting one evaluation per link, and a cycle through a long chain
// is still found (neither walk recurses).
TEST_F(DefinitionsTest, LongChainsNeitherOverflowNorHideCycles) {
  constexpr int kLinks = 20000;
  std::string text = "c0 = 1;";
  for (int i = 1; i <= kLinks; ++i)
    text += " c" + std::to_string(i) + " = c" + std::to_string(i - 1) + " + 1;";
  EXPECT_EQ(define(text), "");
  EXPECT_EQ(value("c" + std::to_string(kLinks)), std::to_string(kLinks + 1));
  // Written last link first: each formula reads one defined after it.
  std::string reversed;
  for (int i = kLinks; i >= 1; --i)
    reversed += " r" + std::to_string(i) + " = r" + std::to_string(i - 1) + " + 1;";
  EXPECT_EQ(define(reversed + " r0 = 1;"), "");
  EXPECT_EQ(value("r" + std::to_string(kLinks)), std::to_string(kLinks + 1));
  // A short cycle is named; a cycle through thousands of formulas is an error too.
  EXPECT_NE(define("s0 = s2 + 1; s1 = s0 + 1; s2 = s1 + 1;").find("s0"), std::string::npos);
  std::string cycle = "d0 = d" + std::to_string(kLinks) + " + 1;";
  for (int i = 1; i <= kLinks; ++i)
    cycle += " d" + std::to_string(i) + " = d" + std::to_string(i - 1) + " + 1;";
  EXPECT_NE(define(cycle), "");
  EXPECT_FALSE(engine_.is_formula("d0"));
}

// Short arithmetic formulas run from their compact form (eval/compact.h):
// each gives what the same expression gives evaluated as a tree.
TEST_F(DefinitionsTest, CompactFormulasMatchTheTreeEvaluator) {
  for (const char* set : {"Set(n, 7)", "Set(z, 0)", "Set(d, Date(2024, 3, 1))",
                          "Set(t, Time(1, 2, 3))", "Set(empty_n, 1)", "Set(empty_n, Blank())"})
    run(set);
  ASSERT_EQ(eval("n"), "7");
  ASSERT_EQ(eval("empty_n"), "Blank()");
  const std::vector<std::string> expressions = {
      "n + 1",       "n - 2.5",    "n * 3",
      "n / 4",       "n / z",      "z ^ -1",
      "n ^ 2",       "-n",         "n%",
      "empty_n + 1", "-empty_n",   "-d",
      "-t",          "1e308 * 10", "(n / z) + (n / z)",
      "-(n / z)",    "n + z * 2",  "(n + 1) * (n - 1) / 2",
      "2 ^ 0.5 - n%"};
  int defined = 0;
  for (const auto& e : expressions) {
    std::string name = "compact" + std::to_string(defined++);
    ASSERT_EQ(define(name + " = " + e + ";"), "") << e;
    EXPECT_EQ(value(name), eval(e)) << e;
  }
}

// Formulas over numbers are computed on plain doubles when everything they
// read holds a number (eval/compact.h): through chains of formulas, after the
// variables they read change, and falling back to the evaluator's errors and
// blanks where a number is not enough.
TEST_F(DefinitionsTest, CompactFormulasOverNumbersFollowTheirInputs) {
  run("Set(x, 2)");
  run("Set(y, 0)");
  // Each formula, and the same expression with the formulas it reads written out.
  struct Case {
    const char* name;
    const char* definition;
    const char* expanded;
  };
  const std::vector<Case> cases = {
      {"c1", "x * 3 + 1", "x * 3 + 1"},
      {"c2", "c1 - x", "(x * 3 + 1) - x"},
      {"c3", "c2 / y", "((x * 3 + 1) - x) / y"},
      {"c4", "-(c2 + c1)%", "-(((x * 3 + 1) - x) + (x * 3 + 1))%"},
      {"c5", "c1 * 1e308 * 10", "(x * 3 + 1) * 1e308 * 10"},
      {"c6", "(c1 + c2) * (c1 - c2) / 2",
       "((x * 3 + 1) + ((x * 3 + 1) - x)) * ((x * 3 + 1) - ((x * 3 + 1) - x)) / 2"},
      {"c7", "c1", "x * 3 + 1"}};
  std::string block;
  for (const auto& c : cases) block += std::string(c.name) + " = " + c.definition + "; ";
  ASSERT_EQ(define(block), "");
  auto expect_all = [&] {
    for (const auto& c : cases)
      EXPECT_EQ(value(c.name), eval(c.expanded))
          << c.name << " with x = " << eval("x") << ", y = " << eval("y");
  };
  expect_all();
  EXPECT_EQ(value("c1"), "7");
  EXPECT_EQ(value("c3"), eval("1/0"));  // the evaluator's division by zero
  run("Set(y, 4)");
  expect_all();
  EXPECT_EQ(value("c3"), "1.25");
  run("Set(x, Blank())");  // not a number: the evaluator decides
  expect_all();
  EXPECT_EQ(value("c1"), "1");
  run("Set(x, -0.5)");
  expect_all();
}

}  // namespace
}  // namespace canvasfx
