// The dependency graph: properties computed when read, recomputed once each
// when what they read changes, in order; cycles; gallery rows; context
// variables per screen; collections typed by their uses; controls as values.
#include <algorithm>

#include "player_fixture.h"

namespace canvasfx::player::testing {
namespace {

int count(const std::vector<std::string>& list, const std::string& item) {
  return static_cast<int>(std::count(list.begin(), list.end(), item));
}

// A diamond: Top reads x; Left and Right read Top; Bottom reads both.
constexpr const char* kDiamond = R"(      - Top:
          Control: Label
          Properties:
            Text: =Text(x * 2)
      - Left:
          Control: Label
          Properties:
            Text: =Top.Text & "L"
      - Right:
          Control: Label
          Properties:
            Text: =Top.Text & "R"
      - Bottom:
          Control: Label
          Properties:
            Text: =Left.Text & Right.Text
      - Bump:
          Control: Classic/Button
          Properties:
            OnSelect: =Set(x, x + 1)
      - Other:
          Control: Label
          Properties:
            Text: =Text(y)
)";

TEST_F(PlayerTest, DiamondRecomputesEachNodeOnce) {
  Runtime& rt = screen_app(kDiamond, "    OnStart: =Set(x, 1); Set(y, 5)\n");
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("Bottom", "Text"), "\"2L2R\"");
  EXPECT_EQ(value("Other", "Text"), "\"5\"");
  auto changed = rt.select("Bump");
  const auto& recomputed = rt.stats().last_recomputed;
  EXPECT_EQ(count(recomputed, "Screen1.Top.Text"), 1);
  EXPECT_EQ(count(recomputed, "Screen1.Left.Text"), 1);
  EXPECT_EQ(count(recomputed, "Screen1.Right.Text"), 1);
  EXPECT_EQ(count(recomputed, "Screen1.Bottom.Text"), 1);
  EXPECT_EQ(count(recomputed, "Screen1.Other.Text"), 0);  // reads y, not x
  // Topological: Bottom after both of its inputs.
  auto at = [&](const std::string& s) {
    return std::find(recomputed.begin(), recomputed.end(), s) - recomputed.begin();
  };
  EXPECT_LT(at("Screen1.Top.Text"), at("Screen1.Left.Text"));
  EXPECT_LT(at("Screen1.Left.Text"), at("Screen1.Bottom.Text"));
  EXPECT_LT(at("Screen1.Right.Text"), at("Screen1.Bottom.Text"));
  EXPECT_EQ(value("Bottom", "Text"), "\"4L4R\"");
  // What changed is reported for a shell to redraw.
  EXPECT_TRUE(std::find(changed.begin(), changed.end(), PropertyRef{"Bottom", "Text"}) !=
              changed.end());
}

TEST_F(PlayerTest, UnchangedValueStopsThePropagation) {
  Runtime& rt = screen_app(R"(      - Sign:
          Control: Label
          Properties:
            Text: =If(x > 0, "positive", "not positive")
      - Shout:
          Control: Label
          Properties:
            Text: =Upper(Sign.Text)
      - Bump:
          Control: Classic/Button
          Properties:
            OnSelect: =Set(x, x + 1)
)",
                           "    OnStart: =Set(x, 1)\n");
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("Shout", "Text"), "\"POSITIVE\"");
  rt.select("Bump");
  // Sign was recomputed (x changed) but gave the same text: Shout was not.
  EXPECT_EQ(count(rt.stats().last_recomputed, "Screen1.Sign.Text"), 1);
  EXPECT_EQ(count(rt.stats().last_recomputed, "Screen1.Shout.Text"), 0);
  EXPECT_TRUE(rt.changes().empty());
}

TEST_F(PlayerTest, PropertiesNeverReadAreNotComputed) {
  Runtime& rt = screen_app(R"(      - Lazy:
          Control: Label
          Properties:
            Text: =Text(x)
      - Bump:
          Control: Classic/Button
          Properties:
            OnSelect: =Set(x, x + 1)
)",
                           "    OnStart: =Set(x, 1)\n");
  rt.select("Bump");
  EXPECT_EQ(count(rt.stats().last_recomputed, "Screen1.Lazy.Text"), 0);
  EXPECT_EQ(value("Lazy", "Text"), "\"2\"");  // computed now, when read
}

TEST_F(PlayerTest, CycleIsADiagnosticNamingIt) {
  Runtime& rt = screen_app(R"(      - A:
          Control: Label
          Properties:
            Text: =B.Text & "a"
      - B:
          Control: Label
          Properties:
            Text: =A.Text & "b"
)");
  std::string errors = errors_of(rt);
  EXPECT_NE(errors.find("circular reference"), std::string::npos) << errors;
  EXPECT_NE(errors.find("Screen1.A.Text"), std::string::npos) << errors;
  EXPECT_NE(errors.find("Screen1.B.Text"), std::string::npos) << errors;
  EXPECT_TRUE(rt.value("A", "Text").is_error());  // an error value, no hang
}

constexpr const char* kGallery = R"(      - Min:
          Control: Classic/TextInput
          Properties:
            Default: ="0"
      - Items:
          Control: Gallery
          Properties:
            Items: |-
              =Filter(Table({Name: "a", N: 1}, {Name: "b", N: 2}, {Name: "c", N: 3}), N > Value(Min.Text))
          Children:
            - Title:
                Control: Label
                Properties:
                  Text: =ThisItem.Name & N
            - Marker:
                Control: Label
                Properties:
                  Text: =If(ThisItem.IsSelected, "*", "") & Title.Text
      - Picked:
          Control: Label
          Properties:
            Text: =Items.Selected.Name
)";

TEST_F(PlayerTest, GalleryRowsFollowTheirItems) {
  Runtime& rt = screen_app(kGallery);
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("Title", "Text", 0), "\"a1\"");
  EXPECT_EQ(value("Title", "Text", 2), "\"c3\"");
  // A template control reads its siblings in the same row.
  EXPECT_EQ(value("Marker", "Text", 0), "\"*a1\"");
  EXPECT_EQ(value("Marker", "Text", 1), "\"b2\"");
  EXPECT_EQ(value("Picked", "Text"), "\"a\"");
  // Typing into the box filters the items: the rows change.
  auto changed = rt.type_text("Min", "1");
  EXPECT_EQ(value("Title", "Text", 0), "\"b2\"");
  EXPECT_EQ(value("Items", "AllItemsCount"), "2");
  EXPECT_EQ(value("Picked", "Text"), "\"b\"");
  bool row_changed = std::any_of(changed.begin(), changed.end(),
                                 [](const PropertyRef& p) { return p.control == "Title"; });
  EXPECT_TRUE(row_changed);
  // Selecting a row selects it.
  rt.set_input("Items", Value::number(1));
  EXPECT_EQ(value("Picked", "Text"), "\"c\"");
  EXPECT_EQ(value("Marker", "Text", 1), "\"*c3\"");
}

// Controls of one catalog type share their record type only while their
// members have the same types: two galleries over different tables differ.
TEST_F(PlayerTest, ControlsAsValuesHaveTheirOwnMemberTypes) {
  Runtime& rt = screen_app(R"(      - Names:
          Control: Gallery
          Properties:
            Items: |-
              =Table({Name: "a"}, {Name: "b"})
      - Amounts:
          Control: Gallery
          Properties:
            Items: |-
              =Table({Amount: 1}, {Amount: 2})
      - First:
          Control: Label
      - Second:
          Control: Label
          Properties:
            Size: =20
)");
  ASSERT_EQ(errors_of(rt), "");
  auto type_of = [&](const std::string& formula) {
    CheckResult r = rt.engine().check(formula, CheckOptions{});
    return r.ok() ? r.type.name() : "error";
  };
  EXPECT_EQ(type_of("With({g: Names}, g.Selected.Name)"), Type::text().name());
  EXPECT_EQ(type_of("With({g: Amounts}, g.Selected.Amount)"), Type::number().name());
  EXPECT_EQ(type_of("With({g: Amounts}, g.Selected.Name)"), "error");
  EXPECT_EQ(type_of("With({g: Names}, g.Selected.Amount)"), "error");
  // Two labels: one record type, whatever formulas they have.
  EXPECT_EQ(type_of("With({l: First}, l.Size)"), Type::number().name());
  EXPECT_EQ(type_of("With({l: Second}, l.Text)"), Type::text().name());
}

constexpr const char* kTwoScreens = R"(Screens:
  First:
    Children:
      - Show:
          Control: Label
          Properties:
            Text: =Text(count)
      - Up:
          Control: Classic/Button
          Properties:
            OnSelect: |-
              =UpdateContext({count: count + 1})
      - Go:
          Control: Classic/Button
          Properties:
            OnSelect: |-
              =Navigate(Second, ScreenTransition.Fade, {count: 100})
  Second:
    Children:
      - Show2:
          Control: Label
          Properties:
            Text: =Text(count)
      - Up2:
          Control: Classic/Button
          Properties:
            OnSelect: |-
              =UpdateContext({count: count + 10})
)";

TEST_F(PlayerTest, ContextVariablesArePerScreen) {
  Runtime& rt = app({{"Src/Screens.pa.yaml", kTwoScreens}});
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(rt.active_screen(), "First");
  rt.select("Up");
  rt.select("Up");
  EXPECT_EQ(value("Show", "Text"), "\"2\"");
  EXPECT_EQ(value("Show2", "Text"), "Blank()");  // Second's count: not set yet
  rt.select("Go");
  EXPECT_EQ(rt.active_screen(), "Second");
  EXPECT_EQ(value("Show2", "Text"), "\"100\"");
  rt.select("Up2");
  EXPECT_EQ(value("Show2", "Text"), "\"110\"");
  EXPECT_EQ(value("Show", "Text"), "\"2\"");  // First's is its own
}

TEST_F(PlayerTest, CollectionTypeIsTheUnionOfItsUses) {
  Runtime& rt = screen_app(R"(      - AddA:
          Control: Classic/Button
          Properties:
            OnSelect: |-
              =Collect(things, {Name: "pen", Qty: 1})
      - AddB:
          Control: Classic/Button
          Properties:
            OnSelect: |-
              =Collect(things, {Name: "ink", Color: "blue"})
      - Summary:
          Control: Label
          Properties:
            Text: =Concat(things, Name & ":" & Qty & ":" & Color, ",")
)");
  // Summary reads Qty and Color: both are columns, from two different Collects.
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("Summary", "Text"), "\"\"");
  rt.select("AddA");
  rt.select("AddB");
  EXPECT_EQ(value("Summary", "Text"), "\"pen:1:,ink::blue\"");
}

TEST_F(PlayerTest, VariableTypeComesFromSet) {
  Runtime& rt =
      screen_app(R"(      - Show:
          Control: Label
          Properties:
            Text: =user.Name & " " & Text(total + 1)
)",
                 "    OnStart: |-\n      =Set(user, {Name: \"ann\", Age: 3}); Set(total, 41)\n");
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("Show", "Text"), "\"ann 42\"");
}

TEST_F(PlayerTest, UnknownNamesAreStillErrors) {
  Runtime& rt = screen_app(R"(      - Show:
          Control: Label
          Properties:
            Text: =nobody & "x"
)");
  std::string errors = errors_of(rt);
  EXPECT_NE(errors.find("'nobody' isn't recognized"), std::string::npos) << errors;
  EXPECT_NE(errors.find("Src/Screen1.pa.yaml:7:"), std::string::npos) << errors;
}

TEST_F(PlayerTest, SelfAndParent) {
  Runtime& rt = screen_app(R"(      - Box:
          Control: GroupContainer
          Properties:
            Width: =300
          Children:
            - Inner:
                Control: Label
                Properties:
                  Width: =Parent.Width - 20
                  Text: =Text(Self.Width)
)");
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("Inner", "Text"), "\"280\"");
}

// A chain of named formulas on a global variable that OnStart sets (typed by
// inference, declared after App.Formulas were first defined): a Set through
// eval reaches the control at the chain's end, and only what reads a0 runs.
TEST_F(PlayerTest, NamedFormulaChainOnAGlobalVariableRecomputes) {
  Runtime& rt = screen_app(R"(      - Last:
          Control: Label
          Properties:
            Text: =a3
      - Other:
          Control: Label
          Properties:
            Text: =Text(b)
)",
                           "    OnStart: =Set(a0, 1); Set(b, 7)\n"
                           "    Formulas: |-\n"
                           "      =\n"
                           "      a1 = a0 + 1;\n"
                           "      a2 = a1 + 1;\n"
                           "      a3 = a2 + 1;\n");
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("Last", "Text"), "\"4\"");
  eval("Set(a0, 10)");
  EXPECT_EQ(value("Last", "Text"), "\"13\"");
  const auto& recomputed = rt.stats().last_recomputed;
  EXPECT_EQ(count(recomputed, "Screen1.Last.Text"), 1);
  EXPECT_EQ(count(recomputed, "Screen1.Other.Text"), 0);
  auto changed = rt.changes();
  EXPECT_TRUE(std::find(changed.begin(), changed.end(), PropertyRef{"Last", "Text"}) !=
              changed.end());
  eval("Set(a0, 20)");
  EXPECT_EQ(value("Last", "Text"), "\"23\"");
}

// A named formula reading a control's property (and a function reading one)
// follows it: the engine's cached value must not outlive the input.
TEST_F(PlayerTest, NamedFormulasReadingAControlFollowIt) {
  Runtime& rt = screen_app(R"(      - Box:
          Control: TextInput
          Properties:
            Default: ="a"
      - Out:
          Control: Label
          Properties:
            Text: =Shout
      - ViaFunction:
          Control: Label
          Properties:
            Text: =Twice()
)",
                           "    Formulas: |-\n"
                           "      =\n"
                           "      Shout = Upper(Box.Text);\n"
                           "      Twice(): Text = Box.Text & Box.Text;\n");
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("Out", "Text"), "\"A\"");
  EXPECT_EQ(value("ViaFunction", "Text"), "\"aa\"");
  rt.type_text("Box", "abc");
  EXPECT_EQ(value("Out", "Text"), "\"ABC\"");
  EXPECT_EQ(value("ViaFunction", "Text"), "\"abcabc\"");
  EXPECT_EQ(eval("Shout"), "\"ABC\"");
}

// A long chain read for the first time must not nest one evaluation per link
// (that overflowed the stack at a few thousand): named formulas, and
// properties reading properties.
TEST_F(PlayerTest, LongChainsAreComputedWithoutDeepNesting) {
  constexpr int kLinks = 10000;
  std::string formulas = "    OnStart: =Set(a0, 1)\n    Formulas: |-\n      =\n";
  for (int i = 1; i <= kLinks; ++i)
    formulas += "      a" + std::to_string(i) + " = a" + std::to_string(i - 1) + " + 1;\n";
  constexpr int kLabels = 6000;
  std::string children;
  for (int i = 0; i < kLabels; ++i) {
    std::string text = i == 0 ? "=Text(a" + std::to_string(kLinks) + ")"
                              : "=L" + std::to_string(i - 1) + ".Text & \"\"";
    children += "      - L" + std::to_string(i) +
                ":\n          Control: Label\n          Properties:\n            Text: " + text +
                "\n";
  }
  Runtime& rt = screen_app(children, formulas);
  ASSERT_EQ(errors_of(rt), "");
  EXPECT_EQ(value("L" + std::to_string(kLabels - 1), "Text"),
            "\"" + std::to_string(kLinks + 1) + "\"");
  eval("Set(a0, 5)");
  EXPECT_EQ(value("L" + std::to_string(kLabels - 1), "Text"),
            "\"" + std::to_string(kLinks + 5) + "\"");
}

}  // namespace
}  // namespace canvasfx::player::testing
