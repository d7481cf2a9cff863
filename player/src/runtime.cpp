// Building the runtime (runtime_impl.h): the engine with the stdlib, the host
// and the canvas functions; the control instances of every screen and
// component; their object symbols and property members; the data sources and
// resources the app declares.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "canvasfx/coerce.h"
#include "canvasfx/stdlib.h"
#include "loaders.h"
#include "runtime_impl.h"

namespace canvasfx::player {

std::string PropertyRef::text() const {
  std::string s = control + "." + property;
  if (row >= 0) s += fmt::format("[{}]", row);
  return s;
}

Features app_features(const AppSource& app) {
  Features f = Features::canvas();    // current canvas apps: Power Fx V1
  f.unqualified_enum_members = true;  // `Fill: =White`, as canvas apps have always accepted
  // Apps made before Power Fx V1 say so (powerfxv1: false): their builtin
  // enums act as their values.
  if (auto it = app.preview_flags.find("powerfxv1"); it != app.preview_flags.end() && !it->second)
    f.strongly_typed_builtin_enums = false;
  auto flag = [&](const char* name, bool& into) {
    auto it = app.preview_flags.find(name);
    if (it != app.preview_flags.end()) into = it->second;
  };
  flag("supportcolumnnamesasidentifiers", f.support_column_names_as_identifiers);
  flag("tabledoesntwraprecords", f.table_syntax_doesnt_wrap_records);
  flag("isemptyrequirestableargument", f.restricted_is_empty_arguments);
  return f;
}

std::unique_ptr<Runtime> Runtime::create(LoadResult loaded, RuntimeOptions options) {
  return std::make_unique<detail::RuntimeImpl>(std::move(loaded), std::move(options));
}

namespace detail {

std::string Control::where() const {
  const Control* context = component ? component->instance : screen;
  if (component && component->instance && component->instance->detached)
    return component->definition->body.name + "." + name;
  if (!context || context == this) return name;
  return context->name + "." + name;
}

std::optional<SymbolId> Scope::find(std::string_view name) const {
  if (name == "Self") {
    if (self && self->object != kNoSymbol) return self->object;
    return std::nullopt;
  }
  if (name == "Parent") {
    if (parent && parent->object != kNoSymbol) return parent->object;
    return std::nullopt;
  }
  if (component) {
    if (name == component->definition->body.name && component->instance)
      return component->instance->object;
    auto it = component->controls.find(name);
    if (it != component->controls.end()) return it->second->object;
  }
  if (screen) {
    SymbolId v = runtime->context_variable(screen, std::string(name));
    if (v != kNoSymbol) return v;
  }
  return std::nullopt;
}

RuntimeImpl::RuntimeImpl(LoadResult loaded, RuntimeOptions options)
    : app_(std::move(loaded.app)),
      options_(std::move(options)),
      diagnostics_(std::move(loaded.diagnostics)),
      engine_(app_ ? app_features(*app_) : Features{}),
      catalog_(Catalog::builtin()) {
  if (!app_) return;
  formula_count_ = app_->formula_count();
  setup_engine();
  declare_data_sources();
  // The App, then every screen with its controls (component instances get
  // copies of their definitions' controls).
  app_control_ = instantiate(app_->app, nullptr, nullptr, nullptr);
  for (const auto& s : app_->screens) screens_.push_back(instantiate(s, nullptr, nullptr, nullptr));
  // A definition no screen uses is still checked, in a copy of its own.
  for (const auto& def : app_->components) {
    bool used = std::any_of(controls_.begin(), controls_.end(), [&](const auto& c) {
      return c->inner && c->inner->definition == &def;
    });
    if (used || def.definition_type != "CanvasComponent") continue;
    auto use = std::make_unique<ControlSource>();
    use->name = def.body.name;
    use->type = "Component";
    use->component = def.body.name;
    use->pos = def.body.pos;
    instantiate(*use, nullptr, nullptr, nullptr, /*detached=*/true);
    synthetic_sources_.push_back(std::move(use));
  }
  declare_members();
  bind_all();
  build_graph();
  member_order_.clear();
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const AppDiagnostic& a, const AppDiagnostic& b) {
                     return std::tie(a.pos.file, a.pos.line, a.pos.column) <
                            std::tie(b.pos.file, b.pos.line, b.pos.column);
                   });
}

RuntimeImpl::~RuntimeImpl() = default;

void RuntimeImpl::setup_engine() {
  stdlib::install(engine_);
  if (options_.store) {
    host_ = host::install_host(engine_, *options_.store);
    host_->set_output([this](const std::string& text) {
      if (options_.output) options_.output(text);
    });
  }
  for (const auto& e : catalog_.enums()) {
    if (engine_.find_enum(e.name)) continue;  // the stdlib's or the host's
    auto info = std::make_shared<EnumInfo>();
    info->name = e.name;
    info->underlying = e.underlying;
    info->members = e.members;
    catalog_enums_[e.name] = info;
    engine_.add_enum(std::move(info));
  }
  // Code components' own enums, '<Namespace>.<Constructor>.<Property>' with the
  // package's values; first-party (PowerApps.CoreControls) ones drop the namespace:
  // 'TextCanvas.Weight'.
  for (const auto& t : app_->pcf_templates)
    for (const auto& p : t.properties) {
      if (p.enum_values.empty() || t.constructor.empty()) continue;
      // Older packages name it with the quotes: '''PowerCAT.TagList.TextAlignment'''.Left.
      std::string full = t.namespace_ + "." + t.constructor + "." + p.name;
      for (const std::string& name : {t.constructor + "." + p.name, full, "'" + full + "'"}) {
        if (engine_.find_enum(name) || name.starts_with(".")) continue;
        auto info = std::make_shared<EnumInfo>();
        info->name = name;
        info->underlying = TypeKind::Text;
        for (const auto& [member, value] : p.enum_values)
          info->members.emplace_back(member, Value::text(value));
        engine_.add_enum(std::move(info));
      }
    }
  // Dataverse choices and views the app uses are enums too.
  for (const auto& ds : app_->data_sources) {
    if (ds.kind != DataSourceSource::Kind::OptionSet && ds.kind != DataSourceSource::Kind::View)
      continue;
    if (engine_.find_enum(ds.name)) continue;
    auto info = std::make_shared<EnumInfo>();
    info->name = ds.name;
    info->underlying = TypeKind::Text;
    info->strongly_typed = true;
    for (const auto& m : ds.members) info->members.emplace_back(m, Value::text(m));
    engine_.add_enum(std::move(info));
  }
  install_canvas_functions();
  engine_.set_time_limit(options_.time_limit);
  if (options_.clock) engine_.set_clock(options_.clock);
  engine_.set_change_listener([this](SymbolId s) { symbol_written(s); });
  // The screen type: what a screen value holds (App.ActiveScreen, Navigate's argument).
  const ControlType* screen = catalog_.by_name("Screen");
  std::vector<std::pair<std::string, Type>> fields{{"Name", Type::text()}};
  for (const auto& p : screen->properties)
    if (p.role == PropertyRole::Data || p.role == PropertyRole::Output)
      fields.emplace_back(p.name, p.static_type);
  screen_type_ = Type::record(std::move(fields));
  active_screen_symbol_ = engine_.declare("(active screen)", Type::text(), Value::text(""),
                                          SymbolFlags{.hidden = true});
  device_symbol_ =
      engine_.declare("(device)", Type::number(), Value::number(0), SymbolFlags{.hidden = true});
  // What SubmitForm patches with (a form's record and its cards' updates).
  form_patch_base_ =
      engine_.declare("(form base)", Type::unknown(), Value(), SymbolFlags{.hidden = true});
  form_patch_changes_ =
      engine_.declare("(form changes)", Type::unknown(), Value(), SymbolFlags{.hidden = true});
  // Themes a modern app names (App.Theme: =PowerAppsTheme): the built-in one and its own.
  std::vector<std::string> themes = app_->themes;
  themes.push_back("PowerAppsTheme");
  for (const auto& t : themes)
    if (!engine_.find_symbol(t))
      engine_.declare(t, Type::empty_record().as_open(), Value::record({{"Name", Value::text(t)}}),
                      SymbolFlags{.can_set = false, .can_mutate = false, .can_set_mutate = false});
  // Media the app carries (Image: =logo) are names of their own.
  for (const auto& r : app_->resources)
    if (!engine_.find_symbol(r))
      engine_.declare(r, Type::text(), Value::text("appres://" + r),
                      SymbolFlags{.can_set = false, .can_mutate = false, .can_set_mutate = false});
}

// --- data sources ----------------------------------------------------------

namespace {

Type type_of_letter(std::string_view schema);

// A column of a schema in the Power Apps type notation: s, n, b, d, D, T, c,
// g, i, h, m, o (option set), e (an error), p (polymorphic), *[..] and ![..].
Type type_of_letter(std::string_view schema) {
  while (!schema.empty() && schema.front() == ' ') schema.remove_prefix(1);
  if (schema.starts_with("*[") || schema.starts_with("![")) {
    std::vector<std::pair<std::string, Type>> fields;
    for (const auto& [name, type] : schema_columns(schema))
      fields.emplace_back(name, type_of_letter(type));
    Type record = Type::record(std::move(fields));
    return schema[0] == '*' ? record.as_table() : record;
  }
  if (schema.empty()) return Type::unknown();
  if (schema == "*") return Type::table({}).as_open();  // related rows of unknown columns
  switch (schema[0]) {
    case 's':
    case 'h':
      return Type::text();
    case 'n':
    case '$':
    case 'w':
      return Type::number();
    case 'b':
      return Type::boolean();
    case 'd':
      return Type::datetime();
    case 'D':
      return Type::date();
    case 'T':
      return Type::time();
    case 'c':
      return Type::color();
    case 'g':
      return Type::guid();
    default:
      return Type::unknown();  // images, media, choices, lookups: not checked
  }
}

}  // namespace

Value value_from_json(const nlohmann::json& j, const Type& type) {
  if (j.is_null()) return Value::blank();
  if (type.is(TypeKind::Record) && j.is_object()) {
    Fields fields;
    for (size_t i = 0; i < type.field_count(); ++i) {
      const std::string& name = type.field_name(i);
      fields.emplace_back(
          name, j.contains(name) ? value_from_json(j[name], type.field_type(i)) : Value::blank());
    }
    // An open record keeps the fields its type does not name.
    if (type.open())
      for (const auto& [k, v] : j.items())
        if (!type.field(k)) fields.emplace_back(k, value_from_json(v, Type::unknown()));
    return Value::record(std::move(fields));
  }
  if (type.is(TypeKind::Table) && j.is_array()) {
    std::vector<Value> rows;
    for (const auto& r : j) rows.push_back(value_from_json(r, type.as_record()));
    return Value::table(std::move(rows), type.as_record());
  }
  if (type.is(TypeKind::Unknown) && j.is_object()) {
    Fields fields;
    for (const auto& [k, v] : j.items())
      fields.emplace_back(k, value_from_json(v, Type::unknown()));
    return Value::record(std::move(fields));
  }
  Value v;
  if (j.is_boolean())
    v = Value::boolean(j.get<bool>());
  else if (j.is_number())
    v = Value::number(j.get<double>());
  else if (j.is_string())
    v = Value::text(j.get<std::string>());
  else
    return Value::blank();
  if (type.is(TypeKind::Unknown) || type.is_aggregate()) return v;
  return coerce_to(v, type.kind());
}

nlohmann::json value_to_json(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Boolean:
      return v.as_boolean();
    case ValueKind::Number:
      return std::isfinite(v.as_number()) ? nlohmann::json(v.as_number()) : nlohmann::json();
    case ValueKind::Text:
      return v.as_text();
    case ValueKind::Record: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [k, f] : v.fields()) o[k] = value_to_json(f);
      return o;
    }
    case ValueKind::Table: {
      nlohmann::json a = nlohmann::json::array();
      for (const Value& r : v.rows()) a.push_back(value_to_json(r));
      return a;
    }
    case ValueKind::Enum:
      return value_to_json(v.enum_underlying());
    case ValueKind::Date:
    case ValueKind::DateTime:
    case ValueKind::Time:
    case ValueKind::Guid:
    case ValueKind::Color: {
      // As text, which the typed load converts back.
      Value text = to_text(v);
      return text.is_text() ? nlohmann::json(text.as_text()) : nlohmann::json();
    }
    default:
      return nullptr;
  }
}

void RuntimeImpl::declare_data_sources() {
  for (const auto& ds : app_->data_sources) {
    using Kind = DataSourceSource::Kind;
    if (ds.kind == Kind::OptionSet || ds.kind == Kind::View || ds.kind == Kind::Connector)
      continue;                                 // enums (setup_engine), or a connector's actions
    if (ds.kind == Kind::Collection) continue;  // typed by its uses (binding.cpp)
    // The device's offline profile holds the table: the host declared it, typed.
    if (auto id = engine_.find_symbol(ds.name); id && host_) {
      data_sources_.emplace_back(ds.name, *id);
      continue;
    }
    if (ds.kind == Kind::Static) {
      Type table = type_of_letter(ds.schema);
      if (!table.is(TypeKind::Table)) table = Type::table({}).as_open();
      Value rows = Value::table({}, table.as_record());
      try {
        if (!ds.data_json.empty())
          rows = value_from_json(nlohmann::json::parse(ds.data_json), table);
      } catch (const nlohmann::json::exception&) {
        diagnostics_.push_back(app_diagnostic(ds.pos, Severity::Warning,
                                              fmt::format("the data of '{}' is not valid JSON; it "
                                                          "starts empty",
                                                          ds.name)));
      }
      SymbolId id =
          engine_.declare(ds.name, table, rows, SymbolFlags{.can_set = false, .can_mutate = true});
      data_sources_.emplace_back(ds.name, id);
      continue;
    }
    // A tabular source the device does not hold: its schema, if the app
    // carries one, else the column names it knows, open to the rest.
    std::vector<std::pair<std::string, Type>> fields;
    for (const auto& [name, letter] : ds.columns) fields.emplace_back(name, type_of_letter(letter));
    if (!ds.schema.empty())
      for (const auto& [name, letter] : schema_columns(ds.schema))
        fields.emplace_back(name, type_of_letter(letter));
    Type row = Type::record(std::move(fields)).as_open();
    diagnostics_.push_back(app_diagnostic(
        ds.pos, Severity::Warning,
        fmt::format("data source '{}' is not on this device (not in the offline profile){}: it is "
                    "bound as an empty table whose columns are not checked",
                    ds.name, ds.columns.empty() ? " and the source has no schema for it" : ""),
        ds.name));
    SymbolId id = engine_.declare(ds.name, row.as_table(), Value::table({}, row),
                                  SymbolFlags{.can_set = false, .can_mutate = true});
    data_sources_.emplace_back(ds.name, id);
  }
}

Value RuntimeImpl::enum_value(std::string_view enum_name, std::string_view member) const {
  auto it = catalog_enums_.find(std::string(enum_name));
  if (it == catalog_enums_.end()) return Value::blank();
  auto index = it->second->find(member);
  if (!index) return Value::blank();
  if (engine_.features().strongly_typed_builtin_enums)
    return Value::enum_member(it->second, *index);
  return it->second->members[*index].second;
}

double number_of(const Value& v) {
  const Value& u = v.is(ValueKind::Enum) ? v.enum_underlying() : v;
  return u.is_number() ? u.as_number() : 0;
}

// --- control instances -------------------------------------------------------

Control* RuntimeImpl::instantiate(const ControlSource& src, Control* parent, Control* screen,
                                  ComponentInstance* component, bool detached) {
  controls_.push_back(std::make_unique<Control>());
  Control* c = controls_.back().get();
  c->name = src.name;
  c->detached = detached;
  c->source = &src;
  c->parent = parent;
  c->component = component;
  c->screen = screen;
  if (!parent && src.type != "App" && !component) c->screen = c;  // a screen (or a detached use)
  if (parent) {
    c->gallery = parent->kind == "gallery" ? parent : parent->gallery;
    c->form = parent->kind == "form" ? parent : parent->form;
    c->row_owner = parent->kind == "gallery" || parent->kind == "form" ? parent : parent->row_owner;
  }
  // What type the source names.
  std::string id = src.type.substr(0, src.type.find('@'));
  const ComponentSource* definition = nullptr;
  bool component_use = id == "CanvasComponent" || id == "Component";
  if (component_use) {
    definition = app_->component(src.component);
  } else if (src.fx_yaml) {
    definition = app_->component(src.type);
    if (!definition) c->pcf = app_->pcf_template(src.type);
  }
  if (definition) {
    c->type = catalog_.by_name("Component");
    c->kind = "component";
    c->type_name = definition->body.name;
  } else if (c->pcf) {
    c->type = catalog_.by_name("CodeComponent");
    c->kind = "plain";
    c->open = true;
    c->type_name = src.type;
  } else if (!component_use && id != "CodeComponent") {
    c->type = catalog_.find(src.fx_yaml && src.type == "screen" ? "Screen" : id);
    // A bare name (no version, no library) that a modern control and a
    // classic one (Classic/<name>) both answer to, as hand-written sources
    // use it: the type that knows more of the properties the source sets.
    if (c->type && !src.fx_yaml && src.type.find('@') == std::string::npos &&
        id.find('/') == std::string::npos)
      if (const ControlType* classic = catalog_.find("Classic/" + id);
          classic && classic != c->type) {
        auto known = [&](const ControlType* t) {
          return std::count_if(src.properties.begin(), src.properties.end(),
                               [&](const PropertySource& p) { return t->property(p.name); });
        };
        if (known(classic) > known(c->type)) c->type = classic;
      }
    if (!c->type && src.fx_yaml) {
      // A template the app names by its id (ControlTemplates.json).
      auto it = app_->control_templates.find(src.type);
      if (it != app_->control_templates.end())
        c->type = catalog_.find(it->second.substr(it->second.rfind('/') + 1));
    }
    if (c->type) {
      c->kind = c->type->kind;
      c->type_name = c->type->name;
    }
  }
  if (!c->type) {
    c->type = catalog_.by_name("CodeComponent");
    c->open = true;
    c->type_name = src.type;
    std::string what =
        component_use ? fmt::format("component '{}'{} is not in the app's source", src.component,
                                    src.library.empty() ? "" : " from library " + src.library)
        : id == "CodeComponent"
            ? fmt::format("code component '{}' is not described by the app's package",
                          src.component)
            : fmt::format("control type '{}' is not in the player's catalog", src.type);
    diagnostics_.push_back(app_diagnostic(src.pos, Severity::Warning,
                                          what + ": its properties are not type-checked", src.name,
                                          "", screen ? screen->name : ""));
  }
  if (c->kind == "screen") c->screen = c;
  c->scope.runtime = this;
  c->scope.self = c;
  c->scope.parent = parent;
  c->scope.component = component;
  c->scope.screen = c->screen;
  if (parent) parent->children.push_back(c);
  if (c->kind == "timer") timers_.push_back(c);

  // Names: controls of the app are app-wide; a definition's copies are known
  // only inside their component instance.
  if (component) {
    component->controls[c->name] = c;
  } else if (c->kind != "app" && !detached && !(parent && parent->kind == "app")) {
    auto [it, inserted] = app_names_.emplace(c->name, c);
    if (!inserted)
      diagnostics_.push_back(app_diagnostic(
          src.pos, Severity::Error,
          fmt::format("the name '{}' is used by another control", c->name), c->name));
  }
  if (definition) {
    c->inner = std::make_unique<ComponentInstance>();
    c->inner->instance = c;
    c->inner->definition = definition;
  }
  // Children before properties: a property's scope may name them.
  for (const auto& child : src.children) instantiate(child, c, c->screen, component);
  if (definition)
    for (const auto& child : definition->body.children)
      instantiate(child, c, c->screen, c->inner.get());
  // The App's own children (its Host control) are not names: `Host` is the host's signal.
  // Its object and members are declared once every control exists (declare_members).
  member_order_.emplace_back(c, !component && !detached && !(parent && parent->kind == "app"));
  return c;
}

void RuntimeImpl::declare_members() {
  // Every data or output property is a symbol and a graph node: room for
  // them first (growing the tables as they fill moves every entry, often).
  size_t members = 0;
  for (auto [c, app_wide] : member_order_) {
    members += c->type->properties.size() + c->source->properties.size() + 1;
    if (c->inner) members += c->inner->definition->custom_properties.size();
    if (c->pcf) members += c->pcf->properties.size() + c->pcf->events.size();
  }
  engine_.reserve_symbols(members + member_order_.size());
  nodes_.reserve(nodes_.size() + members);
  // Children before their parent, as instantiate met them.
  for (auto [c, app_wide] : member_order_) {
    declare_control(*c, app_wide);
    add_properties(*c);
  }
}

Property& RuntimeImpl::add_property(Control& c, std::string_view name, PropertyRole role,
                                    const PropertySpec* spec) {
  if (property_block_used_ == kPropertyBlock) {
    // Default-initialized: make_unique<T[]> value-initializes, which zeroes
    // the whole block before the constructors write it again.
    property_store_.push_back(std::unique_ptr<Property[]>(new Property[kPropertyBlock]));
    property_block_used_ = 0;
  }
  Property* p = &property_store_.back()[property_block_used_++];
  p->name = name;
  p->owner = &c;
  p->role = role;
  p->spec = spec;
  p->scope = &c.scope;
  if (spec) {
    p->declared = spec->static_type;
    p->default_text = spec->default_formula;
    // With strongly typed enums (Power Fx V1) an enum property holds the enum.
    std::string_view type = spec->type;
    if (type.starts_with("out:")) type.remove_prefix(4);
    if (type.starts_with("e:") && engine_.features().strongly_typed_builtin_enums)
      if (auto it = catalog_enums_.find(std::string(type.substr(2))); it != catalog_enums_.end())
        p->declared = Type::enum_of(it->second);
    p->image = type == "i";
  }
  p->type = p->declared;
  auto at = c.by_name.begin() + static_cast<std::ptrdiff_t>(c.by_name_position(p->name));
  if (at != c.by_name.end() && at->first == p->name)
    at->second = p;
  else
    c.by_name.emplace(at, p->name, p);
  c.properties.push_back(p);
  return *p;
}

namespace {

bool looks_like_behavior(std::string_view name) {
  return name.size() > 2 && name.starts_with("On") &&
         std::isupper(static_cast<unsigned char>(name[2]));
}

// A code component package's data type code as a type: 2/14/16 numbers,
// 4/20 booleans; enums (1) are the package's own enums or their text, and
// text properties (6, 12) take
// what the control converts itself (colors, numbers), and 5 (a record) and 26
// (a table) follow their formula (or their dataset): not checked.
Type pcf_type(int code) {
  switch (code) {
    case 2:
    case 14:
    case 16:
      return Type::number();
    case 4:
    case 20:
      return Type::boolean();
    default:
      return Type::unknown();
  }
}

Type custom_property_type(const std::string& data_type, const Type& screen_type) {
  if (data_type == "Text" || data_type == "String" || data_type == "Image" ||
      data_type == "VideoOrAudio" || data_type == "Hyperlink")
    return data_type == "Text" || data_type == "String" ? Type::text() : Type::unknown();
  if (data_type == "Number" || data_type == "Currency") return Type::number();
  if (data_type == "Boolean") return Type::boolean();
  if (data_type == "Color") return Type::color();
  if (data_type == "DateAndTime" || data_type == "DateTime") return Type::datetime();
  if (data_type == "Screen") return screen_type;
  return Type::unknown();  // Record, Table: from the formula
}

}  // namespace

void RuntimeImpl::add_properties(Control& c) {
  const ControlSource& src = *c.source;
  // The catalog's properties, with the source's formula or the default.
  for (const auto& spec : c.type->properties) {
    Property& p = add_property(c, spec.name, spec.role, &spec);
    if (const PropertySource* set = src.property(spec.name)) {
      if (spec.role == PropertyRole::Output) {
        diagnostics_.push_back(app_diagnostic(
            set->pos, Severity::Warning,
            fmt::format("{} is computed by the control; the formula is ignored", spec.name), c.name,
            spec.name, c.screen ? c.screen->name : ""));
        continue;
      }
      p.formula = &set->formula;
    }
  }
  // A component instance: its definition's custom properties.
  if (c.inner) {
    const ComponentSource& def = *c.inner->definition;
    Scope* inner_scope = nullptr;
    // Formulas written in the definition see the definition's names.
    auto scope = std::make_unique<Scope>();
    scope->runtime = this;
    scope->self = &c;
    scope->parent = c.parent;
    scope->component = c.inner.get();
    scope->screen = c.screen;
    inner_scope = scope.get();
    inner_scopes_.push_back(std::move(scope));
    for (const auto& cp : def.custom_properties) {
      using Kind = CustomPropertySource::Kind;
      bool behavior = cp.kind == Kind::Event || cp.kind == Kind::Action;
      Property& p =
          c.property(cp.name)
              ? *c.property(cp.name)
              : add_property(c, cp.name, behavior ? PropertyRole::Behavior : PropertyRole::Data,
                             nullptr);
      p.declared = behavior ? Type::unknown() : custom_property_type(cp.data_type, screen_type_);
      p.image = cp.data_type == "Image";
      p.type = p.declared;
      p.default_text = {};
      if (cp.kind == Kind::InputFunction || cp.kind == Kind::OutputFunction ||
          cp.kind == Kind::Action || cp.kind == Kind::Event) {
        // A function property's parameters are names in its formula.
        std::vector<std::pair<std::string, Type>> params;
        for (const auto& param : cp.parameters)
          params.emplace_back(param.name, custom_property_type(param.data_type, screen_type_));
        if (!params.empty()) p.row_scope = std::make_unique<Type>(Type::record(std::move(params)));
        if (cp.kind != Kind::Event) p.declared = Type::unknown();
      }
      const PropertySource* on_instance =
          cp.kind == Kind::Input || cp.kind == Kind::InputFunction || cp.kind == Kind::Event
              ? src.property(cp.name)
              : nullptr;
      if (on_instance) {
        p.formula = &on_instance->formula;
      } else if (const PropertySource* in_def = def.body.property(cp.name)) {
        p.formula = &in_def->formula;
        p.scope = inner_scope;
        p.from_definition = true;
      } else if (cp.default_formula) {
        p.formula = &*cp.default_formula;
        p.scope = inner_scope;
        p.from_definition = true;
      }
    }
    // The definition's own formulas for standard properties (Height, Fill ...),
    // unless the instance sets them.
    for (const auto& set : def.body.properties) {
      Property* p = c.property(set.name);
      if (!p || (src.property(set.name) && !p->from_definition)) continue;
      if (p->from_definition || p->formula) continue;
      p->formula = &set.formula;
      p->scope = inner_scope;
      p->from_definition = true;
    }
  }
  // A code component's package describes its properties.
  if (c.pcf) {
    for (const auto& pp : c.pcf->properties) {
      if (c.property(pp.name)) continue;
      Property& p =
          add_property(c, pp.name, pp.output ? PropertyRole::Output : PropertyRole::Data, nullptr);
      p.declared = pcf_type(pp.type);
      p.type = p.declared;
      p.image = pp.type == 38;  // the packages' image type
    }
    for (const auto& e : c.pcf->events)
      if (!c.property(e)) add_property(c, e, PropertyRole::Behavior, nullptr);
  }
  // Properties the source sets that the type does not have.
  for (const auto& set : src.properties) {
    if (Property* p = c.property(set.name)) {
      if (!p->formula && !p->from_definition && p->role != PropertyRole::Output)
        p->formula = &set.formula;
      else if (p->role == PropertyRole::Output && c.pcf)
        p->formula = nullptr;
      continue;
    }
    if (c.inner && c.inner->definition->body.property(set.name)) continue;
    if (c.open) {
      Property& p = add_property(
          c, set.name, looks_like_behavior(set.name) ? PropertyRole::Behavior : PropertyRole::Data,
          nullptr);
      p.formula = &set.formula;
      continue;
    }
    diagnostics_.push_back(app_diagnostic(
        set.pos, Severity::Warning,
        fmt::format("{} has no property '{}'; its formula is ignored", c.type_name, set.name),
        c.name, set.name, c.screen ? c.screen->name : ""));
  }
  // Members: every data-flow and output property is a symbol of its own.
  std::vector<std::pair<std::string, SymbolId>> members;
  members.reserve(c.properties.size() + 1);
  const std::string symbol_prefix = c.name + ".";  // "Label1.", and "Screen1.Label1." for nodes
  const std::string node_prefix = c.where() + ".";
  for (auto& p : c.properties) {
    if (p->role == PropertyRole::Behavior || p->role == PropertyRole::Formulas) continue;
    int node = static_cast<int>(nodes_.size());
    std::string symbol_name = symbol_prefix;
    symbol_name += p->name;
    p->symbol = engine_.declare_computed(
        std::move(symbol_name), p->type, [this, node] { return read_node(node); },
        SymbolFlags{.can_set = false,
                    .can_mutate = false,
                    .can_set_mutate = false,
                    .hidden = true,
                    .announces_changes = true});
    p->node = add_node({}, p->symbol, {});  // labelled from its property (node_label)
    nodes_[p->node].property = p;
    members.emplace_back(p->name, p->symbol);
  }
  if (!c.property("Name")) {
    int node = static_cast<int>(nodes_.size());
    SymbolId name = engine_.declare_computed(
        symbol_prefix + "Name", Type::text(), [this, node] { return read_node(node); },
        SymbolFlags{
            .can_set = false, .can_mutate = false, .can_set_mutate = false, .hidden = true});
    add_node(node_prefix + "Name", name, {});
    nodes_[node].native = [n = c.name] { return Value::text(n); };
    members.emplace_back("Name", name);
  }
  engine_.set_members(c.object, std::move(members));
  add_outputs(c);
  engine_.set_type(c.object, control_type(c));
}

void RuntimeImpl::declare_control(Control& c, bool app_wide) {
  Control* cp = &c;
  c.object = engine_.declare_computed(
      c.name, Type::empty_record(), [this, cp] { return control_value(*cp); },
      SymbolFlags{
          .can_set = false, .can_mutate = false, .can_set_mutate = false, .hidden = !app_wide});
}

namespace {

// Calls `member(name, type)` for each member of a control's record type, in
// the order a record type keeps its fields (by name: the order of by_name;
// Name is always the control's name).
template <typename Member>
void for_each_member(const Control& c, Member&& member) {
  static const Type text = Type::text();
  bool named = false;
  for (const auto& [name, p] : c.by_name) {
    if (!named && name > "Name") {
      member(std::string_view("Name"), text);
      named = true;
    }
    if (p->symbol != kNoSymbol && name != "Name") member(name, p->type);
  }
  if (!named) member(std::string_view("Name"), text);
}

// Whether `t` is the record type for_each_member gives for `c`.
bool is_member_type(const Type& t, const Control& c) {
  if (t.open() != c.open) return false;
  size_t i = 0;
  bool same = true;
  for_each_member(c, [&](std::string_view name, const Type& type) {
    same =
        same && i < t.field_count() && t.field_name(i) == name && same_type(t.field_type(i), type);
    ++i;
  });
  return same && i == t.field_count();
}

}  // namespace

// A control as a value: a record of its properties (a screen: its data-flow
// properties; another control: its name, which is how functions such as
// Select and Reset know it).
Type RuntimeImpl::control_type(const Control& c) const {
  if (c.kind == "screen") return screen_type_;
  // The controls of one catalog type mostly have members of the same types:
  // they share the record type (an app has hundreds of labels, each with
  // tens of members), made once.
  std::vector<Type>& made = control_types_[c.type];
  for (const Type& t : made)
    if (is_member_type(t, c)) return t;
  std::vector<std::pair<std::string, Type>> fields;
  fields.reserve(c.by_name.size() + 1);
  for_each_member(
      c, [&](std::string_view name, const Type& type) { fields.emplace_back(name, type); });
  Type t = Type::record(std::move(fields));
  if (c.open) t = t.as_open();
  // A few kinds per catalog type (Items of different tables ...): the first
  // ones made are kept, a control of yet another kind gets a type of its own.
  constexpr size_t kKept = 8;
  if (made.size() < kKept) made.push_back(t);
  return t;
}

Control* RuntimeImpl::find_control(std::string_view name, const Control* context) const {
  // Inside a component, its own controls first.
  for (const Control* at = context; at; at = at->parent)
    if (at->component) {
      auto it = at->component->controls.find(name);
      if (it != at->component->controls.end()) return it->second;
      if (name == at->component->definition->body.name) return at->component->instance;
      break;
    }
  auto it = app_names_.find(name);
  if (it != app_names_.end()) return it->second;
  if (name == "App") return app_control_;
  // "Instance.Control": a control inside a component instance.
  size_t dot = name.find('.');
  if (dot != std::string_view::npos) {
    Control* instance = find_control(name.substr(0, dot));
    if (instance && instance->inner) {
      auto inner = instance->inner->controls.find(name.substr(dot + 1));
      if (inner != instance->inner->controls.end()) return inner->second;
    }
  }
  return nullptr;
}

SymbolId RuntimeImpl::app_member_symbol(std::string_view name) const {
  SymbolId found = kNoSymbol;
  for (auto [c, app_wide] : member_order_) {
    if (c->component || name.size() <= c->name.size() || !name.starts_with(c->name) ||
        name[c->name.size()] != '.')
      continue;
    const Property* p = c->property(name.substr(c->name.size() + 1));
    if (p && p->symbol != kNoSymbol) found = p->symbol;  // the last made, as names may repeat
  }
  return found;
}

SymbolId RuntimeImpl::context_variable(Control* screen, const std::string& name) const {
  auto it = context_variables_.find(screen);
  if (it == context_variables_.end()) return kNoSymbol;
  auto v = it->second.find(name);
  return v == it->second.end() ? kNoSymbol : v->second;
}

}  // namespace detail
}  // namespace canvasfx::player
