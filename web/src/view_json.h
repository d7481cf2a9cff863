// The runtime's view of a screen as the page receives it, and the difference
// between two views (what a `patch` event carries).
//
// Every drawn control has a key that is unique on the screen: its name, or,
// for a copy in a gallery row or inside a component instance, the key of that
// row or instance, "/", and its name ("AccountsGallery#3/AccountName",
// "Header1/Title"). A patch sets single properties by key; when a control's
// structure changed (its children, or the number of a gallery's rows) the
// control is sent whole ("replace").
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "canvasfx/player/runtime.h"

namespace canvasfx::web {

// A value as JSON: Blank null, numbers, text, booleans; a color
// "rgba(r, g, b, a)"; an enum member "Icon.Globe"; dates "2024-05-01",
// date-times "2024-05-01T12:30:00.000"; records as objects and tables as
// arrays (a few levels deep, at most kMaxTableRows rows); a data source table
// as {"source": NAME}; an error as {"error": MESSAGE}.
nlohmann::json value_json(const Value& value);
inline constexpr size_t kMaxTableRows = 500;

// What the page needs to know of a control beyond its evaluated properties:
// the type as the source wrote it (a Shape's "Circle"), its variant (a
// gallery's layout), whether it has an OnSelect of its own, and whether it is
// an instance of one of the app's components (drawn as a box of its controls).
struct SourceFacts {
  std::string source_type;
  std::string variant;
  bool on_select = false;
  bool component = false;
};
// The facts of every named control of an app (screens, their controls, component definitions).
std::map<std::string, SourceFacts, std::less<>> source_facts(const player::AppSource& app);

// A screen's control tree as JSON, and the same flattened by key.
// Move-only: `flat` points into `json`.
struct ScreenView {
  ScreenView() = default;
  ScreenView(ScreenView&&) = default;
  ScreenView& operator=(ScreenView&&) = default;
  ScreenView(const ScreenView&) = delete;
  ScreenView& operator=(const ScreenView&) = delete;

  std::string screen;
  nlohmann::json json;  // {"screen", "key", "type", "properties", "controls": [...]}
  struct Flat {
    const nlohmann::json* properties = nullptr;  // points into `json`
    std::string structure;                       // child keys and row count
  };
  std::map<std::string, Flat> flat;
};

// Builds a screen's view; galleries keep at most max_rows rows.
ScreenView screen_view(const player::ControlView& screen,
                       const std::map<std::string, SourceFacts, std::less<>>& facts,
                       size_t max_rows);

// The changes from `before` to `after` (same screen): {"set": [{"key", "control",
// "property", "row"?, "value"}], "replace": [control JSON]}; null when nothing changed.
nlohmann::json view_patch(const ScreenView& before, const ScreenView& after);

}  // namespace canvasfx::web
