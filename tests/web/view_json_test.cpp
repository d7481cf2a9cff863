// Values and views as the page receives them, and patches between views (view_json.h).
#include "view_json.h"

#include <gtest/gtest.h>

#include "canvasfx/calendar.h"

namespace canvasfx::web {
namespace {

using nlohmann::json;

TEST(ValueJson, ScalarsColorsDatesAndErrors) {
  EXPECT_TRUE(value_json(Value::blank()).is_null());
  EXPECT_EQ(value_json(Value::number(2.5)), 2.5);
  EXPECT_TRUE(value_json(Value::number(std::nan(""))).is_null());
  EXPECT_EQ(value_json(Value::text("<b>x</b>")), "<b>x</b>");  // text stays text
  EXPECT_EQ(value_json(Value::boolean(false)), false);
  EXPECT_EQ(value_json(Value::color(0x0078d4ffu)), "rgba(0, 120, 212, 1)");
  EXPECT_EQ(value_json(Value::color(0xff000080u)), "rgba(255, 0, 0, 0.502)");
  EXPECT_EQ(value_json(Value::date(days_from_civil(2024, 5, 1))), "2024-05-01");
  EXPECT_EQ(value_json(Value::datetime(days_from_civil(2024, 5, 1) * kMsPerDay + 3723004)),
            "2024-05-01T01:02:03.004");
  EXPECT_EQ(value_json(Value::time(3723000)), "01:02:03");
  EXPECT_EQ(value_json(Value::error(ErrorKind::Div0, "Division by zero")),
            json({{"error", "Division by zero"}}));
}

TEST(ValueJson, RecordsAndTablesAreBounded) {
  Value row = Value::record({{"Name", Value::text("A")}, {"Qty", Value::number(1)}});
  EXPECT_EQ(value_json(row), json({{"Name", "A"}, {"Qty", 1}}));
  std::vector<Value> rows(kMaxTableRows + 10, row);
  json table = value_json(Value::table(rows, Type::empty_record()));
  EXPECT_EQ(table.size(), kMaxTableRows);
}

player::ControlView label(std::string name, std::string text) {
  player::ControlView v;
  v.name = std::move(name);
  v.type = "Label";
  v.properties = {{"Text", Value::text(std::move(text))}, {"Visible", Value::boolean(true)}};
  return v;
}

player::ControlView screen_with(std::vector<player::ControlView> children, size_t rows) {
  player::ControlView screen;
  screen.name = "Screen1";
  screen.type = "Screen";
  screen.properties = {{"Fill", Value::color(0xffffffffu)}};
  player::ControlView gallery;
  gallery.name = "Gallery1";
  gallery.type = "Gallery";
  for (size_t r = 0; r < rows; ++r)
    gallery.rows.push_back({label("Cell", "row " + std::to_string(r))});
  children.push_back(gallery);
  screen.children = std::move(children);
  return screen;
}

TEST(ViewPatch, OnlyChangedPropertiesAreSet) {
  std::map<std::string, SourceFacts, std::less<>> facts;
  ScreenView before = screen_view(screen_with({label("Title", "Hello")}, 2), facts, 100);
  EXPECT_EQ(before.json["screen"], "Screen1");
  EXPECT_EQ(before.json["controls"][0]["key"], "Title");
  EXPECT_EQ(before.json["controls"][1]["rows"][1][0]["key"], "Gallery1#1/Cell");
  ScreenView same = screen_view(screen_with({label("Title", "Hello")}, 2), facts, 100);
  EXPECT_TRUE(view_patch(before, same).is_null());

  ScreenView after = screen_view(screen_with({label("Title", "Bye")}, 2), facts, 100);
  json patch = view_patch(before, after);
  ASSERT_EQ(patch["set"].size(), 1u);
  EXPECT_EQ(patch["set"][0],
            json({{"key", "Title"}, {"control", "Title"}, {"property", "Text"}, {"value", "Bye"}}));
  EXPECT_TRUE(patch["replace"].empty());
}

TEST(ViewPatch, AGalleryWhoseRowsChangedInNumberIsSentWhole) {
  std::map<std::string, SourceFacts, std::less<>> facts;
  ScreenView before = screen_view(screen_with({label("Title", "Hello")}, 2), facts, 100);
  ScreenView after = screen_view(screen_with({label("Title", "Hello")}, 3), facts, 100);
  json patch = view_patch(before, after);
  EXPECT_TRUE(patch["set"].empty());
  ASSERT_EQ(patch["replace"].size(), 1u);
  EXPECT_EQ(patch["replace"][0]["key"], "Gallery1");
  EXPECT_EQ(patch["replace"][0]["rows"].size(), 3u);
  // At most max_rows rows travel; rowCount says how many there are.
  ScreenView capped = screen_view(screen_with({}, 5), facts, 2);
  json gallery = capped.json["controls"][0];
  EXPECT_EQ(gallery["rows"].size(), 2u);
  EXPECT_EQ(gallery["rowCount"], 5);
}

// Two instances of one component on a screen: each instance's controls are
// keyed under it, and the page learns that they are component instances.
TEST(ScreenView, ComponentInstancesKeyTheirControlsUnderThem) {
  std::map<std::string, SourceFacts, std::less<>> facts;
  facts["Header1"] = {.source_type = "AppHeader", .component = true};
  facts["Header2"] = {.source_type = "AppHeader", .component = true};
  std::vector<player::ControlView> instances;
  for (const char* name : {"Header1", "Header2"}) {
    player::ControlView header;
    header.name = name;
    header.type = "AppHeader";
    header.children = {label("Title", name)};
    instances.push_back(header);
  }
  ScreenView view = screen_view(screen_with(instances, 0), facts, 100);
  EXPECT_EQ(view.json["controls"][0]["component"], true);
  EXPECT_EQ(view.json["controls"][0]["children"][0]["key"], "Header1/Title");
  EXPECT_EQ(view.json["controls"][1]["children"][0]["key"], "Header2/Title");
  EXPECT_EQ(view.flat.size(), 6u);  // the screen, two headers, two titles, the gallery
}

}  // namespace
}  // namespace canvasfx::web
