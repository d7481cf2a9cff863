// Parsing App.Formulas text: named formulas, user-defined functions and types.
#include <gtest/gtest.h>

#include <string>

#include "parse/ast.h"

namespace canvasfx::ast {
namespace {

std::string errors(const DefinitionsResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics)
    s += (s.empty() ? "" : "|") + std::to_string(d.span.min) + "-" + std::to_string(d.span.lim) +
         ": " + d.message;
  return s;
}

TEST(ParseDefinitions, KindsNamesAndBodies) {
  auto r = parse_definitions(
      "x = 1 + 2;\n"
      "Add(a: Number, b: Number): Number = a + b;\n"
      "Spend(n: Number): Void = { Set(s, s - n); Notify(\"ok\") };\n"
      "Book := Type({Title: Text});\n"
      "'my name' = 3;");
  ASSERT_EQ(errors(r), "");
  ASSERT_EQ(r.definitions.size(), 5u);
  EXPECT_EQ(r.definitions[0].kind, DefinitionKind::Formula);
  EXPECT_EQ(r.definitions[0].name.name, "x");
  EXPECT_EQ(r.definitions[0].body->kind, Kind::Binary);
  const Definition& add = r.definitions[1];
  EXPECT_EQ(add.kind, DefinitionKind::Function);
  ASSERT_EQ(add.params.size(), 2u);
  EXPECT_EQ(add.params[1].name.name, "b");
  EXPECT_EQ(add.params[1].type.name, "Number");
  EXPECT_EQ(add.return_type.name, "Number");
  EXPECT_FALSE(add.behavior);
  const Definition& spend = r.definitions[2];
  EXPECT_TRUE(spend.behavior);
  EXPECT_EQ(spend.return_type.name, "Void");
  ASSERT_EQ(spend.body->kind, Kind::Chain);
  EXPECT_EQ(spend.body->children.size(), 2u);
  EXPECT_EQ(r.definitions[3].kind, DefinitionKind::Type);
  EXPECT_EQ(r.definitions[3].body->kind, Kind::Call);
  EXPECT_EQ(r.definitions[4].name.name, "my name");
  EXPECT_EQ(r.definitions[4].name.span.min, 141);
}

TEST(ParseDefinitions, BehaviorBodies) {
  auto r = parse_definitions("A(): Void = {};\nB(): Void = { 1 };\nC(): Void = {If(x, a; b)};");
  ASSERT_EQ(errors(r), "");
  EXPECT_EQ(r.definitions[0].body->kind, Kind::Empty);
  EXPECT_EQ(r.definitions[1].body->kind, Kind::Number);
  EXPECT_EQ(r.definitions[2].body->kind, Kind::Call);  // `;` inside an argument chains there
  EXPECT_EQ(r.definitions[2].body->children[1]->kind, Kind::Chain);
}

TEST(ParseDefinitions, TheReferenceMessagesForMissingParts) {
  EXPECT_EQ(errors(parse_definitions("a = 1")), "5-5: Named formula must end with a semicolon.");
  EXPECT_EQ(errors(parse_definitions("a = 1", {.final_semicolon_optional = true})), "");
  EXPECT_EQ(errors(parse_definitions("a = 1 b = 2;")),
            "5-5: Named formula must end with a semicolon.");
  EXPECT_EQ(errors(parse_definitions("a = ;")), "2-3: Named formula must be an expression.");
  EXPECT_EQ(errors(parse_definitions("T := ;")),
            "3-4: A named type declaration must be a valid type expression.");
  EXPECT_EQ(errors(parse_definitions("f(): Number = ;")),
            "12-13: User-defined function must have a body.");
  EXPECT_EQ(errors(parse_definitions("f(x): Number = 1;")).substr(0, 34),
            "2-3: Missing function argument typ");
  EXPECT_EQ(errors(parse_definitions("f(x: Text) = 1;")).substr(0, 34),
            "9-10: Missing function return type");
}

TEST(ParseDefinitions, SyntaxErrorsAndHostileInput) {
  EXPECT_NE(errors(parse_definitions("1 + 2;")), "");
  EXPECT_NE(errors(parse_definitions("a = (1;")), "");
  EXPECT_NE(errors(parse_definitions("\xff = 1;")), "");
  std::string deep = "a = " + std::string(100000, '(') + ";";
  EXPECT_NE(errors(parse_definitions(deep)), "");
  EXPECT_EQ(errors(parse_definitions("// nothing but a comment")), "");
  EXPECT_TRUE(parse_definitions("").definitions.empty());
}

TEST(ParseDefinitions, StartsWithDefinition) {
  for (const char* text : {"x = 1 + 2", " x=1", "'a b' = 1", "T := Type({})",
                           "F(a: Number): Number = a", "F(): Void = {}", "F(x): Number = 1"})
    EXPECT_TRUE(starts_with_definition(text)) << text;
  for (const char* text : {"x", "F(1)", "Len(s) = 3", "IsBlank(x) = true", "F(a, b)", "F(a: 1)",
                           "1 = 1", "{a: 1}", "x <> 1", "Set(x, 1); x = 1", "", "// x = 1", "\xff"})
    EXPECT_FALSE(starts_with_definition(text)) << text;
}

}  // namespace
}  // namespace canvasfx::ast
