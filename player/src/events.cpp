// The runtime's embedding API (runtime.h): starting, events, polling, reading
// values and views of the control tree.
#include <fmt/format.h>

#include "canvasfx/coerce.h"
#include "runtime_impl.h"

namespace canvasfx::player::detail {

std::string RuntimeImpl::app_key() const {
  if (!app_->name.empty()) return app_->name;
  return app_->path.filename().string();
}

void RuntimeImpl::run_deferred() {
  // Navigate and Select act once the formula that asked has finished; what
  // they run may ask again.
  for (int round = 0; round < 100 && !deferred_.empty(); ++round) {
    auto work = std::move(deferred_);
    deferred_.clear();
    for (auto& f : work) f();
  }
}

namespace {

Value state_record(Value value, Value base) {
  return Value::record({{"Base", std::move(base)}, {"Value", std::move(value)}});
}

}  // namespace

void RuntimeImpl::start() {
  if (!app_) return;
  begin_event();
  if (host_) {
    for (const auto& signal : host::Host::signal_names()) {
      auto id = engine_.find_symbol(signal);
      if (!id) continue;
      host_->subscribe(signal, [this, signal, id = *id](const std::string&, const Value&) {
        // The App signal is the window: the App object's Width and Height read it.
        symbol_written(signal == "App" ? device_symbol_ : id);
      });
    }
  }
  run_behavior(*app_control_, "OnStart", EventContext{app_control_, nullptr, nullptr, -1});
  Control* first = nullptr;
  if (Property* start = app_control_->property("StartScreen"); start && start->has_formula()) {
    Value s = read_node(start->node);
    first = control_of_value(s);
    if (first && first->kind != "screen") first = first->screen;
  }
  if (!first && !screens_.empty()) first = screens_.front();
  show_screen(first);
  run_deferred();
  end_event();
}

Control* RuntimeImpl::event_control(std::string_view name, int& row) {
  Control* c = find_control(name);
  if (!c && options_.output) options_.output(fmt::format("no control named {}", name));
  if (c && c->gallery && row < 0) row = selected_index(*c->gallery);
  return c;
}

std::vector<PropertyRef> RuntimeImpl::select(std::string_view name, int row) {
  begin_event();
  if (Control* c = event_control(name, row)) {
    if (c->kind == "gallery" && row >= 0) {
      set_state(*c, Value::record({{"Value", Value::number(row)}}));
      run_behavior(*c, "OnSelect", EventContext{c, c->screen, c, row});
    } else {
      run_behavior(*c, "OnSelect", EventContext{c, c->screen, c->gallery, c->gallery ? row : -1});
    }
  }
  run_deferred();
  return end_event();
}

std::vector<PropertyRef> RuntimeImpl::type_text(std::string_view name, std::string text, int row) {
  begin_event();
  Control* c = event_control(name, row);
  if (c && c->kind == "textinput" && c->type) {
    Property* in = c->property(c->type->state_input);
    Value base;
    if (in) {
      // The modern input's formula has its own node; the member is the output.
      int node = in->node;
      for (size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].property == in && !nodes_[i].native) node = static_cast<int>(i);
      base = read_node(node);
    }
    set_state(*c, state_record(Value::text(std::move(text)), base));
    run_behavior(*c, "OnChange", EventContext{c, c->screen, c->gallery, row});
  }
  run_deferred();
  return end_event();
}

std::vector<PropertyRef> RuntimeImpl::toggle(std::string_view name, int row) {
  begin_event();
  Control* c = event_control(name, row);
  if (c && c->kind == "toggle" && c->type) {
    Value now = read_node(c->property(c->type->state_output)->node);
    bool next = !(now.is_boolean() && now.as_boolean());
    Value base = read_node(c->property(c->type->state_input)->node);
    set_state(*c, state_record(Value::boolean(next), base));
    EventContext ctx{c, c->screen, c->gallery, row};
    run_behavior(*c, next ? "OnCheck" : "OnUncheck", ctx);
    run_behavior(*c, "OnChange", ctx);
  }
  run_deferred();
  return end_event();
}

std::vector<PropertyRef> RuntimeImpl::set_input(std::string_view name, Value value, int row) {
  begin_event();
  Control* c = event_control(name, row);
  if (c) {
    EventContext ctx{c, c->screen, c->gallery, row};
    const std::string& kind = c->kind;
    if (kind == "gallery" || kind == "dropdown" || kind == "listbox" || kind == "radio") {
      Value index = to_number(value);
      set_state(*c, Value::record({{"Value", index}}));
      run_behavior(
          *c, kind == "gallery" ? "OnSelect" : "OnChange",
          EventContext{
              c, c->screen, kind == "gallery" ? c : c->gallery,
              kind == "gallery" && index.is_number() ? static_cast<int>(index.as_number()) : row});
    } else if (kind == "combobox") {
      Value index = to_number(value);
      Property* items = c->property("Items");
      Value table = items ? read_node(items->node) : Value();
      std::vector<Value> chosen;
      if (table.is_table() && index.is_number()) {
        size_t i = static_cast<size_t>(index.as_number());
        if (i < table.rows().size()) chosen.push_back(table.rows()[i]);
      }
      set_state(*c,
                Value::record({{"Value", Value::table(std::move(chosen),
                                                      table.is_table() ? table.row_type()
                                                                       : Type::empty_record())}}));
      run_behavior(*c, "OnChange", ctx);
    } else if (c->type && !c->type->state_output.empty()) {
      Property* out = c->property(c->type->state_output);
      Property* in = c->property(c->type->state_input);
      Value base = in ? read_node(in->node) : Value();
      Value v = out && !out->declared.is(TypeKind::Unknown) && !out->declared.is_aggregate()
                    ? coerce_to(value, out->declared.kind())
                    : value;
      set_state(*c, state_record(v, base));
      run_behavior(*c, "OnChange", ctx);
    }
  }
  run_deferred();
  return end_event();
}

std::vector<PropertyRef> RuntimeImpl::navigate(std::string_view name) {
  begin_event();
  Control* c = find_control(name);
  if (c && c->kind != "screen") c = c->screen;
  if (c) {
    if (active_screen_) back_stack_.emplace_back(active_screen_, "");
    show_screen(c);
  }
  run_deferred();
  return end_event();
}

std::vector<PropertyRef> RuntimeImpl::poll() {
  begin_event();
  if (host_) host_->poll();
  run_deferred();
  return end_event();
}

std::vector<PropertyRef> RuntimeImpl::advance(std::chrono::milliseconds elapsed) {
  begin_event();
  clock_ms_ += elapsed.count();
  tick_timers(elapsed.count());
  if (host_) host_->poll();
  run_deferred();
  return end_event();
}

Value RuntimeImpl::value(std::string_view control, std::string_view property, int row) {
  flush();
  Control* c = find_control(control);
  if (!c)
    return Value::error(ErrorKind::InvalidArgument, fmt::format("no control named {}", control));
  Property* p = c->property(property);
  if (!p && property == "Name") return Value::text(c->name);
  if (!p || p->node < 0)
    return Value::error(ErrorKind::InvalidArgument,
                        fmt::format("{} has no data property {}", control, property));
  Node& n = nodes_[p->node];
  if (n.rows_of && row >= 0) {
    row_context_.emplace_back(n.rows_of, row);
    Value v = read_node(p->node);
    row_context_.pop_back();
    return v;
  }
  return read_node(p->node);
}

std::string RuntimeImpl::active_screen() const {
  return active_screen_ ? active_screen_->name : std::string();
}

namespace {

void view_properties(RuntimeImpl& rt, Control& c, ControlView& view) {
  for (auto& p : c.properties)
    if (p->node >= 0) view.properties.emplace_back(p->name, rt.read_node(p->node));
}

}  // namespace

ControlView RuntimeImpl::view(std::string_view name) {
  flush();
  Control* c = name.empty() ? active_screen_ : find_control(name);
  ControlView out;
  if (!c) return out;
  std::function<ControlView(Control&)> build = [&](Control& at) {
    ControlView v;
    v.name = at.name;
    v.type = at.type_name;
    view_properties(*this, at, v);
    if (at.kind == "gallery") {
      size_t rows = gallery_row_count(at);
      for (size_t r = 0; r < rows; ++r) {
        row_context_.emplace_back(&at, static_cast<int>(r));
        std::vector<ControlView> row;
        for (Control* child : at.children) row.push_back(build(*child));
        row_context_.pop_back();
        v.rows.push_back(std::move(row));
      }
    } else {
      for (Control* child : at.children) v.children.push_back(build(*child));
    }
    return v;
  };
  return build(*c);
}

Value RuntimeImpl::eval(std::string_view formula, std::vector<Diagnostic>* diagnostics) {
  Scope scope;
  scope.runtime = this;
  scope.screen = active_screen_;
  CheckOptions options;
  options.behavior = true;
  options.names = &scope;
  begin_event();
  if (diagnostics) *diagnostics = engine_.check(formula, options).diagnostics;
  event_stack_.push_back(EventContext{nullptr, active_screen_, nullptr, -1});
  Value v = engine_.eval(formula, options);
  event_stack_.pop_back();
  run_deferred();
  end_event();
  return v;
}

}  // namespace canvasfx::player::detail
