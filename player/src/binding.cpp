// Binding every formula of the app, and inferring the types the app's source
// does not state (binding.cpp):
//
//   - the type of a property that takes "anything" (Items, a card's Default,
//     a component's Table property) is its formula's; outputs follow
//     (Gallery.Selected has the row type of Items);
//   - a global variable has the type of what Set gives it, a collection the
//     union of the records every Collect/ClearCollect gives it, a context
//     variable (per screen) what UpdateContext and Navigate give it — as
//     Studio infers them from all uses in the app.
//
// Each formula is parsed once. The passes bind the formulas whose types feed
// others (behavior formulas for the variables, type-giving properties) until
// no type changes; unknown names bind as Unknown (accepting anything) while
// their types are not known yet, so an early pass reports nothing. The last
// pass binds every formula and reports its diagnostics.
#include <fmt/format.h>

#include <algorithm>

#include "canvasfx/coerce.h"
#include "runtime_impl.h"

namespace canvasfx::player::detail {

namespace {

// The union of two types a variable is given, as Studio widens a collection
// with every record collected into it. Unknown, Blank and Error add nothing;
// otherwise the first type wins (a later Set of another type is the binder's
// error at that Set).
Type widen(const Type& into, const Type& from) {
  if (from.is(TypeKind::Unknown) || from.is(TypeKind::Blank) || from.is(TypeKind::Error) ||
      from.is(TypeKind::Void))
    return into;
  if (into.is(TypeKind::Unknown) || into.is(TypeKind::Blank)) return from;
  if (into.is_aggregate() && from.is_aggregate() && into.kind() == from.kind()) {
    bool ok = true;
    Type merged = union_record_type(into.as_record(), from.as_record(), ok);
    if (!ok) return into;
    return into.is(TypeKind::Table) ? merged.as_table() : merged;
  }
  return into;
}

// What a Collect or ClearCollect argument adds to a collection: its records.
Type collected_row(const Type& arg) {
  if (arg.is(TypeKind::Record)) return arg;
  if (arg.is(TypeKind::Table)) return arg.as_record();
  if (arg.is(TypeKind::Unknown) || arg.is(TypeKind::Blank) || arg.is(TypeKind::Error))
    return Type::unknown();
  return Type::record({{"Value", arg}});  // Collect(c, 5): a one-column table
}

// A control that lists rows of its Items, one or more selected.
bool is_list(const Control& c) {
  return c.kind == "gallery" || c.kind == "dropdown" || c.kind == "listbox" || c.kind == "radio" ||
         c.kind == "combobox";
}

}  // namespace

// What the variables of the app are given, gathered over one pass.
struct VariableUses {
  std::map<std::string, Type> globals;
  std::map<std::string, Type> collections;
  std::map<std::pair<Control*, std::string>, Type> context;
  std::set<std::string> loaded;  // LoadData targets: collections even without a Collect
};

Type RuntimeImpl::item_type(const Control& c) {
  if (c.kind == "form") {
    const Property* ds = c.property("DataSource");
    if (ds && ds->type.is(TypeKind::Table)) return ds->type.as_record();
    const Property* item = c.property("Item");
    if (item && item->type.is(TypeKind::Record)) return item->type;
    return Type::unknown();
  }
  const Property* items = c.property("Items");
  if (!items) return Type::unknown();
  if (items->type.is(TypeKind::Table)) return items->type.as_record();
  return Type::unknown();
}

CheckOptions RuntimeImpl::options_for(const Property& p) {
  CheckOptions o;
  o.behavior = p.role == PropertyRole::Behavior;
  o.names = p.scope;
  if (p.image) {
    if (missing_image_ == kNoSymbol)
      missing_image_ = engine_.declare(
          "(missing image)", Type::text(), Value::text(""),
          SymbolFlags{
              .can_set = false, .can_mutate = false, .can_set_mutate = false, .hidden = true});
    if (!p.media_scope) p.media_scope = std::make_unique<MediaScope>();
    p.media_scope->runtime = this;
    p.media_scope->inner = p.scope;
    p.media_scope->property = &p;
    o.names = p.media_scope.get();
  }
  const Control& c = *p.owner;
  // A formula written on a component instance sees the instance's
  // surroundings; one from the definition sees the definition's.
  const Control* row_owner = p.from_definition ? nullptr : c.row_owner;
  if (p.from_definition && p.scope && p.scope->component) row_owner = nullptr;
  if (row_owner) {
    Type row = item_type(*row_owner);
    if (row.is(TypeKind::Record)) {
      if (row_owner->kind == "gallery" && !row.field("IsSelected"))
        row = row.with_field("IsSelected", Type::boolean()).as_open(row.open());
      o.row_scope = row;
    } else {
      // Items of a type not known (yet): ThisItem and its fields are untyped.
      o.row_scope = Type::empty_record().as_open();
    }
  } else if (p.row_scope) {
    o.row_scope = *p.row_scope;
  }
  return o;
}

namespace {

// The names a formula's scope is asked for while it binds, and whether it
// defined any of them.
class RecordingScope final : public NameScope {
 public:
  explicit RecordingScope(const NameScope* inner) : inner_(inner) {}
  std::optional<SymbolId> find(std::string_view name) const override {
    asked.emplace_back(name);
    auto id = inner_ ? inner_->find(name) : std::nullopt;
    defined = defined || id.has_value();
    return id;
  }
  mutable std::vector<std::string> asked;
  mutable bool defined = false;

 private:
  const NameScope* inner_;
};

}  // namespace

void RuntimeImpl::parse_property(Property& p, const CheckOptions& options) {
  if (p.parsed) return;
  // Keyed by a view of the property's text: the source and the properties
  // outlive the cache's uses.
  auto& cache = parsed_formulas_[options.behavior ? 1 : 0];
  auto it = cache.find(p.text());
  if (it == cache.end()) it = cache.emplace(p.text(), engine_.parse(p.text(), options)).first;
  p.parsed = it->second;
}

CheckResult RuntimeImpl::check_property(Property& p, const CallObserver& observer) {
  if (!p.has_formula() || p.empty_formula()) return {};
  CheckOptions options = options_for(p);
  parse_property(p, options);
  options.on_call = observer;
  return engine_.check(*p.parsed, options);
}

void RuntimeImpl::keep_inferred(const Property& p, BindStamp stamp, CheckResult result) {
  // An image formula's final binding also reports the media the app lacks.
  if (p.image) return;
  inferred_checks_.insert_or_assign(&p, InferredCheck{stamp, std::move(result)});
}

CheckResult RuntimeImpl::check_final(Property& p) {
  if (auto it = inferred_checks_.find(&p); it != inferred_checks_.end()) {
    InferredCheck inferred = std::move(it->second);
    inferred_checks_.erase(it);
    if (inferred.stamp == bind_stamp()) return std::move(inferred.result);
  }
  CheckOptions options = options_for(p);
  // Behavior formulas, image formulas (their scope warns of missing media)
  // and formulas with a row (ThisItem's fields are not asked of the scope)
  // bind in their own scope.
  if (p.role != PropertyRole::Data || p.image || options.row_scope) return check_property(p);
  parse_property(p, options);
  if (auto it = shared_checks_.find(p.text()); it != shared_checks_.end()) {
    const SharedCheck& shared = it->second;
    if (std::none_of(shared.names.begin(), shared.names.end(), [&](const std::string& name) {
          return options.names && options.names->find(name);
        }))
      return shared.result;
  }
  RecordingScope recording(options.names);
  options.names = &recording;
  CheckResult r = engine_.check(*p.parsed, options);
  if (r.ok() && r.diagnostics.empty() && !recording.defined && r.formula->dependency_ids().empty())
    shared_checks_.insert_or_assign(p.text(), SharedCheck{r, std::move(recording.asked)});
  return r;
}

void RuntimeImpl::update_member_type(Property& p, const Type& type) {
  p.type = type;
  if (p.symbol != kNoSymbol) set_symbol_type(p.symbol, type);
  // The control's own type lists every member: it is made again once for all
  // the members that changed (update_object_types), not once per member.
  if (!p.owner->object_type_stale) {
    p.owner->object_type_stale = true;
    stale_object_types_.push_back(p.owner);
  }
}

void RuntimeImpl::update_object_types() {
  for (Control* c : stale_object_types_) {
    set_symbol_type(c->object, control_type(*c));
    c->object_type_stale = false;
  }
  stale_object_types_.clear();
}

bool RuntimeImpl::has_typed_outputs(const Control& c) {
  return is_list(c) || c.kind == "form" || (c.pcf && !c.pcf->dependencies.empty());
}

// Outputs whose type follows another property's: a list's Selected has the
// row type of its Items, a form's Updates the fields its cards write.
void RuntimeImpl::refresh_output_types(Control& c) {
  auto set = [&](const char* name, const Type& type) {
    Property* p = c.property(name);
    if (p && p->role == PropertyRole::Output && !same_type(p->type, type))
      update_member_type(*p, type);
  };
  bool list = is_list(c);
  bool form = c.kind == "form";
  // Most controls have neither (every pass asks every control).
  Type row = list || form ? item_type(c) : Type::unknown();
  Type rows = row.is(TypeKind::Record) ? row.as_table() : Type::unknown();
  if (list) {
    set("Selected", row);
    set("AllItems", rows);
    set("SelectedItems", rows);
    set("SelectedItemsText", rows);
    set("SelectedText", Type::record({{"Value", Type::text()}}));
  }
  if (form) {
    std::vector<std::pair<std::string, Type>> updates;
    std::function<void(Control&)> cards = [&](Control& at) {
      for (Control* child : at.children) {
        if (child->kind == "datacard") {
          Property* field = child->property("DataField");
          Property* update = child->property("Update");
          if (field && update && update->has_formula() && field->compiled &&
              field->compiled->dependency_ids().empty()) {
            Value name = field->compiled->eval(engine_);
            if (name.is_text() && !name.as_text().empty())
              updates.emplace_back(name.as_text(), update->type);
          }
        }
        if (child->kind != "form") cards(*child);
      }
    };
    cards(c);
    set("Updates", Type::record(std::move(updates)));
    set("LastSubmit", row);
  }
  // A code component's outputs computed from a dataset (Selected from Items).
  if (c.pcf)
    for (const auto& [output, input] : c.pcf->dependencies) {
      Property* in = c.property(input);
      Property* out = c.property(output);
      if (!in || !out || out->role != PropertyRole::Output || !in->type.is(TypeKind::Table))
        continue;
      Type t = out->name.find("Items") != std::string::npos ? in->type : in->type.as_record();
      if (!same_type(out->type, t)) update_member_type(*out, t);
    }
}

// App.Formulas: named formulas, user-defined functions and types, defined in
// the engine (Engine::define). Defined again as the app's types become known;
// the last definition's diagnostics are the app's. Parsed once, and not
// defined again while no symbol was declared or changed its type since: the
// definitions would bind the same.
DefineResult RuntimeImpl::define_formulas() {
  Property* formulas = app_control_ ? app_control_->property("Formulas") : nullptr;
  if (!formulas || !formulas->formula || formulas->empty_formula()) return {};
  std::pair<size_t, uint64_t> engine_types{engine_.symbol_count(), type_changes_};
  if (last_definition_ && last_definition_->engine_types == engine_types)
    return last_definition_->result;
  if (!parsed_definitions_)
    parsed_definitions_ = engine_.parse_definitions(formulas->formula->text);
  last_definition_ = Definition{engine_types, engine_.define(*parsed_definitions_)};
  ++definitions_;
  return last_definition_->result;
}

void RuntimeImpl::set_symbol_type(SymbolId symbol, Type type) {
  engine_.set_type(symbol, std::move(type));
  ++type_changes_;
}

void RuntimeImpl::infer_types() {
  // What every pass binds, in the app's order: behavior formulas (for what
  // they give variables), formulas whose type is their own, and the controls
  // whose outputs follow other properties (one property in twenty, one control
  // in ten, in the largest shared app).
  std::vector<Property*> behaviors, typed_by_formula;
  std::vector<Control*> with_typed_outputs;
  for (auto& owned : controls_) {
    Control& c = *owned;
    for (auto& pp : c.properties) {
      Property& p = *pp;
      if (!p.has_formula() || p.role == PropertyRole::Output) continue;
      if (p.role == PropertyRole::Behavior)
        behaviors.push_back(&p);
      else if (p.declared.is(TypeKind::Unknown))
        typed_by_formula.push_back(&p);
    }
    if (has_typed_outputs(c)) with_typed_outputs.push_back(&c);
  }
  // A pass binds the behavior formulas, declares the variables they give
  // values to, then binds the formulas whose type is their own: those read
  // the variables this pass declared (binding all in the app's order left
  // them for one more pass). Passes repeat until nothing changes.
  for (int pass = 0; pass < 8; ++pass) {
    VariableUses uses;
    bool changed = false;
    define_formulas();
    for (Property* behavior : behaviors) {
      Property& p = *behavior;
      Control& c = *p.owner;
      Control* screen = p.scope ? p.scope->screen : c.screen;
      BindStamp stamp = bind_stamp();
      CheckResult r = check_property(p, [&, screen](const CallObservation& call) {
        const std::string& f = call.function;
        if (call.arg_names.empty()) return;
        const std::string& target = call.arg_names[0];
        bool undeclared = !call.arg_types.empty() && call.arg_types[0].is(TypeKind::Unknown);
        if ((f == "Set" || f == "Collect" || f == "ClearCollect" || f == "LoadData") &&
            !target.empty() &&
            (undeclared || global_variables_.count(target) || collections_.count(target))) {
          if (f == "Set" && call.arg_types.size() == 2)
            uses.globals[target] = widen(uses.globals[target], call.arg_types[1]);
          if (f == "Collect" || f == "ClearCollect") {
            Type& row = uses.collections[target];
            for (size_t i = 1; i < call.arg_types.size(); ++i)
              row = widen(row, collected_row(call.arg_types[i]));
          }
          if (f == "LoadData") uses.loaded.insert(target);
        }
        if (f == "UpdateContext" && !call.arg_types.empty() &&
            call.arg_types[0].is(TypeKind::Record) && screen) {
          const Type& r = call.arg_types[0];
          for (size_t i = 0; i < r.field_count(); ++i) {
            Type& t = uses.context[{screen, r.field_name(i)}];
            t = widen(t, r.field_type(i));
          }
        }
        if (f == "Navigate" && call.arg_types.size() >= 3 &&
            call.arg_types[2].is(TypeKind::Record)) {
          // The screen the record's variables belong to: the one named, or
          // the screen of the control named; every screen when unknown.
          std::vector<Control*> targets;
          if (Control* named = find_control(target, &c); named && named->screen)
            targets.push_back(named->screen);
          else
            targets = screens_;
          const Type& r = call.arg_types[2];
          for (Control* s : targets)
            for (size_t i = 0; i < r.field_count(); ++i) {
              Type& t = uses.context[{s, r.field_name(i)}];
              t = widen(t, r.field_type(i));
            }
        }
      });
      keep_inferred(p, stamp, std::move(r));
    }
    // Declare what the behavior formulas gave; a type that widened is another pass.
    for (auto& [name, type] : uses.globals) {
      if (collections_.count(name)) continue;
      auto existing = engine_.find_symbol(name);
      if (existing && !global_variables_.count(name)) continue;  // not a variable
      if (!existing) {
        engine_.declare(name, type, Value());
        global_variables_.insert(name);
        changed = true;
      } else if (!same_type(engine_.symbol_type(*existing), type)) {
        set_symbol_type(*existing, type);
        changed = true;
      }
    }
    for (const auto& name : uses.loaded)
      if (!uses.collections.count(name)) uses.collections[name] = Type::unknown();
    for (auto& [name, row] : uses.collections) {
      Type table = row.is(TypeKind::Record) ? row.as_table() : Type::table({}).as_open();
      auto existing = engine_.find_symbol(name);
      if (existing && !collections_.count(name)) continue;
      if (!existing) {
        engine_.declare(name, table, Value::table({}, table.as_record()));
        collections_.insert(name);
        changed = true;
      } else if (!same_type(engine_.symbol_type(*existing), table)) {
        set_symbol_type(*existing, table);
        engine_.set_value(*existing, Value::table({}, table.as_record()));
        changed = true;
      }
    }
    for (auto& [key, type] : uses.context) {
      auto& vars = context_variables_[key.first];
      auto it = vars.find(key.second);
      if (it == vars.end()) {
        vars[key.second] = engine_.declare(key.first->name + "." + key.second, type, Value(),
                                           SymbolFlags{.hidden = true});
        changed = true;
      } else if (!same_type(engine_.symbol_type(it->second), type)) {
        set_symbol_type(it->second, type);
        changed = true;
      }
    }
    define_formulas();  // named formulas reading those variables (nothing to do when none changed)
    for (Property* typed : typed_by_formula) {
      Property& p = *typed;
      BindStamp stamp = bind_stamp();
      CheckResult r = check_property(p);
      if (!r.type.is(TypeKind::Unknown) && !same_type(r.type, p.type)) {
        update_member_type(p, r.type);
        changed = true;
      }
      keep_inferred(p, stamp, std::move(r));
    }
    for (Control* c : with_typed_outputs) refresh_output_types(*c);
    // A formula of this pass that read a control as a value saw its type before
    // the pass; a member type that changed (`changed`) makes another pass.
    update_object_types();
    if (!changed) break;
  }
  // Collections the app declares (DataSources/*.json) that no formula fills.
  for (const auto& ds : app_->data_sources)
    if (ds.kind == DataSourceSource::Kind::Collection && !engine_.find_symbol(ds.name)) {
      Type table = Type::table({}).as_open();
      engine_.declare(ds.name, table, Value::table({}, table.as_record()));
      collections_.insert(ds.name);
    }
}

void RuntimeImpl::report(const Property& p, const std::vector<Diagnostic>& diagnostics) {
  const Control& c = *p.owner;
  for (const auto& d : diagnostics) {
    AppDiagnostic out;
    out.severity = d.severity;
    out.message = d.message;
    out.control = c.name;
    out.property = p.name;
    if (p.formula) {
      out.pos = p.formula->position(d.span.min);
    } else {
      out.pos = c.source->pos;
      out.message += " (in the catalog's default formula)";
      out.severity = Severity::Warning;
    }
    // A definition's formula is checked in each instance: report it once,
    // where it is written.
    if (p.from_definition || c.component) {
      const ComponentInstance* in = p.from_definition ? p.scope->component : c.component;
      out.screen = in->definition->body.name;
      if (p.from_definition) out.control = in->definition->body.name;
    } else {
      out.screen = c.screen && c.screen != &c ? c.screen->name : "";
    }
    // A call through a connector the app declares: say so.
    if (out.message.find("unknown or unsupported function") != std::string::npos)
      for (const auto& ds : app_->data_sources)
        if (ds.kind == DataSourceSource::Kind::Connector &&
            out.message.find("'" + ds.name + ".") != std::string::npos) {
          out.message +=
              fmt::format(" ('{}' is a connector; the player does not call services)", ds.name);
          break;
        }
    bool seen = std::any_of(diagnostics_.begin(), diagnostics_.end(), [&](const AppDiagnostic& e) {
      return e.pos.file == out.pos.file && e.pos.line == out.pos.line &&
             e.pos.column == out.pos.column && e.message == out.message;
    });
    if (!seen) diagnostics_.push_back(std::move(out));
  }
}

void RuntimeImpl::bind_all() {
  infer_types();
  if (Property* formulas = app_control_ ? app_control_->property("Formulas") : nullptr) {
    DefineResult defined = define_formulas();
    report(*formulas, defined.diagnostics);
    for (const auto& d : defined.defined)
      if (d.kind == DefinitionKind::Formula) named_formulas_.push_back(d.name);
  }
  final_bind_ = true;
  for (auto& owned : controls_) {
    Control& c = *owned;
    for (auto& pp : c.properties) {
      Property& p = *pp;
      if (!p.has_formula() || p.role == PropertyRole::Output || p.empty_formula()) continue;
      if (p.role == PropertyRole::Formulas) continue;  // defined above
      CheckResult r = check_final(p);
      std::vector<Diagnostic> problems = r.diagnostics;
      if (r.ok() && p.role == PropertyRole::Data && !p.declared.is(TypeKind::Unknown)) {
        const Type& t = r.type;
        // An enum property also takes the enum's values as written before
        // enums were typed ("center" for Align.Center).
        const Type& want = p.declared;
        bool fits = t.is(TypeKind::Unknown) || t.is(TypeKind::Blank) || t.is(TypeKind::Error) ||
                    t.is(TypeKind::Untyped) || can_coerce(t, want) ||
                    (want.is(TypeKind::Enum) && want.enum_info() &&
                     t.kind() == want.enum_info()->underlying);
        if (!fits) {
          Span whole{0, 0};
          problems.push_back(
              Diagnostic{whole, Severity::Error,
                         fmt::format("{} expects {} values, but this formula gives {} values",
                                     p.name, p.declared.name(), t.name())});
          r.formula.reset();
        }
      }
      report(p, problems);
      p.compiled = r.formula;
      p.check_failed = !r.ok();
      if (r.ok() && p.declared.is(TypeKind::Unknown) && p.role == PropertyRole::Data &&
          !r.type.is(TypeKind::Unknown) && !same_type(r.type, p.type)) {
        update_member_type(p, r.type);
        update_object_types();
      }
    }
  }
  inferred_checks_.clear();
}

size_t RuntimeImpl::check_formulas() {
  size_t checked = 0;
  for (auto& owned : controls_)
    for (auto& pp : owned->properties) {
      Property& p = *pp;
      if (!p.formula || p.role == PropertyRole::Output || p.role == PropertyRole::Formulas ||
          p.empty_formula())
        continue;
      CheckOptions options = options_for(p);
      engine_.check(p.text(), options);
      ++checked;
    }
  return checked;
}

std::optional<SymbolId> MediaScope::find(std::string_view name) const {
  if (inner)
    if (auto id = inner->find(name)) return id;
  return runtime->missing_media(name, *property);
}

std::optional<SymbolId> RuntimeImpl::missing_media(std::string_view name, const Property& p) {
  // Any other meaning of the name wins: a symbol, an enum, a control.
  if (engine_.find_symbol(name) || engine_.find_enum(name) || find_control(name, p.owner))
    return std::nullopt;
  // Inference passes may meet a variable before it is declared: only the
  // last binding says what the app lacks.
  if (final_bind_ && warned_media_.insert(std::string(name)).second) {
    const Control& c = *p.owner;
    diagnostics_.push_back(app_diagnostic(
        p.formula ? p.formula->position(0) : c.source->pos, Severity::Warning,
        fmt::format("'{}' is not a media file the app's source holds: shown as a missing image",
                    name),
        c.name, std::string(p.name), c.screen && c.screen != &c ? c.screen->name : ""));
  }
  return missing_image_;
}

}  // namespace canvasfx::player::detail
