// A canvas app's source, as read from disk: screens, controls and their
// property formulas, component definitions, data sources and the app's
// settings. Nothing is bound or evaluated here; the Runtime does that.
//
// Three forms load into the same model (load_app):
//   - a folder of `*.pa.yaml` files (Power Apps source code, schema v3), or a
//     single `.pa.yaml` file;
//   - an unpacked `.msapp` (`Src/*.fx.yaml` in the older format, with
//     `DataSources/*.json`, `pkgs/`, `CanvasManifest.json`), or an unpacked
//     `.msapp` whose `Src/` holds `*.pa.yaml`;
//   - a `.msapp` file (a zip archive of the above).
// Every problem in the files is a diagnostic with file:line:column; loading
// never throws on bad input.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "canvasfx/diagnostic.h"

namespace canvasfx::player {

// 1-based line and column (columns count code points).
struct SourcePos {
  std::string file;  // relative to the app's root
  int line = 0;
  int column = 0;
};

// A diagnostic about the app: a file problem, or a formula's.
struct AppDiagnostic {
  SourcePos pos;
  Severity severity = Severity::Error;
  std::string message;
  std::string control;   // "Label1", "App", "" when not about a control
  std::string property;  // "Text", "" when not about a property
  std::string screen;    // the screen (or component) the control is on, "" for App
};

inline AppDiagnostic app_diagnostic(SourcePos pos, Severity severity, std::string message,
                                    std::string control = {}, std::string property = {},
                                    std::string screen = {}) {
  AppDiagnostic d;
  d.pos = std::move(pos);
  d.severity = severity;
  d.message = std::move(message);
  d.control = std::move(control);
  d.property = std::move(property);
  d.screen = std::move(screen);
  return d;
}

// A formula as written, and where each of its lines starts in its file, so
// that an offset inside the formula becomes file:line:column.
struct FormulaText {
  std::string text;  // without the leading '='
  std::string file;
  std::vector<std::pair<int, int>> line_starts;  // per formula line: file line, column
  // The position of the UTF-16 offset `utf16` of `text` (how formula spans count).
  SourcePos position(int32_t utf16) const;
};

struct PropertySource {
  std::string name;
  FormulaText formula;
  SourcePos pos;  // of the property's key
};

struct ControlSource {
  std::string name;
  // The control type as written: pa.yaml's `Control:` ("Classic/Button@2.2.0",
  // "Label", "CanvasComponent") or fx.yaml's template after `As` ("button",
  // "groupContainer", a component's name).
  std::string type;
  // pa.yaml `Variant:`, or the part after the dot of an fx.yaml template
  // ("galleryVertical", an icon name "Add").
  std::string variant;
  std::string component;  // ComponentName of a component or code component instance
  std::string library;    // ComponentLibraryUniqueName
  bool fx_yaml = false;   // read from the older format (type is a template name)
  SourcePos pos;
  std::vector<PropertySource> properties;
  std::vector<ControlSource> children;
  const PropertySource* property(std::string_view name) const;
};

// A component's custom property (pa.yaml CustomProperties, fx.yaml <name>.json).
struct CustomPropertySource {
  enum class Kind { Input, Output, InputFunction, OutputFunction, Event, Action };
  std::string name;
  Kind kind = Kind::Input;
  std::string data_type;  // DataType / ReturnType: "Text", "Number", "Table", "None" ...
  std::optional<FormulaText> default_formula;
  struct Parameter {
    std::string name;
    std::string data_type;
    bool optional = false;
    std::optional<FormulaText> default_formula;
  };
  std::vector<Parameter> parameters;
  bool raise_on_reset = false;
  SourcePos pos;
};

struct ComponentSource {
  std::string definition_type = "CanvasComponent";  // or CommandComponent
  bool access_app_scope = false;
  std::vector<CustomPropertySource> custom_properties;
  ControlSource body;  // name = the component's name; its properties and children
};

// A data source the app declares.
struct DataSourceSource {
  enum class Kind {
    Table,       // a tabular source whose schema may be unknown (Dataverse, SharePoint ...)
    Static,      // data imported into the app (a schema and rows)
    Collection,  // a collection the app creates at run time
    Connector,   // a connector's actions (Office365Users.MyProfile(), flows, AI models)
    OptionSet,   // a Dataverse choice: an enum
    View,        // a Dataverse view: an enum
  };
  std::string name;
  Kind kind = Kind::Table;
  std::string schema;     // Power Apps type notation "*[Name:s, Qty:n]" when known
  std::string data_json;  // Static: the rows, as a JSON array
  std::string table;      // the logical table name (TableLogicalName, LogicalName)
  // Columns known by name only (Dataverse display names) when there is no schema.
  // A letter "*": a relationship's related rows, a table whose columns the source lacks.
  std::vector<std::pair<std::string, std::string>> columns;  // name, type letter ("" unknown)
  std::map<std::string, std::string> display_names;          // Dataverse: logical -> display
  std::vector<std::string> members;                          // OptionSet / View values
  SourcePos pos;
};

// A code component's (PCF) template from the app's pkgs/: its properties and
// their types, as far as the app's package describes them.
struct PcfTemplateSource {
  std::string name;         // the template name instances use ("Text", "Fluent Tag List (1.0.8)")
  std::string constructor;  // "TextCanvas": modern enums are '<constructor>.<property>'
  std::string
      namespace_;  // "PowerCAT": other packages' enums are '<namespace>.<constructor>.<property>'
  struct Property {
    std::string name;
    int type = 0;  // the package's data type code
    bool output = false;
    std::string default_value;
    std::vector<std::pair<std::string, std::string>> enum_values;  // member name, value
  };
  std::vector<Property> properties;
  std::vector<std::string> events;  // OnChange, OnSelect ...
  // Output -> the input it is computed from (Selected -> Items).
  std::vector<std::pair<std::string, std::string>> dependencies;
};

struct AppSource {
  std::filesystem::path path;
  std::string name;  // the app's name (manifest), "" when the source does not say
  bool fx_yaml = false;
  ControlSource app;  // "App": its properties (OnStart, Formulas, StartScreen ...) and Host
  std::vector<ControlSource> screens;  // in the app's screen order
  std::vector<ComponentSource> components;
  std::vector<DataSourceSource> data_sources;
  std::vector<std::string> resources;         // media names (images, audio)
  std::vector<std::string> themes;            // theme names the source defines
  std::map<std::string, bool> preview_flags;  // AppPreviewFlagsMap
  double width = 1366, height = 768;          // design size
  std::vector<PcfTemplateSource> pcf_templates;
  // fx.yaml template names -> the control's template id ("label" -> ".../label").
  std::map<std::string, std::string> control_templates;

  size_t formula_count() const;
  const ComponentSource* component(std::string_view name) const;
  const PcfTemplateSource* pcf_template(std::string_view name) const;
};

struct LoadResult {
  std::unique_ptr<AppSource> app;  // null when nothing could be read
  std::vector<AppDiagnostic> diagnostics;
  bool ok() const { return app != nullptr; }
};

// Loads an app from a folder (holding Src/, or *.pa.yaml), a .pa.yaml file or
// a .msapp file.
LoadResult load_app(const std::filesystem::path& path);
// Loads an app from files held in memory, as load_app loads a folder holding
// them: relative path ("Src/App.pa.yaml", '/' separators) -> contents. For
// tools that have the source without a folder, and the app-source fuzzer.
// `path` is what AppSource::path says.
LoadResult load_app_from_files(const std::map<std::string, std::string>& files,
                               const std::filesystem::path& path = {});

// `FILE:LINE:COL: error|warning: MESSAGE [Screen1.Label1.Text]`.
std::string format_app_diagnostic(const AppDiagnostic& d, std::string_view where = {});

}  // namespace canvasfx::player
