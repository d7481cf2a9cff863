// The metadata around an app's formulas (loaders.h load_metadata): the
// manifest, data sources, media resources, code-component templates and
// Dataverse table definitions, in both the unpacked-msapp layout
// (CanvasManifest.json, DataSources/*.json, pkgs/) and the msapp layout
// (Properties.json, References/*.json).
//
// Some values inside these JSON files are Python-style dictionaries written
// as strings ("{'0': 'False', '1': 'True'}"); python_pairs reads them.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "loaders.h"

namespace canvasfx::player {

namespace {

using nlohmann::json;

// The file's JSON; with `keep`, only those parts of it (parse_json_kept).
std::optional<json> read_json(const SourceTree& tree, const std::string& path, DiagnosticSink& sink,
                              const std::vector<JsonKeep>* keep = nullptr) {
  auto text = tree.read(path);
  if (!text) return std::nullopt;
  try {
    return keep ? parse_json_kept(*text, *keep) : json::parse(*text);
  } catch (const json::exception& e) {
    sink.error(SourcePos{path, 1, 1}, std::string("invalid JSON: ") + e.what());
    return std::nullopt;
  }
}

std::string text_of(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return {};
  const json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return {};
}

// 'key': 'value' pairs of a Python-style dictionary text, in order.
std::vector<std::pair<std::string, std::string>> python_pairs(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  auto read_quoted = [&](size_t& i) -> std::optional<std::string> {
    while (i < s.size() && s[i] != '\'' && s[i] != '"') ++i;
    if (i >= s.size()) return std::nullopt;
    char q = s[i++];
    std::string v;
    for (; i < s.size() && s[i] != q; ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      v += s[i];
    }
    if (i >= s.size()) return std::nullopt;
    ++i;
    return v;
  };
  for (size_t i = 0; i < s.size();) {
    auto key = read_quoted(i);
    if (!key) break;
    while (i < s.size() && (s[i] == ' ' || s[i] == ':')) ++i;
    if (i < s.size() && (s[i] == '\'' || s[i] == '"')) {
      auto value = read_quoted(i);
      if (!value) break;
      out.emplace_back(*key, *value);
    } else {
      // A nested value: skip to the next top-level comma.
      int depth = 0;
      for (; i < s.size(); ++i) {
        if (s[i] == '{' || s[i] == '[') ++depth;
        if (s[i] == '}' || s[i] == ']') {
          if (depth == 0) break;
          --depth;
        }
        if (s[i] == ',' && depth == 0) break;
      }
    }
  }
  return out;
}

void read_flags(const json& flags, AppSource& app) {
  if (flags.is_string()) {
    // Properties.json keeps the map as a JSON text.
    try {
      read_flags(json::parse(flags.get<std::string>()), app);
    } catch (const json::exception&) {
    }
    return;
  }
  if (!flags.is_object()) return;
  for (const auto& [k, v] : flags.items())
    if (v.is_boolean()) app.preview_flags[k] = v.get<bool>();
}

double number_of(const json& j, const char* key, double fallback) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const json& v = j[key];
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) try {
      return std::stod(v.get<std::string>());
    } catch (...) {
    }
  return fallback;
}

void reorder_screens(AppSource& app, const std::vector<std::string>& order) {
  std::vector<ControlSource> ordered;
  std::vector<bool> used(app.screens.size(), false);
  for (const auto& name : order)
    for (size_t i = 0; i < app.screens.size(); ++i)
      if (!used[i] && app.screens[i].name == name) {
        used[i] = true;
        ordered.push_back(std::move(app.screens[i]));
      }
  for (size_t i = 0; i < app.screens.size(); ++i)
    if (!used[i]) ordered.push_back(std::move(app.screens[i]));
  app.screens = std::move(ordered);
}

void read_manifest(const SourceTree& tree, AppSource& app, DiagnosticSink& sink) {
  if (auto manifest = read_json(tree, "CanvasManifest.json", sink)) {
    const json& props = (*manifest)["Properties"];
    app.width = number_of(props, "DocumentLayoutWidth", app.width);
    app.height = number_of(props, "DocumentLayoutHeight", app.height);
    app.name = text_of(props, "Name");
    if (props.is_object() && props.contains("AppPreviewFlagsMap"))
      read_flags(props["AppPreviewFlagsMap"], app);
    std::vector<std::string> order;
    if (manifest->contains("ScreenOrder") && (*manifest)["ScreenOrder"].is_array())
      for (const auto& s : (*manifest)["ScreenOrder"])
        if (s.is_string()) order.push_back(s.get<std::string>());
    reorder_screens(app, order);
  }
  if (auto props = read_json(tree, "Properties.json", sink)) {
    app.width = number_of(*props, "DocumentLayoutWidth", app.width);
    app.height = number_of(*props, "DocumentLayoutHeight", app.height);
    if (app.name.empty()) app.name = text_of(*props, "Name");
    if (props->contains("AppPreviewFlagsMap")) read_flags((*props)["AppPreviewFlagsMap"], app);
  }
}

void add_data_source(AppSource& app, DataSourceSource ds) {
  for (auto& existing : app.data_sources)
    if (existing.name == ds.name) {
      // A pa.yaml declaration and the msapp's description of the same source: merge.
      if (existing.schema.empty()) existing.schema = ds.schema;
      if (existing.columns.empty()) existing.columns = ds.columns;
      if (existing.table.empty()) existing.table = ds.table;
      existing.display_names.insert(ds.display_names.begin(), ds.display_names.end());
      return;
    }
  app.data_sources.push_back(std::move(ds));
}

void read_data_source_entry(const json& e, const std::string& path, AppSource& app) {
  if (!e.is_object()) return;
  DataSourceSource ds;
  ds.name = text_of(e, "Name");
  ds.pos = SourcePos{path, 1, 1};
  std::string type = text_of(e, "Type");
  if (type == "StaticDataSourceInfo") {
    ds.kind = DataSourceSource::Kind::Static;
    ds.schema = text_of(e, "Schema");
    ds.data_json = text_of(e, "Data");
  } else if (type == "CollectionDataSourceInfo") {
    ds.kind = DataSourceSource::Kind::Collection;
  } else if (type == "NativeCDSDataSourceInfo") {
    ds.kind = DataSourceSource::Kind::Table;
    ds.table = text_of(e, "LogicalName");
    // The mapping is a Python-style dictionary text in older sources, a JSON object in newer.
    std::vector<std::pair<std::string, std::string>> names =
        python_pairs(text_of(e, "NativeCDSDataSourceInfoNameMapping"));
    if (e.contains("NativeCDSDataSourceInfoNameMapping") &&
        e["NativeCDSDataSourceInfoNameMapping"].is_object())
      for (const auto& [logical, display] : e["NativeCDSDataSourceInfoNameMapping"].items())
        if (display.is_string()) names.emplace_back(logical, display.get<std::string>());
    for (const auto& [logical, display] : names) {
      ds.columns.emplace_back(display, "");
      ds.display_names[logical] = display;
    }
  } else if (type == "OptionSetInfo") {
    ds.kind = DataSourceSource::Kind::OptionSet;
    std::string display = text_of(e, "DisplayName");
    if (!display.empty()) ds.name = display;
    for (const auto& [value, name] : python_pairs(text_of(e, "OptionSetInfoNameMapping")))
      ds.members.push_back(name);
  } else if (type == "ViewInfo") {
    ds.kind = DataSourceSource::Kind::View;
    std::string display = text_of(e, "DisplayName");
    if (!display.empty()) ds.name = display;
    for (const auto& [id, name] : python_pairs(text_of(e, "ViewInfoNameMapping")))
      ds.members.push_back(name);
  } else {
    // ServiceInfo (connectors, AI models), ConnectedDataSourceInfo (SharePoint, SQL ...),
    // and kinds this reader does not know: a source the app calls out to.
    ds.kind =
        type == "ServiceInfo" ? DataSourceSource::Kind::Connector : DataSourceSource::Kind::Table;
    ds.table = text_of(e, "TableName");
  }
  if (!ds.name.empty()) add_data_source(app, std::move(ds));
}

void read_data_sources(const SourceTree& tree, AppSource& app, DiagnosticSink& sink) {
  for (const auto& path : tree.find("DataSources/", ".json"))
    if (auto j = read_json(tree, path, sink)) {
      if (j->is_array())
        for (const auto& e : *j) read_data_source_entry(e, path, app);
      else
        read_data_source_entry(*j, path, app);
    }
  if (auto j = read_json(tree, "References/DataSources.json", sink))
    if (j->contains("DataSources") && (*j)["DataSources"].is_array())
      for (const auto& e : (*j)["DataSources"])
        read_data_source_entry(e, "References/DataSources.json", app);
}

// Media names formulas may use (Image: =logo): Assets/*.json resources, the
// files under Assets/ (Images/, Audio/ ...), the names the entropy file
// records for local resources, and an msapp's References/Resources.json.
void read_resources(const SourceTree& tree, AppSource& app, DiagnosticSink& sink) {
  std::set<std::string> names;
  for (const auto& path : tree.find("Assets/", "")) {
    std::string file = path.substr(path.rfind('/') + 1);
    std::string stem = file.substr(0, file.rfind('.'));
    if (path.ends_with(".json") && path.find('/', 7) == std::string::npos) {
      if (auto j = read_json(tree, path, sink)) {
        std::string name = text_of(*j, "Name");
        if (!name.empty()) names.insert(name);
      }
    } else if (!stem.empty()) {
      names.insert(stem);
    }
  }
  for (const auto& path : tree.find("Entropy/", "Entropy.json"))
    if (auto j = read_json(tree, path, sink))
      if (j->contains("LocalResourceFileNames") && (*j)["LocalResourceFileNames"].is_object())
        for (const auto& [name, file] : (*j)["LocalResourceFileNames"].items()) names.insert(name);
  if (auto j = read_json(tree, "References/Resources.json", sink))
    if (j->contains("Resources") && (*j)["Resources"].is_array())
      for (const auto& r : (*j)["Resources"]) {
        std::string name = text_of(r, "Name");
        if (!name.empty()) names.insert(name);
      }
  app.resources.assign(names.begin(), names.end());
}

// What read_pcf_templates reads of a package: its names, properties, events
// and dependencies (not its resources, auth settings or display texts).
const std::vector<JsonKeep> kPcfTemplateParts = [] {
  std::vector<JsonKeep> property{
      {"Name", {}}, {"Type", {}}, {"Usage", {}}, {"DefaultValue", {}}, {"EnumValues", {}}};
  return std::vector<JsonKeep>{{"Name", {}},
                               {"ControlConstructor", {}},
                               {"ControlNamespace", {}},
                               {"Properties", property},
                               {"IncludedProperties", property},
                               {"CommonEvents", {{"Name", {}}}},
                               {"Events", {{"Name", {}}}},
                               {"PropertyDependencies", {{"Output", {}}, {"Input", {}}}}};
}();

void read_pcf_templates(const SourceTree& tree, AppSource& app, DiagnosticSink& sink) {
  for (const auto& path : tree.find("pkgs/PcfControlTemplates/", ".json")) {
    auto j = read_json(tree, path, sink, &kPcfTemplateParts);
    if (!j || !j->is_object()) continue;
    PcfTemplateSource t;
    t.name = text_of(*j, "Name");
    t.constructor = text_of(*j, "ControlConstructor");
    t.namespace_ = text_of(*j, "ControlNamespace");
    for (const char* list : {"Properties", "IncludedProperties"}) {
      if (!j->contains(list) || !(*j)[list].is_array()) continue;
      for (const auto& p : (*j)[list]) {
        PcfTemplateSource::Property prop;
        prop.name = text_of(p, "Name");
        prop.type = p.value("Type", 0);
        // Usage 1 marks what the control computes (Selected, SelectedItems ...).
        prop.output = p.value("Usage", 0) == 1;
        prop.default_value = text_of(p, "DefaultValue");
        if (p.contains("EnumValues") && p["EnumValues"].is_array())
          for (const auto& v : p["EnumValues"]) {
            std::string value = text_of(v, "Value");
            prop.enum_values.emplace_back(text_of(v, "Name"),
                                          value.empty() ? text_of(v, "Name") : value);
          }
        if (!prop.name.empty()) t.properties.push_back(std::move(prop));
      }
    }
    if (j->contains("CommonEvents") && (*j)["CommonEvents"].is_array())
      for (const auto& e : (*j)["CommonEvents"]) t.events.push_back(text_of(e, "Name"));
    if (j->contains("Events") && (*j)["Events"].is_array())
      for (const auto& e : (*j)["Events"]) t.events.push_back(text_of(e, "Name"));
    // An output that depends on a dataset input has that dataset's rows (Selected of Items).
    if (j->contains("PropertyDependencies") && (*j)["PropertyDependencies"].is_array())
      for (const auto& d : (*j)["PropertyDependencies"])
        t.dependencies.emplace_back(text_of(d, "Output"), text_of(d, "Input"));
    if (!t.name.empty()) app.pcf_templates.push_back(std::move(t));
  }
  if (auto j = read_json(tree, "ControlTemplates.json", sink))
    if (j->is_object())
      for (const auto& [name, t] : j->items()) app.control_templates[name] = text_of(t, "Id");
}

// A Dataverse attribute type as a type letter of the schema notation.
std::string attribute_letter(const std::string& type) {
  if (type == "String" || type == "Memo" || type == "EntityName") return "s";
  if (type == "Integer" || type == "BigInt" || type == "Decimal" || type == "Double" ||
      type == "Money")
    return "n";
  if (type == "Boolean") return "b";
  if (type == "DateTime") return "d";
  if (type == "Uniqueidentifier") return "g";
  return "";  // lookups, choices, files, images: not checked
}

// pkgs/TableDefinitions/<Name>.json: a Dataverse table's columns and their types.
// What read_table_definitions reads of a definition (not its option sets,
// views, forms or privileges) and of its entity's metadata (of each column its
// name and type, of each relationship the names of its sides).
const std::vector<JsonKeep> kTableDefinitionParts{{"EntityName", {}},
                                                  {"TableDefinition", {{"EntityMetadata", {}}}}};
const std::vector<JsonKeep> kEntityParts = [] {
  std::vector<JsonKeep> relationship{
      {"ReferencedEntity", {}},   {"ReferencedEntityNavigationPropertyName", {}},
      {"Entity1LogicalName", {}}, {"Entity1NavigationPropertyName", {}},
      {"Entity2LogicalName", {}}, {"Entity2NavigationPropertyName", {}}};
  return std::vector<JsonKeep>{{"LogicalName", {}},
                               {"Attributes",
                                {{"AttributeOf", {}},
                                 {"AttributeType", {}},
                                 {"DisplayName", {{"UserLocalizedLabel", {{"Label", {}}}}}}}},
                               {"OneToManyRelationships", relationship},
                               {"ManyToManyRelationships", relationship}};
}();

void read_table_definitions(const SourceTree& tree, AppSource& app, DiagnosticSink& sink) {
  for (const auto& path : tree.find("pkgs/TableDefinitions/", ".json")) {
    auto j = read_json(tree, path, sink, &kTableDefinitionParts);
    if (!j || !j->is_object()) continue;
    std::string name = text_of(*j, "EntityName");
    const json& def = (*j)["TableDefinition"];
    std::string metadata = text_of(def, "EntityMetadata");
    if (name.empty() || metadata.empty()) continue;
    json entity;
    try {
      entity = parse_json_kept(metadata, kEntityParts);
    } catch (const json::exception&) {
      continue;
    }
    std::string logical = text_of(entity, "LogicalName");
    std::vector<std::pair<std::string, std::string>> columns;
    std::set<std::string> seen;
    if (entity.contains("Attributes") && entity["Attributes"].is_array())
      for (const auto& a : entity["Attributes"]) {
        if (a.contains("AttributeOf") && !a["AttributeOf"].is_null()) continue;
        std::string display;
        if (a.contains("DisplayName") && a["DisplayName"].is_object()) {
          const json& label = a["DisplayName"]["UserLocalizedLabel"];
          display = text_of(label, "Label");
        }
        if (display.empty() || !seen.insert(display).second) continue;
        columns.emplace_back(display, attribute_letter(text_of(a, "AttributeType")));
      }
    for (auto& ds : app.data_sources) {
      if (ds.name != name || ds.kind != DataSourceSource::Kind::Table) continue;
      ds.columns = columns;
      // A one-to-many relationship is a column of related rows ('Custom API
      // Request Parameters' of a Custom API), named by the navigation property;
      // the definition does not give the related table's columns here, so it
      // is a table whose columns are not checked.
      for (const char* list : {"OneToManyRelationships", "ManyToManyRelationships"}) {
        if (!entity.contains(list) || !entity[list].is_array()) continue;
        for (const auto& r : entity[list]) {
          // This table's side of the relationship: the one it is referenced by
          // (one-to-many), either entity (many-to-many).
          std::string navigation;
          if (text_of(r, "ReferencedEntity") == logical)
            navigation = text_of(r, "ReferencedEntityNavigationPropertyName");
          else if (text_of(r, "Entity1LogicalName") == logical)
            navigation = text_of(r, "Entity1NavigationPropertyName");
          else if (text_of(r, "Entity2LogicalName") == logical)
            navigation = text_of(r, "Entity2NavigationPropertyName");
          auto display = ds.display_names.find(navigation);
          if (display != ds.display_names.end() && seen.insert(display->second).second)
            ds.columns.emplace_back(display->second, "*");
        }
      }
    }
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> schema_columns(std::string_view schema) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t open = schema.find('[');
  if (open == std::string_view::npos) return out;
  size_t i = open + 1;
  while (i < schema.size() && schema[i] != ']') {
    while (i < schema.size() && (schema[i] == ' ' || schema[i] == ',')) ++i;
    size_t colon = schema.find(':', i);
    if (colon == std::string_view::npos) break;
    std::string name(schema.substr(i, colon - i));
    // Names with special characters are written with quotes.
    if (name.size() >= 2 && (name.front() == '\'' || name.front() == '"'))
      name = name.substr(1, name.size() - 2);
    i = colon + 1;
    size_t start = i;
    int depth = 0;
    for (; i < schema.size(); ++i) {
      if (schema[i] == '[') ++depth;
      if (schema[i] == ']') {
        if (depth == 0) break;
        --depth;
      }
      if (schema[i] == ',' && depth == 0) break;
    }
    out.emplace_back(name, std::string(schema.substr(start, i - start)));
  }
  return out;
}

void load_metadata(const SourceTree& tree, AppSource& app, DiagnosticSink& sink) {
  read_manifest(tree, app, sink);
  read_data_sources(tree, app, sink);
  read_resources(tree, app, sink);
  read_pcf_templates(tree, app, sink);
  read_table_definitions(tree, app, sink);
}

}  // namespace canvasfx::player
