// The older source format of an unpacked .msapp (pac canvas unpack, PASopa):
// Src/<Screen>.fx.yaml, Src/App.fx.yaml, Src/Components/<Name>.fx.yaml with
// <Name>.json for the component's custom properties, and components from
// libraries under pkgs/Components/.
//
// A control is a key `Name As template[.variant]` (either part may be a
// 'quoted' name); inside it, keys that are themselves `X As Y` are child
// controls and every other key is a property whose value is `=formula`.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "loaders.h"

namespace canvasfx::player {

namespace {

// Reads one identifier, bare or 'quoted' (with '' for a quote), from `s` at `i`.
std::optional<std::string> read_identifier(std::string_view s, size_t& i) {
  if (i >= s.size()) return std::nullopt;
  std::string out;
  if (s[i] == '\'') {
    for (++i; i < s.size(); ++i) {
      if (s[i] == '\'') {
        if (i + 1 < s.size() && s[i + 1] == '\'') {
          out += '\'';
          ++i;
          continue;
        }
        ++i;
        return out;
      }
      out += s[i];
    }
    return std::nullopt;  // unterminated
  }
  while (i < s.size() && s[i] != '.' && s[i] != ' ') out += s[i++];
  if (out.empty()) return std::nullopt;
  return out;
}

struct ControlKey {
  std::string name, type, variant;
};

// "Label1 As label", "'Home Screen' As screen", "Nav1 As 'Fluent Nav (1.1.39)'.pcfdataset".
std::optional<ControlKey> parse_control_key(std::string_view key) {
  size_t as = std::string_view::npos;
  // " As " outside a quoted name.
  bool quoted = false;
  for (size_t i = 0; i + 4 <= key.size(); ++i) {
    if (key[i] == '\'') quoted = !quoted;
    if (!quoted && key.compare(i, 4, " As ") == 0) {
      as = i;
      break;
    }
  }
  if (as == std::string_view::npos) return std::nullopt;
  ControlKey out;
  size_t i = 0;
  auto name = read_identifier(key.substr(0, as), i);
  if (!name || i != as) return std::nullopt;
  out.name = *name;
  std::string_view rest = key.substr(as + 4);
  i = 0;
  auto type = read_identifier(rest, i);
  if (!type) return std::nullopt;
  out.type = *type;
  if (i < rest.size() && rest[i] == '.') {
    ++i;
    if (i < rest.size()) {
      auto variant = read_identifier(rest, i);
      if (variant) out.variant = *variant;
    }
  }
  return out;
}

class FxYamlLoader {
 public:
  FxYamlLoader(AppSource& app, DiagnosticSink& sink) : app_(app), sink_(sink) {}

  void load_file(const YamlFile& file, bool component_file) {
    file_ = &file;
    if (file.root.is_null()) return;
    if (!file.root.is_map()) {
      sink_.error(file.pos(file.root), "an .fx.yaml file must hold one control");
      return;
    }
    for (const auto& entry : file.root.entries()) {
      std::string key = entry.first.text_or("");
      auto parsed = parse_control_key(key);
      if (!parsed) {
        sink_.error(file.pos(entry.first),
                    fmt::format("expected 'Name As template', found '{}'", key));
        continue;
      }
      ControlSource control = load_control(*parsed, entry.first, entry.second, parsed->name);
      if (parsed->type == "appinfo") {
        control.name = "App";
        control.type = "App";
        app_.app = std::move(control);
      } else if (parsed->type == "screen") {
        app_.screens.push_back(std::move(control));
      } else if (component_file || parsed->type == "CanvasComponent") {
        ComponentSource c;
        c.body = std::move(control);
        c.body.type = "Component";
        components_.push_back(std::move(c));
      } else {
        sink_.error(control.pos,
                    fmt::format("a top-level control must be the App, a screen or a component, "
                                "not '{}'",
                                parsed->type),
                    control.name);
      }
    }
  }

  // A component's custom properties from its .json companion.
  void load_component_json(const std::string& path, const std::string& text) {
    nlohmann::json json;
    try {
      // Not its definition snapshot (ComponentDefinitionInfo): most of its text.
      static const std::vector<JsonKeep> kRead{
          {"ComponentManifest", {{"Name", {}}, {"AllowAccessToGlobals", {}}}},
          {"CustomProperties", {}}};
      json = parse_json_kept(text, kRead);
    } catch (const nlohmann::json::exception& e) {
      sink_.error(SourcePos{path, 1, 1}, std::string("invalid JSON: ") + e.what());
      return;
    }
    std::string name = json.value("ComponentManifest", nlohmann::json::object()).value("Name", "");
    ComponentSource* target = nullptr;
    for (auto& c : components_)
      if (c.body.name == name) target = &c;
    if (!target) return;  // a json whose component has no .fx.yaml: nothing to type
    const auto& manifest = json["ComponentManifest"];
    target->access_app_scope = manifest.value("AllowAccessToGlobals", false);
    if (!json.contains("CustomProperties") || !json["CustomProperties"].is_array()) return;
    for (const auto& p : json["CustomProperties"]) {
      if (!p.is_object()) continue;
      CustomPropertySource cp;
      cp.name = p.value("Name", "");
      std::string type = p.value("PropertyDataTypeKey", "");
      cp.data_type = type == "String" ? "Text" : type;
      cp.pos = SourcePos{path, 1, 1};
      // The old format keeps one formula per custom property, in the
      // definition: the default of an input, the value of an output.
      if (const PropertySource* formula = target->body.property(cp.name))
        cp.default_formula = formula->formula;
      target->custom_properties.push_back(std::move(cp));
    }
  }

  void finish() {
    for (auto& c : components_) {
      bool duplicate = false;
      for (const auto& existing : app_.components)
        duplicate = duplicate || existing.body.name == c.body.name;
      if (duplicate) {
        sink_.warning(
            c.body.pos,
            fmt::format("component '{}' is defined again; this definition is ignored", c.body.name),
            c.body.name);
        continue;
      }
      app_.components.push_back(std::move(c));
    }
  }

 private:
  ControlSource load_control(const ControlKey& key, const YamlNode& key_node, const YamlNode& node,
                             const std::string& screen) {
    ControlSource control;
    control.name = key.name;
    control.type = key.type;
    control.variant = key.variant;
    control.fx_yaml = true;
    control.pos = file_->pos(key_node);
    if (node.is_null()) return control;
    if (!node.is_map()) {
      sink_.error(control.pos, "a control must be a mapping of properties and controls",
                  control.name);
      return control;
    }
    for (const auto& entry : node.entries()) {
      std::string k = entry.first.text_or("");
      if (auto child = parse_control_key(k)) {
        control.children.push_back(load_control(*child, entry.first, entry.second, screen));
        continue;
      }
      auto formula = formula_of(*file_, entry.second, sink_, control.name, k);
      if (formula)
        control.properties.push_back(
            PropertySource{k, std::move(*formula), file_->pos(entry.first)});
    }
    return control;
  }

  AppSource& app_;
  DiagnosticSink& sink_;
  const YamlFile* file_ = nullptr;
  std::vector<ComponentSource> components_;
};

bool under(const std::string& path, std::string_view folder) {
  return path.compare(0, folder.size(), folder) == 0;
}

}  // namespace

void load_fx_yaml(const SourceTree& tree, AppSource& app, DiagnosticSink& sink) {
  FxYamlLoader loader(app, sink);
  std::vector<std::string> component_json;
  for (const auto& path : tree.files()) {
    bool src = under(path, "Src/") && !under(path, "Src/EditorState/");
    bool library = under(path, "pkgs/Components/");
    if (!src && !library) continue;
    bool component = library || under(path, "Src/Components/");
    if (path.ends_with(".json")) {
      if (component) component_json.push_back(path);
      continue;
    }
    if (!path.ends_with(".fx.yaml")) continue;
    auto text = tree.read(path);
    if (!text) continue;
    auto file = parse_yaml(path, std::move(*text), sink);
    if (!file) continue;
    loader.load_file(*file, component);
  }
  for (const auto& path : component_json)
    if (auto text = tree.read(path)) loader.load_component_json(path, *text);
  loader.finish();
  if (app.app.name.empty()) {
    app.app.name = "App";
    app.app.type = "App";
  }
}

}  // namespace canvasfx::player
