// The control catalog (catalog.h), read from the YAML text compiled into the
// library (catalog_data.cpp, generated from catalog/controls.yaml).
#include "canvasfx/player/catalog.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>

namespace canvasfx::player {

extern const char* const kCatalogYaml;

namespace {

std::string strip_version(std::string_view id) { return std::string(id.substr(0, id.find('@'))); }

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(' ');
  size_t e = s.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// "Arial" -> "arial", as canvas apps hold builtin enum text values.
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const PropertySpec* ControlType::property(std::string_view name) const {
  auto it = std::lower_bound(properties.begin(), properties.end(), name,
                             [](const PropertySpec& p, std::string_view n) { return p.name < n; });
  return it != properties.end() && it->name == name ? &*it : nullptr;
}

const Catalog& Catalog::builtin() {
  static const Catalog catalog(kCatalogYaml);
  return catalog;
}

Type Catalog::type_of(std::string_view notation) const {
  if (notation.starts_with("out:")) notation.remove_prefix(4);
  if (notation == "s" || notation == "i") return Type::text();
  if (notation == "n") return Type::number();
  if (notation == "b") return Type::boolean();
  if (notation == "c") return Type::color();
  if (notation == "d") return Type::date();
  if (notation == "D") return Type::datetime();
  if (notation.starts_with("e:")) {
    const EnumSpec* e = find_enum(notation.substr(2));
    return e ? Type(e->underlying) : Type::unknown();
  }
  return Type::unknown();
}

const EnumSpec* Catalog::find_enum(std::string_view name) const {
  for (const auto& e : enums_)
    if (e.name == name) return &e;
  return nullptr;
}

Catalog::Catalog(std::string_view yaml_text) {
  YAML::Node root = YAML::Load(std::string(yaml_text));
  for (const auto& e : root["enums"]) {
    EnumSpec spec;
    spec.name = e.first.as<std::string>();
    if (e.second.IsSequence()) {
      for (const auto& m : e.second) {
        std::string name = m.as<std::string>();
        spec.members.emplace_back(name, Value::text(lower(name)));
      }
    } else {
      bool numbers = true;
      for (const auto& m : e.second) {
        try {
          m.second.as<double>();
        } catch (const YAML::Exception&) {
          numbers = false;
        }
      }
      spec.underlying = numbers ? TypeKind::Number : TypeKind::Text;
      for (const auto& m : e.second)
        spec.members.emplace_back(m.first.as<std::string>(),
                                  numbers ? Value::number(m.second.as<double>())
                                          : Value::text(m.second.as<std::string>()));
    }
    enums_.push_back(std::move(spec));
  }
  YAML::Node groups = root["groups"];
  for (const auto& c : root["controls"]) {
    ControlType type;
    type.name = c.first.as<std::string>();
    const YAML::Node& body = c.second;
    type.kind = body["kind"].as<std::string>("plain");
    for (const auto& id : body["names"]) type.ids.push_back(id.as<std::string>());
    if (body["state"]) {
      std::string state = body["state"].as<std::string>();
      size_t arrow = state.find("<-");
      if (arrow == std::string::npos)
        throw std::runtime_error("catalog: bad state of " + type.name);
      type.state_output = trim(state.substr(0, arrow));
      type.state_input = trim(state.substr(arrow + 2));
    }
    // Groups first; the control's own properties override them.
    std::vector<std::pair<std::string, std::string>> specs;
    for (const auto& g : body["groups"]) {
      YAML::Node group = groups[g.as<std::string>()];
      if (!group) throw std::runtime_error("catalog: unknown group " + g.as<std::string>());
      for (const auto& p : group)
        specs.emplace_back(p.first.as<std::string>(), p.second.as<std::string>());
    }
    for (const auto& p : body["properties"])
      specs.emplace_back(p.first.as<std::string>(), p.second.as<std::string>());
    for (auto& [name, text] : specs) {
      PropertySpec spec;
      spec.name = name;
      size_t eq = text.find(" = ");
      spec.type = trim(text.substr(0, eq));
      if (eq != std::string::npos) spec.default_formula = trim(text.substr(eq + 3));
      if (spec.type == "on")
        spec.role = PropertyRole::Behavior;
      else if (spec.type == "formulas")
        spec.role = PropertyRole::Formulas;
      else if (spec.type.starts_with("out:"))
        spec.role = PropertyRole::Output;
      if (spec.type.starts_with("e:") && !find_enum(spec.type.substr(2)))
        throw std::runtime_error(
            fmt::format("catalog: {}.{} names an unknown enum", type.name, name));
      spec.static_type = type_of(spec.type);
      // spec.name, not the structured binding: clang 14 cannot capture one.
      auto it = std::find_if(type.properties.begin(), type.properties.end(),
                             [&](const PropertySpec& p) { return p.name == spec.name; });
      if (it != type.properties.end())
        *it = std::move(spec);
      else
        type.properties.push_back(std::move(spec));
    }
    std::sort(type.properties.begin(), type.properties.end(),
              [](const PropertySpec& a, const PropertySpec& b) { return a.name < b.name; });
    types_.push_back(std::move(type));
  }
}

const ControlType* Catalog::find(std::string_view id) const {
  std::string plain = strip_version(id);
  for (const auto& t : types_)
    for (const auto& name : t.ids)
      if (name == plain) return &t;
  return nullptr;
}

const ControlType* Catalog::by_name(std::string_view name) const {
  for (const auto& t : types_)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace canvasfx::player
