// What controls compute and how they react (runtime_impl.h): the outputs of
// each kind of control (a text input's Text, a gallery's Selected, a form's
// Updates ...), the input state events write, and the events themselves.
//
// Input state is an engine symbol per control: a record {Value, Base} once the
// user changed the control, Blank before. Base is what the control's input
// (Default, DefaultDate ...) was when the user acted: when the input changes
// later, the control shows the new input again, as canvas controls do.
#include <fmt/format.h>

#include <algorithm>

#include "canvasfx/coerce.h"
#include "runtime_impl.h"

namespace canvasfx::player::detail {

namespace {

Value field_or_blank(const Value& record, std::string_view name) {
  if (!record.is_record()) return Value::blank();
  const Value* f = record.field(name);
  return f ? *f : Value::blank();
}

// A table's rows, or none.
const std::vector<Value>& rows_of(const Value& table) {
  static const std::vector<Value> kNone;
  return table.is_table() ? table.rows() : kNone;
}

}  // namespace

// --- galleries, lists and forms ---------------------------------------------

size_t RuntimeImpl::gallery_row_count(Control& gallery) {
  Property* items = gallery.property("Items");
  if (!items || items->node < 0) return 0;
  return rows_of(read_node(items->node)).size();
}

int RuntimeImpl::selected_index(Control& c) {
  Property* items = c.property("Items");
  if (!items || items->node < 0) return -1;
  Value table = read_node(items->node);
  const auto& rows = rows_of(table);
  if (rows.empty()) return -1;
  Value state = c.state != kNoSymbol ? engine_.value(c.state) : Value();
  if (state.is_record()) {
    Value index = field_or_blank(state, "Value");
    if (index.is_number()) {
      int i = static_cast<int>(index.as_number());
      if (i >= 0 && static_cast<size_t>(i) < rows.size()) return i;
    }
  }
  // The Default record (or value), else the first row.
  if (Property* def = c.property("Default"); def && def->has_formula() && def->node >= 0) {
    Value d = read_node(def->node);
    if (!d.is_blank() && !d.is_error())
      for (size_t i = 0; i < rows.size(); ++i) {
        const Value& row = rows[i];
        if (same_value(row, d)) return static_cast<int>(i);
        // A list's Default is often one value of its first column.
        if (!d.is_record() && row.is_record() && !row.fields().empty() &&
            same_value(row.fields().front().second, d))
          return static_cast<int>(i);
      }
  }
  if (c.kind == "dropdown" || c.kind == "gallery") return 0;
  return -1;  // a radio or list box starts with nothing selected
}

Value RuntimeImpl::gallery_row(Control& gallery, int row) {
  Property* items = gallery.property("Items");
  Value table = items && items->node >= 0 ? read_node(items->node) : Value();
  const auto& rows = rows_of(table);
  if (row < 0 || static_cast<size_t>(row) >= rows.size()) return Value::blank();
  Value r = rows[row];
  if (!r.is_record()) return r;
  if (r.field("IsSelected")) return r;
  Fields fields = r.fields();
  fields.emplace_back("IsSelected", Value::boolean(row == selected_index(gallery)));
  return Value::record(std::move(fields));
}

Value RuntimeImpl::form_record(Control& form) {
  Property* mode = form.property("Mode");
  Value m = mode && mode->node >= 0 ? read_node(mode->node) : Value();
  bool create = number_of(m) == 1;  // FormMode.New
  if (!create) {
    Property* item = form.property("Item");
    Value v = item && item->node >= 0 ? read_node(item->node) : Value();
    if (v.is_record()) return v;
  }
  // A new record: the data source's columns, blank.
  Type row = item_type(form);
  Fields fields;
  for (size_t i = 0; i < row.field_count(); ++i) fields.emplace_back(row.field_name(i), Value());
  return Value::record(std::move(fields));
}

// --- outputs -----------------------------------------------------------------

namespace {

// Screen.Size from its width and the app's breakpoints (ScreenSize.Small ... ExtraLarge).
double screen_size(double width, const Value& breakpoints) {
  double size = 1;
  for (const Value& row : rows_of(breakpoints)) {
    Value v = row.is_record() && !row.fields().empty() ? row.fields().front().second : row;
    if (v.is_number() && width > v.as_number()) ++size;
  }
  return std::min(size, 4.0);
}

}  // namespace

void RuntimeImpl::add_outputs(Control& c) {
  auto node_of = [&](const char* name) -> Node* {
    Property* p = c.property(name);
    return p && p->node >= 0 ? &nodes_[p->node] : nullptr;
  };
  auto member = [&](std::string_view name) -> SymbolId {
    Property* p = c.property(name);
    return p ? p->symbol : kNoSymbol;
  };
  auto read = [this](Property* p) { return p && p->node >= 0 ? read_node(p->node) : Value(); };
  auto output = [&](const char* name, std::vector<SymbolId> reads, std::function<Value()> fn) {
    Node* n = node_of(name);
    if (!n || !n->property || n->property->role != PropertyRole::Output) return;
    n->native = std::move(fn);
    n->reads = std::move(reads);
  };
  Control* cp = &c;

  // State: what the user entered (TextInput.Text <- Default ...).
  if (c.type && !c.type->state_output.empty()) {
    c.state =
        engine_.declare(c.name + ".(state)", Type::unknown(), Value(), SymbolFlags{.hidden = true});
    Property* out = c.property(c.type->state_output);
    Property* in = c.property(c.type->state_input);
    if (out && in && out == in) {
      // One property is both (a modern text input's Value): its formula gets
      // a node of its own, and the member becomes the stateful output.
      int formula_node = static_cast<int>(nodes_.size());
      SymbolId formula = engine_.declare_computed(
          fmt::format("{}.{} (formula)", c.name, in->name), in->type,
          [this, formula_node] { return read_node(formula_node); },
          SymbolFlags{
              .can_set = false, .can_mutate = false, .can_set_mutate = false, .hidden = true});
      add_node(fmt::format("{}.{} (formula)", c.where(), in->name), formula, {});
      nodes_[formula_node].property = in;
      Node& m = nodes_[in->node];
      m.reads = {formula, c.state};
      m.native = [this, cp, formula_node] {
        Value base = read_node(formula_node);
        Value state = engine_.value(cp->state);
        if (state.is_record() && same_value(field_or_blank(state, "Base"), base))
          return field_or_blank(state, "Value");
        return base;
      };
    } else if (out && in && c.kind != "gallery" && c.kind != "dropdown" && c.kind != "listbox" &&
               c.kind != "radio" && c.kind != "combobox") {
      Type want = out->declared;
      output(c.type->state_output.c_str(), {in->symbol, c.state}, [this, cp, in, want] {
        Value base = in->node >= 0 ? read_node(in->node) : Value();
        Value state = engine_.value(cp->state);
        Value v = state.is_record() && same_value(field_or_blank(state, "Base"), base)
                      ? field_or_blank(state, "Value")
                      : base;
        if (!v.is_blank() && !v.is_error() && !want.is(TypeKind::Unknown) && !want.is_aggregate())
          v = coerce_to(v, want.kind());
        return v;
      });
    }
  }

  const std::string& kind = c.kind;
  if (kind == "screen") {
    output("Name", {}, [n = c.name] { return Value::text(n); });
    Property* breakpoints = app_control_ ? app_control_->property("SizeBreakpoints") : nullptr;
    output("Size", {member("Width"), breakpoints ? breakpoints->symbol : kNoSymbol},
           [this, cp, read] {
             Value w = read(cp->property("Width"));
             Value bp = app_control_ ? read(app_control_->property("SizeBreakpoints")) : Value();
             return Value::number(screen_size(w.is_number() ? w.as_number() : 0, bp));
           });
    output("Orientation", {member("Width"), member("Height")}, [cp, read] {
      Value w = read(cp->property("Width")), h = read(cp->property("Height"));
      bool landscape = w.is_number() && h.is_number() && w.as_number() > h.as_number();
      return Value::text(landscape ? "landscape" : "portrait");
    });
    output("Printing", {}, [] { return Value::boolean(false); });
  } else if (kind == "app") {
    output("ActiveScreen", {active_screen_symbol_}, [this] {
      if (!active_screen_) return Value::blank();
      return control_value(*active_screen_);
    });
    auto device = [this](bool width) {
      if (options_.store) {
        auto d = options_.store->device_state();
        return Value::number(width ? d.screen_width : d.screen_height);
      }
      return Value::number(width ? app_->width : app_->height);
    };
    output("Width", {device_symbol_}, [device] { return device(true); });
    output("Height", {device_symbol_}, [device] { return device(false); });
    output("DesignWidth", {}, [this] { return Value::number(app_->width); });
    output("DesignHeight", {}, [this] { return Value::number(app_->height); });
    output("StudioVersion", {}, [] { return Value::text("canvasfx"); });
  } else if (kind == "gallery" || kind == "dropdown" || kind == "listbox" || kind == "radio") {
    if (c.state == kNoSymbol)
      c.state = engine_.declare(c.name + ".(selection)", Type::unknown(), Value(),
                                SymbolFlags{.hidden = true});
    std::vector<SymbolId> reads{member("Items"), member("Default"), c.state};
    auto selected = [this, cp] {
      int i = selected_index(*cp);
      if (i < 0) return Value::blank();
      Property* items = cp->property("Items");
      const auto& rows = rows_of(read_node(items->node));
      return static_cast<size_t>(i) < rows.size() ? rows[i] : Value::blank();
    };
    output("Selected", reads, selected);
    // SelectedText (deprecated): {Value: the selected item's text}, from the
    // column the Value property names, else the item's first column.
    output("SelectedText", reads, [this, cp, selected, read] {
      Value row = selected();
      if (!row.is_record() || row.fields().empty()) return Value::blank();
      Value column = read(cp->property("Value"));
      const Value* cell = column.is_text() ? row.field(column.as_text()) : nullptr;
      Value text = to_text(cell ? *cell : row.fields().front().second);
      return Value::record({{"Value", text}});
    });
    output("SelectedItems", reads, [this, cp, selected] {
      Value row = selected();
      Property* items = cp->property("Items");
      Type t = items ? items->type : Type::unknown();
      std::vector<Value> rows;
      if (!row.is_blank()) rows.push_back(row);
      return Value::table(std::move(rows),
                          t.is(TypeKind::Table) ? t.as_record() : Type::empty_record());
    });
    output("AllItems", {member("Items")}, [this, cp] {
      Property* items = cp->property("Items");
      return items ? read_node(items->node) : Value();
    });
    output("AllItemsCount", {member("Items")},
           [this, cp] { return Value::number(static_cast<double>(gallery_row_count(*cp))); });
    output("VisibleIndex", {}, [] { return Value::number(1); });
    output("TemplateWidth", {member("Width"), member("TemplatePadding"), member("WrapCount")},
           [cp, read] {
             Value w = read(cp->property("Width")), pad = read(cp->property("TemplatePadding"));
             Value wrap = read(cp->property("WrapCount"));
             double n = wrap.is_number() && wrap.as_number() >= 1 ? wrap.as_number() : 1;
             double width = w.is_number() ? w.as_number() : 0;
             double p = pad.is_number() ? pad.as_number() : 0;
             return Value::number(std::max(0.0, width / n - 2 * p));
           });
    output("TemplateHeight", {member("TemplateSize"), member("TemplatePadding")}, [cp, read] {
      Value size = read(cp->property("TemplateSize")), pad = read(cp->property("TemplatePadding"));
      double s = size.is_number() ? size.as_number() : 0;
      double p = pad.is_number() ? pad.as_number() : 0;
      return Value::number(std::max(0.0, s - 2 * p));
    });
  } else if (kind == "combobox") {
    std::vector<SymbolId> reads{member("Items"), member("DefaultSelectedItems"), c.state};
    auto chosen = [this, cp, read] {
      Value state = engine_.value(cp->state);
      if (state.is_record()) return field_or_blank(state, "Value");
      return read(cp->property("DefaultSelectedItems"));
    };
    output("SelectedItems", reads, chosen);
    output("Selected", reads, [chosen] {
      Value t = chosen();
      const auto& rows = rows_of(t);
      return rows.empty() ? Value::blank() : rows.front();
    });
    output("SearchText", {}, [] { return Value::text(""); });
  } else if (kind == "form") {
    c.mode =
        engine_.declare(c.name + ".(mode)", Type::unknown(), Value(), SymbolFlags{.hidden = true});
    c.last_submit = engine_.declare(c.name + ".(last submit)", Type::unknown(), Value(),
                                    SymbolFlags{.hidden = true});
    c.form_error =
        engine_.declare(c.name + ".(error)", Type::unknown(), Value(), SymbolFlags{.hidden = true});
    output("Mode", {member("DefaultMode"), c.mode}, [this, cp, read] {
      Value m = engine_.value(cp->mode);
      if (!m.is_blank()) return m;
      Value d = read(cp->property("DefaultMode"));
      return d.is_blank() || d.is_error() ? enum_value("FormMode", "Edit") : d;
    });
    output("DisplayMode", {member("Mode")}, [this, cp, read] {
      bool view = number_of(read(cp->property("Mode"))) == 2;  // FormMode.View
      return enum_value("DisplayMode", view ? "View" : "Edit");
    });
    output("LastSubmit", {c.last_submit}, [this, cp] { return engine_.value(cp->last_submit); });
    output("Error", {c.form_error},
           [this, cp] { return field_or_blank(engine_.value(cp->form_error), "Error"); });
    output("ErrorKind", {c.form_error}, [this, cp] {
      Value k = field_or_blank(engine_.value(cp->form_error), "ErrorKind");
      return k.is_blank() ? Value::number(0) : k;
    });
    // Updates, Valid and Unsaved read the cards: wired once the cards exist
    // (the cards are children, instantiated before the form's properties).
    std::vector<Control*> cards;
    std::function<void(Control&)> find_cards = [&](Control& at) {
      for (Control* child : at.children) {
        if (child->kind == "datacard") cards.push_back(child);
        if (child->kind != "form") find_cards(*child);
      }
    };
    find_cards(c);
    std::vector<SymbolId> card_reads;
    for (Control* card : cards)
      for (const char* name : {"DataField", "Update", "Valid", "Default"})
        if (Property* p = card->property(name)) card_reads.push_back(p->symbol);
    output("Updates", card_reads, [this, cards, read] {
      Fields fields;
      for (Control* card : cards) {
        Property* update = card->property("Update");
        if (!update || !update->has_formula()) continue;
        Value name = read(card->property("DataField"));
        if (!name.is_text() || name.as_text().empty()) continue;
        fields.emplace_back(name.as_text(), read_node(update->node));
      }
      return Value::record(std::move(fields));
    });
    output("Valid", card_reads, [cards, read] {
      for (Control* card : cards) {
        Value v = read(card->property("Valid"));
        if (v.is_boolean() && !v.as_boolean()) return Value::boolean(false);
      }
      return Value::boolean(true);
    });
    output("Unsaved", card_reads, [cards, read] {
      for (Control* card : cards) {
        Property* update = card->property("Update");
        if (!update || !update->has_formula()) continue;
        if (!same_value(read(update), read(card->property("Default")))) return Value::boolean(true);
      }
      return Value::boolean(false);
    });
  } else if (kind == "datacard") {
    output("Valid", {member("Required"), member("Update")}, [cp, read] {
      Value required = read(cp->property("Required"));
      if (!(required.is_boolean() && required.as_boolean())) return Value::boolean(true);
      Property* update = cp->property("Update");
      if (!update || !update->has_formula()) return Value::boolean(true);
      Value v = read(update);
      return Value::boolean(!(v.is_blank() || (v.is_text() && v.as_text().empty())));
    });
    output("Error", {member("Valid"), member("DisplayName")}, [cp, read] {
      Value valid = read(cp->property("Valid"));
      if (!valid.is_boolean() || valid.as_boolean()) return Value::blank();
      Value name = read(cp->property("DisplayName"));
      return Value::text(fmt::format("{} is required.", name.is_text() && !name.as_text().empty()
                                                            ? name.as_text()
                                                            : std::string("This field")));
    });
  } else if (kind == "timer") {
    c.timer_value = engine_.declare(c.name + ".(elapsed)", Type::number(), Value::number(0),
                                    SymbolFlags{.hidden = true});
    output("Value", {c.timer_value}, [this, cp] { return engine_.value(cp->timer_value); });
  }
  // Outputs nothing above computes: a button's Pressed is false between
  // events, a media control has no media ... their value is Blank or false.
  for (auto& p : c.properties) {
    if (p->role != PropertyRole::Output || p->node < 0) continue;
    Node& n = nodes_[p->node];
    if (n.native || n.property != p) continue;
    Type want = p->declared;
    n.native = [want] {
      return want.is(TypeKind::Boolean) ? Value::boolean(false) : Value::blank();
    };
  }
  // The control itself as a value (Navigate(Screen2), Select(Button1), App.ActiveScreen).
  std::vector<SymbolId> reads;
  if (kind == "screen")
    for (auto& p : c.properties)
      if (p->symbol != kNoSymbol) reads.push_back(p->symbol);
  c.object_node = add_node(c.where(), c.object, std::move(reads));
  nodes_[c.object_node].native = [this, cp] {
    Fields fields{{"Name", Value::text(cp->name)}};
    if (cp->kind == "screen")
      for (auto& p : cp->properties)
        if (p->symbol != kNoSymbol && p->name != "Name" && p->node >= 0)
          fields.emplace_back(p->name, read_node(p->node));
    return Value::record(std::move(fields));
  };
}

Value RuntimeImpl::control_value(Control& c) {
  if (c.object_node < 0) return Value::record({{"Name", Value::text(c.name)}});
  return read_node(c.object_node);
}

// --- events ----------------------------------------------------------------

Value RuntimeImpl::run_formula(Property& p, EventContext context) {
  if (!p.compiled) return Value::void_();
  event_stack_.push_back(context);
  bool in_row = context.gallery && context.row >= 0;
  if (in_row) row_context_.emplace_back(context.gallery, context.row);
  Value result;
  const Control& c = *p.owner;
  const Control* row_owner = p.from_definition ? nullptr : c.row_owner;
  if (p.row_scope && !row_owner) {
    result = p.compiled->eval(engine_, Value::record({}));
  } else if (row_owner && row_owner->kind == "gallery") {
    int row = in_row ? context.row : selected_index(*const_cast<Control*>(row_owner));
    result = p.compiled->eval(engine_, gallery_row(*const_cast<Control*>(row_owner), row));
  } else if (row_owner && row_owner->kind == "form") {
    result = p.compiled->eval(engine_, form_record(*const_cast<Control*>(row_owner)));
  } else {
    result = p.compiled->eval(engine_);
  }
  if (in_row) row_context_.pop_back();
  event_stack_.pop_back();
  flush();
  if (result.is_error() && options_.output)
    for (const auto& e : result.errors())
      options_.output(fmt::format("error in {}.{}: {}", c.name, p.name, e.message));
  return result;
}

void RuntimeImpl::run_behavior(Control& c, std::string_view property, EventContext context) {
  Property* p = c.property(property);
  if (!p || p->role != PropertyRole::Behavior || !p->compiled) return;
  if (!context.control) context.control = &c;
  if (!context.screen) context.screen = c.screen;
  run_formula(*p, context);
}

void RuntimeImpl::set_state(Control& c, Value state) {
  if (c.state == kNoSymbol) return;
  engine_.set_value(c.state, std::move(state));
}

void RuntimeImpl::reset_control(Control& c) {
  if (c.state != kNoSymbol) engine_.set_value(c.state, Value());
  if (c.kind == "form") {
    engine_.set_value(c.form_error, Value());
    for (Control* child : c.children) reset_control(*child);
  }
  if (c.kind == "datacard")
    for (Control* child : c.children) reset_control(*child);
  if (c.kind == "timer") {
    c.timer_elapsed = 0;
    engine_.set_value(c.timer_value, Value::number(0));
  }
  EventContext ctx{&c, c.screen, nullptr, -1};
  run_behavior(c, "OnReset", ctx);
}

void RuntimeImpl::show_screen(Control* screen, bool run_events) {
  if (!screen || screen == active_screen_) return;
  Control* old = active_screen_;
  if (old && run_events) run_behavior(*old, "OnHidden", EventContext{old, old, nullptr, -1});
  active_screen_ = screen;
  engine_.set_value(active_screen_symbol_, Value::text(screen->name));
  // Timers on the screen start when AutoStart asks (and those left pause when AutoPause asks).
  for (Control* t : timers_) {
    Property* pause = t->property("AutoPause");
    if (t->screen == old && t->timer_running && pause && pause->node >= 0) {
      Value v = read_node(pause->node);
      if (v.is_boolean() && v.as_boolean()) t->timer_running = false;
    }
    if (t->screen == screen) {
      Property* autostart = t->property("AutoStart");
      Value v = autostart && autostart->node >= 0 ? read_node(autostart->node) : Value();
      if (v.is_boolean() && v.as_boolean() && !t->timer_running) {
        t->timer_running = true;
        t->timer_elapsed = 0;
        run_behavior(*t, "OnTimerStart", EventContext{t, t->screen, nullptr, -1});
      }
    }
  }
  if (run_events) run_behavior(*screen, "OnVisible", EventContext{screen, screen, nullptr, -1});
}

void RuntimeImpl::tick_timers(int64_t elapsed_ms) {
  for (Control* t : timers_) {
    // A timer runs while Start is true, or from AutoStart until it ends.
    Property* start = t->property("Start");
    Value s = start && start->node >= 0 ? read_node(start->node) : Value();
    if (s.is_boolean() && s.as_boolean() && !t->timer_running) {
      t->timer_running = true;
      t->timer_elapsed = 0;
      run_behavior(*t, "OnTimerStart", EventContext{t, t->screen, nullptr, -1});
    }
    if (!t->timer_running) continue;
    Property* duration = t->property("Duration");
    Value d = duration && duration->node >= 0 ? read_node(duration->node) : Value();
    int64_t length =
        d.is_number() ? std::max<int64_t>(1, static_cast<int64_t>(d.as_number())) : 60000;
    t->timer_elapsed += elapsed_ms;
    // A very short timer in a long wait fires a bounded number of times.
    for (int fired = 0; t->timer_running && t->timer_elapsed >= length && fired < 100; ++fired) {
      t->timer_elapsed -= length;
      engine_.set_value(t->timer_value, Value::number(static_cast<double>(length)));
      run_behavior(*t, "OnTimerEnd", EventContext{t, t->screen, nullptr, -1});
      Property* repeat = t->property("Repeat");
      Value r = repeat && repeat->node >= 0 ? read_node(repeat->node) : Value();
      if (r.is_boolean() && r.as_boolean())
        run_behavior(*t, "OnTimerStart", EventContext{t, t->screen, nullptr, -1});
      else
        t->timer_running = false;
    }
    if (t->timer_running && t->timer_elapsed >= length) t->timer_elapsed %= length;
    engine_.set_value(t->timer_value, Value::number(static_cast<double>(t->timer_elapsed)));
  }
}

}  // namespace canvasfx::player::detail
