// *.pa.yaml (Power Apps source code, schema v3: ../shared/reference/pa-yaml/).
//
// Every file holds some of the top-level sections App, Screens,
// ComponentDefinitions, DataSources and EditorState; all files of an app are
// one document logically. Files an .msapp embeds may also hold one screen or
// the App as a top-level key with `Control: Screen` / `Control: App`. Keys the
// schema does not allow are errors; a name defined twice is a warning and the
// first definition is kept.
#include <fmt/format.h>

#include <set>

#include "loaders.h"

namespace canvasfx::player {

namespace {

class PaYamlLoader {
 public:
  PaYamlLoader(AppSource& app, DiagnosticSink& sink) : app_(app), sink_(sink) {}

  void load(const YamlFile& file) {
    file_ = &file;
    if (file.root.is_null()) return;  // an empty file
    if (!file.root.is_map()) {
      sink_.error(file.pos(file.root), "a .pa.yaml file must be a mapping of sections");
      return;
    }
    for (const auto& entry : file.root.entries()) {
      std::string key = entry.first.text_or("");
      const YamlNode& value = entry.second;
      if (key == "App")
        load_app(value);
      else if (key == "Screens")
        load_screens(value);
      else if (key == "ComponentDefinitions")
        load_components(value);
      else if (key == "DataSources")
        load_data_sources(value);
      else if (key == "EditorState")
        load_editor_state(value);
      else if (child(value, "Control").is_scalar() &&
               control_id(child(value, "Control").scalar()) == "Screen")
        add_screen(key, entry.first, value);  // a screen file inside an .msapp
      else
        sink_.error(file.pos(entry.first),
                    fmt::format("unknown section '{}' (expected App, Screens, "
                                "ComponentDefinitions, DataSources or EditorState)",
                                key));
    }
  }

  // Screens in EditorState's order, then the others in file order.
  void finish() {
    std::vector<ControlSource> ordered;
    for (const auto& name : screen_order_)
      for (auto& s : app_.screens)
        if (s.name == name && !s.name.empty()) {
          ordered.push_back(std::move(s));
          s.name.clear();
        }
    for (auto& s : app_.screens)
      if (!s.name.empty()) ordered.push_back(std::move(s));
    app_.screens = std::move(ordered);
  }

 private:
  // "Classic/Button@2.2.0" -> "Classic/Button".
  static std::string control_id(const std::string& control) {
    return control.substr(0, control.find('@'));
  }

  bool expect_map(const YamlNode& node, std::string_view what) {
    if (node.is_map()) return true;
    if (!node.is_null()) sink_.error(file_->pos(node), fmt::format("{} must be a mapping", what));
    return false;
  }

  void load_properties(const YamlNode& node, ControlSource& control, const std::string& screen) {
    if (!expect_map(node, "Properties")) return;
    std::set<std::string> seen;
    for (const auto& p : node.entries()) {
      std::string name = p.first.text_or("");
      if (!seen.insert(name).second) {
        sink_.error(file_->pos(p.first), fmt::format("property '{}' is set twice", name),
                    control.name, name);
        continue;
      }
      auto formula = formula_of(*file_, p.second, sink_, control.name, name);
      if (!formula) continue;
      control.properties.push_back(PropertySource{name, std::move(*formula), file_->pos(p.first)});
    }
    (void)screen;
  }

  void load_children(const YamlNode& node, ControlSource& parent, const std::string& screen) {
    if (!node.is_defined() || node.is_null()) return;
    if (!node.is_sequence()) {
      sink_.error(file_->pos(node), "Children must be a list of controls", parent.name);
      return;
    }
    for (const auto& item : node.items()) {
      if (!item.is_map() || item.size() != 1) {
        sink_.error(file_->pos(item), "each child must be one 'Name: control' mapping",
                    parent.name);
        continue;
      }
      auto entry = *item.entries().begin();
      std::string name = entry.first.text_or("");
      if (name.empty()) {
        sink_.error(file_->pos(entry.first), "a control needs a name", parent.name);
        continue;
      }
      if (auto child = load_control(name, entry.first, entry.second, screen))
        parent.children.push_back(std::move(*child));
    }
  }

  std::optional<ControlSource> load_control(const std::string& name, const YamlNode& key,
                                            const YamlNode& node, const std::string& screen) {
    ControlSource control;
    control.name = name;
    control.pos = file_->pos(key);
    if (!node.is_map()) {
      sink_.error(control.pos, "a control must be a mapping with a Control key", name);
      return std::nullopt;
    }
    for (const auto& entry : node.entries()) {
      std::string key_name = entry.first.text_or("");
      const YamlNode& value = entry.second;
      if (key_name == "Control")
        control.type = scalar_of(*file_, value, sink_, "Control");
      else if (key_name == "Variant")
        control.variant = scalar_of(*file_, value, sink_, "Variant");
      else if (key_name == "ComponentName")
        control.component = scalar_of(*file_, value, sink_, "ComponentName");
      else if (key_name == "ComponentLibraryUniqueName")
        control.library = scalar_of(*file_, value, sink_, "ComponentLibraryUniqueName");
      else if (key_name == "Properties")
        load_properties(value, control, screen);
      else if (key_name == "Children")
        load_children(value, control, screen);
      else if (key_name == "Group" || key_name == "Layout" || key_name == "MetadataKey" ||
               key_name == "IsLocked" || key_name == "StyleName")
        continue;  // authoring metadata: no effect on the running app
      else
        sink_.error(file_->pos(entry.first), fmt::format("unknown key '{}' in a control", key_name),
                    name);
    }
    if (control.type.empty()) {
      sink_.error(control.pos, "the control has no Control type", name);
      return std::nullopt;
    }
    std::string id = control_id(control.type);
    if ((id == "CanvasComponent" || id == "Component" || id == "CodeComponent") &&
        control.component.empty())
      sink_.error(control.pos, fmt::format("a {} instance needs a ComponentName", id), name);
    return control;
  }

  void load_app(const YamlNode& node) {
    if (!expect_map(node, "App")) return;
    if (app_.app.pos.line == 0) app_.app.pos = file_->pos(node);
    app_.app.name = "App";
    app_.app.type = "App";
    for (const auto& entry : node.entries()) {
      std::string key = entry.first.text_or("");
      if (key == "Properties") {
        load_properties(entry.second, app_.app, "");
      } else if (key == "Children") {
        load_children(entry.second, app_.app, "");
      } else if (key == "Control") {
        if (control_id(scalar_of(*file_, entry.second, sink_, "Control")) != "App")
          sink_.error(file_->pos(entry.second), "the App's Control must be App", "App");
      } else {
        sink_.error(file_->pos(entry.first), fmt::format("unknown key '{}' in App", key), "App");
      }
    }
  }

  void add_screen(const std::string& name, const YamlNode& key, const YamlNode& node) {
    for (const auto& s : app_.screens)
      if (s.name == name) {
        sink_.warning(file_->pos(key),
                      fmt::format("screen '{}' is defined again (first in {}:{}); this one is "
                                  "ignored",
                                  name, s.pos.file, s.pos.line),
                      name);
        return;
      }
    ControlSource screen;
    screen.name = name;
    screen.type = "Screen";
    screen.pos = file_->pos(key);
    if (!expect_map(node, "A screen")) return;
    for (const auto& entry : node.entries()) {
      std::string k = entry.first.text_or("");
      if (k == "Properties")
        load_properties(entry.second, screen, name);
      else if (k == "Children")
        load_children(entry.second, screen, name);
      else if (k == "Control" || k == "Variant" || k == "Layout" || k == "MetadataKey")
        continue;
      else
        sink_.error(file_->pos(entry.first), fmt::format("unknown key '{}' in a screen", k), name);
    }
    app_.screens.push_back(std::move(screen));
  }

  void load_screens(const YamlNode& node) {
    if (!expect_map(node, "Screens")) return;
    for (const auto& entry : node.entries())
      add_screen(entry.first.text_or(""), entry.first, entry.second);
  }

  std::optional<FormulaText> optional_formula(const YamlNode& node, const std::string& control,
                                              const std::string& property) {
    if (!node.is_defined()) return std::nullopt;
    return formula_of(*file_, node, sink_, control, property);
  }

  CustomPropertySource load_custom_property(const std::string& component, const std::string& name,
                                            const YamlNode& key, const YamlNode& node) {
    CustomPropertySource p;
    p.name = name;
    p.pos = file_->pos(key);
    if (!expect_map(node, "A custom property")) return p;
    static const std::pair<const char*, CustomPropertySource::Kind> kKinds[] = {
        {"Input", CustomPropertySource::Kind::Input},
        {"Output", CustomPropertySource::Kind::Output},
        {"InputFunction", CustomPropertySource::Kind::InputFunction},
        {"OutputFunction", CustomPropertySource::Kind::OutputFunction},
        {"Event", CustomPropertySource::Kind::Event},
        {"Action", CustomPropertySource::Kind::Action}};
    for (const auto& entry : node.entries()) {
      std::string k = entry.first.text_or("");
      const YamlNode& v = entry.second;
      if (k == "PropertyKind") {
        std::string kind = scalar_of(*file_, v, sink_, "PropertyKind");
        bool known = false;
        for (const auto& [n, kv] : kKinds)
          if (kind == n) p.kind = kv, known = true;
        if (!known)
          sink_.error(file_->pos(v), fmt::format("unknown PropertyKind '{}'", kind), component,
                      name);
      } else if (k == "DataType" || k == "ReturnType") {
        p.data_type = scalar_of(*file_, v, sink_, k);
      } else if (k == "Default") {
        p.default_formula = optional_formula(v, component, name);
      } else if (k == "RaiseOnReset") {
        p.raise_on_reset = v.bool_or(false);
      } else if (k == "Parameters") {
        load_parameters(component, p, v);
      } else if (k != "DisplayName" && k != "Description") {
        sink_.error(file_->pos(entry.first),
                    fmt::format("unknown key '{}' in a custom property", k), component, name);
      }
    }
    return p;
  }

  void load_parameters(const std::string& component, CustomPropertySource& p,
                       const YamlNode& node) {
    if (!node.is_sequence()) {
      sink_.error(file_->pos(node), "Parameters must be a list", component, p.name);
      return;
    }
    for (const auto& item : node.items()) {
      if (!item.is_map() || item.size() != 1) continue;
      auto entry = *item.entries().begin();
      CustomPropertySource::Parameter param;
      param.name = entry.first.text_or("");
      if (entry.second.is_map()) {
        param.data_type = scalar_of(*file_, child(entry.second, "DataType"), sink_, "DataType");
        param.optional = child(entry.second, "IsOptional").bool_or(false);
        YamlNode def = child(entry.second, "Default");
        if (!def.is_null()) param.default_formula = optional_formula(def, component, p.name);
      }
      p.parameters.push_back(std::move(param));
    }
  }

  void load_components(const YamlNode& node) {
    if (!expect_map(node, "ComponentDefinitions")) return;
    for (const auto& entry : node.entries()) {
      std::string name = entry.first.text_or("");
      if (const ComponentSource* first = app_.component(name)) {
        sink_.warning(file_->pos(entry.first),
                      fmt::format("component '{}' is defined again (first in {}:{}); this "
                                  "definition is ignored",
                                  name, first->body.pos.file, first->body.pos.line),
                      name);
        continue;
      }
      ComponentSource c;
      c.body.name = name;
      c.body.type = "Component";
      c.body.pos = file_->pos(entry.first);
      if (!expect_map(entry.second, "A component definition")) continue;
      for (const auto& e : entry.second.entries()) {
        std::string k = e.first.text_or("");
        if (k == "DefinitionType") {
          c.definition_type = scalar_of(*file_, e.second, sink_, "DefinitionType");
        } else if (k == "AccessAppScope") {
          c.access_app_scope = e.second.bool_or(false);
        } else if (k == "CustomProperties") {
          if (expect_map(e.second, "CustomProperties"))
            for (const auto& cp : e.second.entries())
              c.custom_properties.push_back(
                  load_custom_property(name, cp.first.text_or(""), cp.first, cp.second));
        } else if (k == "Properties") {
          load_properties(e.second, c.body, name);
        } else if (k == "Children") {
          load_children(e.second, c.body, name);
        } else if (k != "Description" && k != "AllowCustomization") {
          sink_.error(file_->pos(e.first),
                      fmt::format("unknown key '{}' in a component definition", k), name);
        }
      }
      app_.components.push_back(std::move(c));
    }
  }

  void load_data_sources(const YamlNode& node) {
    if (!expect_map(node, "DataSources")) return;
    for (const auto& entry : node.entries()) {
      DataSourceSource ds;
      ds.name = entry.first.text_or("");
      ds.pos = file_->pos(entry.first);
      if (!expect_map(entry.second, "A data source")) continue;
      std::string type;
      for (const auto& e : entry.second.entries()) {
        std::string k = e.first.text_or("");
        if (k == "Type") {
          type = scalar_of(*file_, e.second, sink_, "Type");
        } else if (k == "Parameters") {
          if (YamlNode t = child(e.second, "TableLogicalName"); t.is_scalar())
            ds.table = t.scalar();
        } else if (k != "ConnectorId") {
          sink_.error(file_->pos(e.first), fmt::format("unknown key '{}' in a data source", k),
                      ds.name);
        }
      }
      if (type == "Table")
        ds.kind = DataSourceSource::Kind::Table;
      else if (type == "Actions")
        ds.kind = DataSourceSource::Kind::Connector;
      else
        sink_.error(ds.pos, fmt::format("unknown data source Type '{}' (Table or Actions)", type),
                    ds.name);
      bool duplicate = false;
      for (const auto& d : app_.data_sources) duplicate = duplicate || d.name == ds.name;
      if (!duplicate) app_.data_sources.push_back(std::move(ds));
    }
  }

  void load_editor_state(const YamlNode& node) {
    if (!expect_map(node, "EditorState")) return;
    const YamlNode order = child(node, "ScreensOrder");
    if (order.is_sequence())
      for (const auto& s : order.items()) screen_order_.push_back(s.text_or(""));
  }

  AppSource& app_;
  DiagnosticSink& sink_;
  const YamlFile* file_ = nullptr;
  std::vector<std::string> screen_order_;
};

}  // namespace

void load_pa_yaml(const SourceTree& tree, const std::vector<std::string>& files, AppSource& app,
                  DiagnosticSink& sink) {
  PaYamlLoader loader(app, sink);
  for (const auto& path : files) {
    auto text = tree.read(path);
    if (!text) {
      sink.error(SourcePos{path, 1, 1}, "cannot read the file");
      continue;
    }
    auto file = parse_yaml(path, std::move(*text), sink);
    if (!file) continue;
    loader.load(*file);
  }
  loader.finish();
}

}  // namespace canvasfx::player
