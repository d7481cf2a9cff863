// Views and patches as JSON (view_json.h).
#include "view_json.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "canvasfx/calendar.h"
#include "canvasfx/engine.h"

namespace canvasfx::web {

namespace {

// Records and tables nest; the page needs the top levels only (a drop down's
// rows, a gallery's Selected), and a cycle-free bound keeps the JSON small.
constexpr int kMaxDepth = 3;

nlohmann::json value_json_at(const Value& v, int depth) {
  switch (v.kind()) {
    case ValueKind::Blank:
    case ValueKind::Void:
      return nullptr;
    case ValueKind::Boolean:
      return v.as_boolean();
    case ValueKind::Number:
      if (!std::isfinite(v.as_number())) return nullptr;
      return v.as_number();
    case ValueKind::Text:
      return v.as_text();
    case ValueKind::Date: {
      CivilDate d = civil_from_days(v.as_date());
      return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    }
    case ValueKind::DateTime: {
      DateTimeParts p = split_datetime(v.as_datetime());
      return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}", p.year, p.month, p.day,
                         p.hour, p.minute, p.second, p.millisecond);
    }
    case ValueKind::Time: {
      int64_t ms = v.as_time();
      bool negative = ms < 0;
      if (negative) ms = -ms;
      return fmt::format("{}{:02}:{:02}:{:02}", negative ? "-" : "", ms / 3600000, ms / 60000 % 60,
                         ms / 1000 % 60);
    }
    case ValueKind::Color: {
      uint32_t c = v.as_color();
      double alpha = std::round((c & 0xff) / 255.0 * 1000) / 1000;
      return fmt::format("rgba({}, {}, {}, {})", c >> 24, (c >> 16) & 0xff, (c >> 8) & 0xff, alpha);
    }
    case ValueKind::Enum:
    case ValueKind::Guid:
    case ValueKind::Untyped:
      return print_value(v);
    case ValueKind::Record: {
      nlohmann::json out = nlohmann::json::object();
      if (depth >= kMaxDepth) return out;
      for (const auto& [name, field] : v.fields()) out[name] = value_json_at(field, depth + 1);
      return out;
    }
    case ValueKind::Table: {
      // A data source's rows stay in the store: a gallery over it shows its own rows.
      if (const TableSource* source = v.source()) return {{"source", source->name()}};
      nlohmann::json out = nlohmann::json::array();
      if (depth >= kMaxDepth) return out;
      const auto& rows = v.rows();
      for (size_t i = 0; i < rows.size() && i < kMaxTableRows; ++i)
        out.push_back(value_json_at(rows[i], depth + 1));
      return out;
    }
    case ValueKind::Error: {
      std::string message;
      for (const auto& e : v.errors()) {
        if (!message.empty()) message += "; ";
        message += e.message.empty() ? fmt::format("error {}", e.kind) : e.message;
      }
      return {{"error", message}};
    }
  }
  return nullptr;
}

void collect_facts(const player::ControlSource& c,
                   const std::set<std::string, std::less<>>& components,
                   std::map<std::string, SourceFacts, std::less<>>& out) {
  SourceFacts f;
  f.source_type = c.type;
  f.variant = c.variant;
  f.component = components.contains(c.type);
  if (const auto* p = c.property("OnSelect"))
    f.on_select = p->formula.text.find_first_not_of(" \t\r\n") != std::string::npos;
  out.emplace(c.name, std::move(f));
  for (const auto& child : c.children) collect_facts(child, components, out);
}

// Builds a control's JSON (and, through `flat`, its key's entry).
class ViewBuilder {
 public:
  ViewBuilder(const std::map<std::string, SourceFacts, std::less<>>& facts, size_t max_rows)
      : facts_(facts), max_rows_(max_rows) {}

  // `prefix` keys the children: "" on the screen, "Gallery1#2/" in a row,
  // "Header1/" inside a component instance.
  nlohmann::json control(const player::ControlView& v, const std::string& key, int row,
                         const std::string& prefix) {
    nlohmann::json out;
    out["key"] = key;
    out["name"] = v.name;
    out["type"] = v.type;
    if (row >= 0) out["row"] = row;
    if (auto it = facts_.find(v.name); it != facts_.end()) {
      out["source"] = it->second.source_type;
      if (!it->second.variant.empty()) out["variant"] = it->second.variant;
      if (it->second.on_select) out["onSelect"] = true;
      if (it->second.component) out["component"] = true;
    }
    nlohmann::json properties = nlohmann::json::object();
    for (const auto& [name, value] : v.properties) properties[name] = value_json(value);
    out["properties"] = std::move(properties);
    // Copies inside a component instance are keyed under it: the same
    // definition may be used twice on a screen.
    std::string inner = out.value("component", false) ? key + "/" : prefix;
    nlohmann::json children = nlohmann::json::array();
    for (const auto& child : v.children)
      children.push_back(control(child, inner + child.name, row, inner));
    out["children"] = std::move(children);
    if (v.type == "Gallery" || v.type == "DataTable" || !v.rows.empty()) {
      nlohmann::json rows = nlohmann::json::array();
      for (size_t r = 0; r < v.rows.size() && r < max_rows_; ++r) {
        nlohmann::json cells = nlohmann::json::array();
        std::string row_prefix = fmt::format("{}#{}/", key, r);
        for (const auto& child : v.rows[r])
          cells.push_back(control(child, row_prefix + child.name, static_cast<int>(r), row_prefix));
        rows.push_back(std::move(cells));
      }
      out["rows"] = std::move(rows);
      out["rowCount"] = v.rows.size();
    }
    return out;
  }

 private:
  const std::map<std::string, SourceFacts, std::less<>>& facts_;
  size_t max_rows_;
};

std::string structure_of(const nlohmann::json& control) {
  std::string s;
  for (const auto& child : control["children"]) s += child["key"].get<std::string>() + ",";
  if (control.contains("rows")) s += fmt::format("rows {}", control["rows"].size());
  return s;
}

void flatten(const nlohmann::json& control, std::map<std::string, ScreenView::Flat>& flat) {
  flat[control["key"].get<std::string>()] = {&control["properties"], structure_of(control)};
  for (const auto& child : control["children"]) flatten(child, flat);
  if (control.contains("rows"))
    for (const auto& row : control["rows"])
      for (const auto& cell : row) flatten(cell, flat);
}

void diff(const nlohmann::json& control, const ScreenView& before, nlohmann::json& set,
          nlohmann::json& replace) {
  const std::string key = control["key"].get<std::string>();
  auto old = before.flat.find(key);
  if (old == before.flat.end() || old->second.structure != structure_of(control)) {
    replace.push_back(control);
    return;
  }
  const nlohmann::json& was = *old->second.properties;
  for (const auto& [name, value] : control["properties"].items()) {
    auto it = was.find(name);
    if (it != was.end() && *it == value) continue;
    nlohmann::json change = {
        {"key", key}, {"control", control["name"]}, {"property", name}, {"value", value}};
    if (control.contains("row")) change["row"] = control["row"];
    set.push_back(std::move(change));
  }
  for (const auto& child : control["children"]) diff(child, before, set, replace);
  if (control.contains("rows"))
    for (const auto& row : control["rows"])
      for (const auto& cell : row) diff(cell, before, set, replace);
}

}  // namespace

nlohmann::json value_json(const Value& value) { return value_json_at(value, 0); }

std::map<std::string, SourceFacts, std::less<>> source_facts(const player::AppSource& app) {
  std::map<std::string, SourceFacts, std::less<>> out;
  std::set<std::string, std::less<>> components;
  for (const auto& component : app.components) components.insert(component.body.name);
  for (const auto& screen : app.screens) collect_facts(screen, components, out);
  for (const auto& component : app.components) collect_facts(component.body, components, out);
  return out;
}

ScreenView screen_view(const player::ControlView& screen,
                       const std::map<std::string, SourceFacts, std::less<>>& facts,
                       size_t max_rows) {
  ScreenView out;
  out.screen = screen.name;
  ViewBuilder builder(facts, max_rows);
  out.json = builder.control(screen, screen.name, -1, "");
  out.json["screen"] = screen.name;
  // The acceptance shape: the screen's controls under "controls".
  out.json["controls"] = std::move(out.json["children"]);
  out.json["children"] = nlohmann::json::array();
  flatten(out.json, out.flat);
  // The screen's own structure is its controls.
  std::string structure;
  for (const auto& c : out.json["controls"]) structure += c["key"].get<std::string>() + ",";
  out.flat[screen.name].structure = structure;
  for (const auto& c : out.json["controls"]) flatten(c, out.flat);
  return out;
}

nlohmann::json view_patch(const ScreenView& before, const ScreenView& after) {
  nlohmann::json set = nlohmann::json::array(), replace = nlohmann::json::array();
  // The screen's own properties (Fill ...) first, then its controls.
  const nlohmann::json& was = *before.flat.at(before.screen).properties;
  for (const auto& [name, value] : after.json["properties"].items()) {
    auto it = was.find(name);
    if (it != was.end() && *it == value) continue;
    set.push_back(
        {{"key", after.screen}, {"control", after.screen}, {"property", name}, {"value", value}});
  }
  for (const auto& c : after.json["controls"]) diff(c, before, set, replace);
  if (set.empty() && replace.empty()) return nullptr;
  return {{"set", std::move(set)}, {"replace", std::move(replace)}};
}

}  // namespace canvasfx::web
