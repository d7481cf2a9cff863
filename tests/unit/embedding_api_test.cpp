// The engine API an app runtime builds on: objects whose members are symbols,
// per-formula names (Self, Parent), row scopes, open types, the call
// observer, the write listener and parse-once checking.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"

namespace canvasfx {
namespace {

class MapScope : public NameScope {
 public:
  std::map<std::string, SymbolId, std::less<>> names;
  std::optional<SymbolId> find(std::string_view name) const override {
    auto it = names.find(name);
    if (it == names.end()) return std::nullopt;
    return it->second;
  }
};

class EmbeddingApiTest : public ::testing::Test {
 protected:
  EmbeddingApiTest() { stdlib::install(engine_); }

  // A control `name` with a Text (text) and Width (number) property.
  SymbolId declare_control(const std::string& name, const std::string& text, double width) {
    Type type = Type::record({{"Text", Type::text()}, {"Width", Type::number()}});
    SymbolId object = engine_.declare(name, type, Value::record({{"Text", Value::text(text)}}));
    SymbolId text_id = engine_.declare(name + ".Text", Type::text(), Value::text(text),
                                       SymbolFlags{.can_set = false, .hidden = true});
    SymbolId width_id = engine_.declare(name + ".Width", Type::number(), Value::number(width),
                                        SymbolFlags{.can_set = false, .hidden = true});
    engine_.set_members(object, {{"Text", text_id}, {"Width", width_id}});
    return object;
  }

  Engine engine_;
};

TEST_F(EmbeddingApiTest, MemberReadDependsOnTheMemberOnly) {
  SymbolId label = declare_control("Label1", "hello", 100);
  auto checked = engine_.check("Label1.Text & \"!\"");
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(print_value(checked.formula->eval(engine_)), "\"hello!\"");
  const auto& ids = checked.formula->dependency_ids();
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_NE(ids[0], label);
  EXPECT_EQ(engine_.symbol_name(ids[0]), "Label1.Text");
  EXPECT_FALSE(engine_.find_symbol("Label1.Text"));  // hidden: not a name
}

TEST_F(EmbeddingApiTest, BareObjectIsADependencyBesideItsMembers) {
  SymbolId label = declare_control("Label1", "hello", 100);
  auto checked = engine_.check("If(IsBlank(Label1), 0, Label1.Width)");
  ASSERT_TRUE(checked.ok());
  const auto& ids = checked.formula->dependency_ids();
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_TRUE(std::find(ids.begin(), ids.end(), label) != ids.end());
}

TEST_F(EmbeddingApiTest, UnknownMemberIsAnError) {
  declare_control("Label1", "hello", 100);
  auto checked = engine_.check("Label1.Colour");
  EXPECT_FALSE(checked.ok());
}

TEST_F(EmbeddingApiTest, SelfAndParentComeFromTheNameScope) {
  SymbolId label = declare_control("Label1", "a", 10);
  SymbolId screen = declare_control("Screen1", "s", 640);
  MapScope scope;
  scope.names = {{"Self", label}, {"Parent", screen}};
  CheckOptions options{.names = &scope};
  auto checked = engine_.check("Parent.Width - Self.Width", options);
  ASSERT_TRUE(checked.ok()) << checked.diagnostics[0].message;
  EXPECT_EQ(print_value(checked.formula->eval(engine_)), "630");
  EXPECT_FALSE(engine_.check("Self.Width").ok());  // without a scope Self means nothing
}

TEST_F(EmbeddingApiTest, ScopedNamesShadowEngineNames) {
  engine_.set_value("x", Value::number(1));
  SymbolId local =
      engine_.declare("x (Screen2)", Type::number(), Value::number(2), SymbolFlags{.hidden = true});
  MapScope scope;
  scope.names = {{"x", local}};
  auto checked = engine_.check("x * 10", CheckOptions{.names = &scope});
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(print_value(checked.formula->eval(engine_)), "20");
}

TEST_F(EmbeddingApiTest, RowScopeGivesThisItemAndFields) {
  Type row = Type::record({{"Name", Type::text()}, {"Qty", Type::number()}});
  CheckOptions options{.row_scope = row};
  auto checked = engine_.check("ThisItem.Name & \":\" & Qty", options);
  ASSERT_TRUE(checked.ok()) << checked.diagnostics[0].message;
  Value record = Value::record({{"Name", Value::text("pen")}, {"Qty", Value::number(3)}});
  EXPECT_EQ(print_value(checked.formula->eval(engine_, record)), "\"pen:3\"");
  EXPECT_FALSE(engine_.check("ThisItem.Missing", options).ok());
}

TEST_F(EmbeddingApiTest, OpenTypesAcceptUnknownFields) {
  Type row = Type::record({{"Name", Type::text()}}).as_open();
  engine_.declare(
      "Contacts", row.as_table(),
      Value::table({Value::record({{"Name", Value::text("Ann")}, {"City", Value::text("Oslo")}})},
                   row));
  auto filtered = engine_.check("CountRows(Filter(Contacts, City = \"Oslo\"))");
  ASSERT_TRUE(filtered.ok()) << filtered.diagnostics[0].message;
  EXPECT_EQ(print_value(filtered.formula->eval(engine_)), "1");
  auto field = engine_.check("First(Contacts).'Full Name'");
  ASSERT_TRUE(field.ok());
  EXPECT_TRUE(field.type.is(TypeKind::Unknown));
  EXPECT_FALSE(engine_.check("Nobody").ok());  // outside an open scope names still must exist
}

TEST_F(EmbeddingApiTest, CallObserverSeesArgumentTypesAndNames) {
  std::vector<CallObservation> seen;
  CheckOptions options{.behavior = true,
                       .on_call = [&](const CallObservation& c) { seen.push_back(c); }};
  engine_.check("Collect(orders, {Id: 1, Item: \"pen\"})", options);
  ASSERT_FALSE(seen.empty());
  const CallObservation& collect = seen.back();
  EXPECT_EQ(collect.function, "Collect");
  ASSERT_EQ(collect.arg_names.size(), 2u);
  EXPECT_EQ(collect.arg_names[0], "orders");  // not declared yet: still named
  EXPECT_TRUE(collect.arg_types[0].is(TypeKind::Unknown));
  ASSERT_TRUE(collect.arg_types[1].is(TypeKind::Record));
  EXPECT_TRUE(collect.arg_types[1].field("Item")->is(TypeKind::Text));
}

TEST_F(EmbeddingApiTest, ChangeListenerHearsFormulaWritesById) {
  SymbolId x = engine_.declare("x", Type::number(), Value::number(0));
  std::vector<SymbolId> written;
  engine_.set_change_listener([&](SymbolId id) { written.push_back(id); });
  auto checked = engine_.check("Set(x, 5)", CheckOptions{.behavior = true});
  ASSERT_TRUE(checked.ok());
  checked.formula->eval(engine_);
  engine_.set_value(x, Value::number(6));
  EXPECT_EQ(written, (std::vector<SymbolId>{x, x}));
}

TEST_F(EmbeddingApiTest, ParseOnceCheckTwice) {
  ParsedFormula parsed = engine_.parse("y + 1");
  EXPECT_FALSE(engine_.check(parsed).ok());  // y unknown yet
  engine_.declare("y", Type::number(), Value::number(41));
  auto checked = engine_.check(parsed);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(print_value(checked.formula->eval(engine_)), "42");
  EXPECT_FALSE(engine_.parse("1 +").diagnostics().empty());
}

}  // namespace
}  // namespace canvasfx
