// The canvas app functions (function reference pages in power-fx-docs):
// navigation, context variables, control actions, forms, local data,
// User(), Param(), Choices() and DataSourceInfo().
//
// A FunctionDef's implementation is a plain function: those that act on the
// app reach the runtime through the engine's host handlers ("player.Navigate"
// ...), which the runtime registers with itself captured. A control passed as
// an argument arrives as its value, a record whose Name the runtime resolves
// in the scope of the formula that runs (a component's own controls first).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "canvasfx/coerce.h"
#include "canvasfx/host/store.h"
#include "runtime_impl.h"

namespace canvasfx::player::detail {

namespace {

std::vector<Value> args_of(CallContext& ctx) {
  std::vector<Value> args;
  for (size_t i = 0; i < ctx.arg_count(); ++i) args.push_back(ctx.arg(i));
  return args;
}

Value forward(CallContext& ctx, std::string_view handler) {
  std::vector<Value> args = args_of(ctx);
  Value v = ctx.call_host(handler, args);
  // The handler's errors point at the call.
  if (v.is_error() && v.errors().size() == 1 && v.errors()[0].span.lim == 0)
    return ctx.error(static_cast<ErrorKind>(v.errors()[0].kind), v.errors()[0].message);
  return v;
}

#define CANVASFX_FORWARD(fn, handler) \
  Value fn(CallContext& ctx) { return forward(ctx, handler); }

// Navigate(screen [, transition [, context record]]) – function-navigate.md
CANVASFX_FORWARD(invoke_navigate, "player.Navigate")
// Back([transition]) – function-navigate.md
CANVASFX_FORWARD(invoke_back, "player.Back")
// UpdateContext(record) – function-updatecontext.md
CANVASFX_FORWARD(invoke_update_context, "player.UpdateContext")
// Select(control [, row [, child control]]) – function-select.md
CANVASFX_FORWARD(invoke_select, "player.Select")
// Reset(control) – function-reset.md
CANVASFX_FORWARD(invoke_reset, "player.Reset")
// SetFocus(control) – function-setfocus.md
CANVASFX_FORWARD(invoke_set_focus, "player.SetFocus")
// Launch(address [, name, value ...]) / Launch(address, record [, target]) – function-param.md
CANVASFX_FORWARD(invoke_launch, "player.Launch")
// Param(name) – function-param.md
CANVASFX_FORWARD(invoke_param, "player.Param")
// Exit([signout]) – function-exit.md
CANVASFX_FORWARD(invoke_exit, "player.Exit")
// Refresh(data source) – function-refresh.md
CANVASFX_FORWARD(invoke_refresh, "player.Refresh")
// Errors(data source [, record]) – function-errors.md
CANVASFX_FORWARD(invoke_errors, "player.Errors")
// Revert(data source [, record]) – function-revert.md
CANVASFX_FORWARD(invoke_revert, "player.Revert")
// SubmitForm, EditForm, NewForm, ResetForm, ViewForm(form) – function-form.md
CANVASFX_FORWARD(invoke_submit_form, "player.SubmitForm")
CANVASFX_FORWARD(invoke_edit_form, "player.EditForm")
CANVASFX_FORWARD(invoke_new_form, "player.NewForm")
CANVASFX_FORWARD(invoke_reset_form, "player.ResetForm")
CANVASFX_FORWARD(invoke_view_form, "player.ViewForm")
// SaveData(collection, name), ClearData([name]) – function-savedata-loaddata.md
CANVASFX_FORWARD(invoke_save_data, "player.SaveData")
CANVASFX_FORWARD(invoke_clear_data, "player.ClearData")
// User() – function-user.md
CANVASFX_FORWARD(invoke_user, "player.User")
// Copy(text) – function-copy.md
CANVASFX_FORWARD(invoke_copy, "player.Copy")
// Print() – function-print.md
CANVASFX_FORWARD(invoke_print, "player.Print")
// Notify(message [, type [, timeout]]) – function-showerror.md (when no host offers it)
CANVASFX_FORWARD(invoke_notify, "player.Notify")

#undef CANVASFX_FORWARD

// LoadData(collection, name [, ignore missing]) – function-savedata-loaddata.md.
// The saved rows replace the collection's, shaped as its type.
Value invoke_load_data(CallContext& ctx) {
  Value name = ctx.arg(1);
  Value ignore = ctx.arg_count() > 2 ? ctx.arg(2) : Value::boolean(false);
  Value saved = ctx.call_host("player.LoadData", std::span<const Value>(&name, 1));
  if (saved.is_error()) return saved;
  if (saved.is_blank()) {
    if (ignore.is_boolean() && ignore.as_boolean()) return Value::void_();
    return ctx.error(ErrorKind::FileNotFound,
                     "No data was saved under the name " + (name.is_text() ? name.as_text() : ""));
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(saved.as_text());
  } catch (const nlohmann::json::exception&) {
    return ctx.error(ErrorKind::InvalidJSON, "The saved data is damaged");
  }
  const Type& type = ctx.arg_type(0);
  Value rows = value_from_json(json, type.is(TypeKind::Table) ? type : Type::table({}).as_open());
  Value written = ctx.assign(0, rows);
  return written.is_error() ? written : Value::void_();
}

// Concurrent(formula, formula ...) – function-concurrent.md. The formulas run
// one after another here: the app sees the same results, in an order it may
// not rely on anyway.
Value invoke_concurrent(CallContext& ctx) {
  std::vector<ErrorInfo> errors;
  for (size_t i = 0; i < ctx.arg_count(); ++i) {
    Value v = ctx.eval(i);
    if (v.is_error()) errors.insert(errors.end(), v.errors().begin(), v.errors().end());
  }
  return errors.empty() ? Value::void_() : Value::errors(std::move(errors));
}

// Choices(column) – function-choices.md: the values a column may take. The
// local data has no separate list of choices: they are the values the
// column holds, once each.
Type check_choices(CheckContext& ctx) {
  const Type& t = ctx.arg_type(0);
  if (t.is(TypeKind::Table) && t.field_count() == 1)
    return Type::table({{"Value", t.field_type(0)}});
  if (t.is(TypeKind::Table) && t.open()) return Type::table({}).as_open();
  if (!t.is(TypeKind::Unknown))
    ctx.error(ctx.arg_span(0), "Choices expects a column of a data source (DataSource.Column).");
  return Type::unknown();
}
Value invoke_choices(CallContext& ctx) {
  const Value& column = ctx.arg(0);
  std::vector<Value> rows;
  std::vector<Value> seen;
  for (const Value& row : column.is_table() ? column.rows() : std::vector<Value>{}) {
    if (!row.is_record() || row.fields().empty()) continue;
    const Value& v = row.fields().front().second;
    if (v.is_blank()) continue;
    if (std::any_of(seen.begin(), seen.end(), [&](const Value& s) { return same_value(s, v); }))
      continue;
    seen.push_back(v);
    rows.push_back(Value::record({{"Value", v}}));
  }
  const Type& rt = ctx.return_type();
  return Value::table(std::move(rows),
                      rt.is(TypeKind::Table) ? rt.as_record() : Type::empty_record());
}

// DataSourceInfo(data source, information [, column]) – function-datasourceinfo.md
Type check_data_source_info(CheckContext& ctx) {
  const Value* info = ctx.arg_folded(1);
  if (!info || !info->is_text()) return Type::unknown();
  std::string what = info->as_text();
  if (what == "displayname") return Type::text();
  if (what == "maxlength" || what == "maxvalue" || what == "minvalue") return Type::number();
  if (what == "allowedvalues") return Type::table({}).as_open();
  return Type::boolean();  // required and the permissions
}
Value invoke_data_source_info(CallContext& ctx) {
  std::string what = ctx.arg(1).is_text() ? ctx.arg(1).as_text() : "";
  const Value column = ctx.arg_count() > 2 ? ctx.arg(2) : Value();
  if (what == "displayname") return column.is_text() ? column : Value::blank();
  if (what == "required") return Value::boolean(false);
  if (what == "maxlength" || what == "maxvalue" || what == "minvalue" || what == "allowedvalues")
    return Value::blank();  // the local tables set no limits
  // Permissions: the app may read and write its local data.
  return Value::boolean(true);
}

Type check_errors(CheckContext& ctx) {
  return Type::table({{"Column", Type::text()},
                      {"Error", Type::number()},
                      {"Message", Type::text()},
                      {"Record", ctx.arg_type(0).is(TypeKind::Table) ? ctx.arg_type(0).as_record()
                                                                     : Type::empty_record()}});
}

Type check_user(CheckContext&) {
  return Type::record({{"Email", Type::text()},
                       {"EntraObjectId", Type::guid()},
                       {"FullName", Type::text()},
                       {"Image", Type::text()}});
}

constexpr const char* kFormPage = "function-form.md";

const FunctionDef kCanvasFunctions[] = {
    {.name = "Navigate",
     .params = "as?r?",
     .returns = "b",
     .invoke = invoke_navigate,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-navigate.md"},
    {.name = "Back",
     .params = "s?",
     .returns = "b",
     .invoke = invoke_back,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-navigate.md"},
    {.name = "UpdateContext",
     .params = "r",
     .returns = "v",
     .invoke = invoke_update_context,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-updatecontext.md"},
    {.name = "Select",
     .params = "an?a?",
     .returns = "v",
     .invoke = invoke_select,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-select.md"},
    {.name = "Reset",
     .params = "a",
     .returns = "v",
     .invoke = invoke_reset,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-reset.md"},
    {.name = "SetFocus",
     .params = "a",
     .returns = "v",
     .invoke = invoke_set_focus,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-setfocus.md"},
    {.name = "Launch",
     .params = "sa?+",
     .returns = "b",
     .invoke = invoke_launch,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-param.md"},
    {.name = "Param",
     .params = "s",
     .returns = "s",
     .invoke = invoke_param,
     .page = "function-param.md"},
    {.name = "Exit",
     .params = "b?",
     .returns = "v",
     .invoke = invoke_exit,
     .behavior = true,
     .page = "function-exit.md"},
    {.name = "Refresh",
     .params = "T",
     .returns = "v",
     .invoke = invoke_refresh,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-refresh.md"},
    {.name = "Errors",
     .params = "Tr?",
     .invoke = invoke_errors,
     .check = check_errors,
     .blanks = BlankPolicy::Keep,
     .page = "function-errors.md"},
    {.name = "Revert",
     .params = "Tr?",
     .returns = "v",
     .invoke = invoke_revert,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-revert.md"},
    {.name = "SubmitForm",
     .params = "a",
     .returns = "v",
     .invoke = invoke_submit_form,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = kFormPage},
    {.name = "EditForm",
     .params = "a",
     .returns = "v",
     .invoke = invoke_edit_form,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = kFormPage},
    {.name = "NewForm",
     .params = "a",
     .returns = "v",
     .invoke = invoke_new_form,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = kFormPage},
    {.name = "ResetForm",
     .params = "a",
     .returns = "v",
     .invoke = invoke_reset_form,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = kFormPage},
    {.name = "ViewForm",
     .params = "a",
     .returns = "v",
     .invoke = invoke_view_form,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = kFormPage},
    {.name = "Concurrent",
     .params = "~a~a+",
     .returns = "v",
     .invoke = invoke_concurrent,
     .blanks = BlankPolicy::Keep,
     .errors = ErrorPolicy::Keep,
     .behavior = true,
     .page = "function-concurrent.md"},
    {.name = "SaveData",
     .params = "Ts",
     .returns = "v",
     .invoke = invoke_save_data,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-savedata-loaddata.md"},
    {.name = "LoadData",
     .params = "vsb?",
     .returns = "v",
     .invoke = invoke_load_data,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-savedata-loaddata.md"},
    {.name = "ClearData",
     .params = "s?",
     .returns = "v",
     .invoke = invoke_clear_data,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-savedata-loaddata.md"},
    {.name = "User",
     .params = "",
     .invoke = invoke_user,
     .check = check_user,
     .page = "function-user.md"},
    {.name = "Choices",
     .params = "Ts?",
     .invoke = invoke_choices,
     .check = check_choices,
     .blanks = BlankPolicy::Keep,
     .page = "function-choices.md"},
    {.name = "DataSourceInfo",
     .params = "Tsi?",
     .invoke = invoke_data_source_info,
     .check = check_data_source_info,
     .blanks = BlankPolicy::Keep,
     .page = "function-datasourceinfo.md"},
    {.name = "Copy",
     .params = "s",
     .returns = "v",
     .invoke = invoke_copy,
     .behavior = true,
     .page = "function-copy.md"},
    {.name = "Print",
     .params = "",
     .returns = "v",
     .invoke = invoke_print,
     .behavior = true,
     .page = "function-print.md"},
};

const FunctionDef kNotify[] = {
    {.name = "Notify",
     .params = "ss?n?",
     .returns = "b",
     .invoke = invoke_notify,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-showerror.md"},
};

std::string text_of(const Value& v) { return v.is_text() ? v.as_text() : std::string(); }

}  // namespace

Control* RuntimeImpl::control_of_value(const Value& v) {
  if (!v.is_record()) return nullptr;
  const Value* name = v.field("Name");
  if (!name || !name->is_text()) return nullptr;
  const Control* context = event_stack_.empty() ? nullptr : event_stack_.back().control;
  return find_control(name->as_text(), context);
}

Value RuntimeImpl::submit_form(Control& form) {
  Value mode = form.property("Mode") ? read_node(form.property("Mode")->node) : Value();
  if (number_of(mode) == 2) return Value::void_();  // FormMode.View: nothing to submit
  Value valid = read_node(form.property("Valid")->node);
  auto fail = [&](ErrorKind kind, const std::string& message) {
    engine_.set_value(form.form_error,
                      Value::record({{"Error", Value::text(message)},
                                     {"ErrorKind", Value::number(static_cast<int>(kind))}}));
    run_behavior(form, "OnFailure", EventContext{&form, form.screen, nullptr, -1});
    return Value::void_();
  };
  if (valid.is_boolean() && !valid.as_boolean())
    return fail(ErrorKind::Validation, "The form has fields that are not valid.");
  Property* ds = form.property("DataSource");
  if (!ds || !ds->formula) return fail(ErrorKind::InvalidArgument, "The form has no DataSource.");
  // Patch through the form's own DataSource formula, so that a data source of
  // the device records the change for upsync like any other write.
  bool create = number_of(mode) == 1;  // FormMode.New
  Value base = create ? form_record(form) : read_node(form.property("Item")->node);
  Value updates = read_node(form.property("Updates")->node);
  auto& patch = form_patches_[&form];
  if (!patch) {
    struct PatchScope final : NameScope {
      const NameScope* outer;
      SymbolId base, changes;
      std::optional<SymbolId> find(std::string_view name) const override {
        if (name == "FormBase__") return base;
        if (name == "FormChanges__") return changes;
        return outer->find(name);
      }
    } scope;
    scope.outer = ds->scope;
    scope.base = form_patch_base_;
    scope.changes = form_patch_changes_;
    engine_.set_type(form_patch_base_, item_type(form));
    engine_.set_type(form_patch_changes_, read_node(form.property("Updates")->node).is_record()
                                              ? form.property("Updates")->type
                                              : Type::empty_record());
    CheckOptions options;
    options.behavior = true;
    options.names = &scope;
    auto checked = engine_.check(
        fmt::format("Patch({}, FormBase__, FormChanges__)", ds->formula->text), options);
    if (!checked.ok())
      return fail(ErrorKind::InvalidArgument, checked.diagnostics.empty()
                                                  ? "The form cannot be submitted."
                                                  : checked.diagnostics.front().message);
    patch = checked.formula;
  }
  engine_.set_type(form_patch_changes_, form.property("Updates")->type);
  engine_.set_value(form_patch_base_, base);
  engine_.set_value(form_patch_changes_, updates);
  Value result = patch->eval(engine_);
  if (host_) host_->poll();
  if (result.is_error()) {
    const auto& e = result.errors().front();
    std::string table = ds->formula->text;
    data_source_errors_.emplace_back(table, e.message);
    return fail(static_cast<ErrorKind>(e.kind), e.message);
  }
  engine_.set_value(form.form_error, Value());
  engine_.set_value(form.last_submit, result);
  if (create) engine_.set_value(form.mode, enum_value("FormMode", "Edit"));  // New becomes Edit
  for (Control* child : form.children) reset_control(*child);
  run_behavior(form, "OnSuccess", EventContext{&form, form.screen, nullptr, -1});
  return Value::void_();
}

void RuntimeImpl::install_canvas_functions() {
  engine_.add_functions(kCanvasFunctions);
  if (!engine_.has_function("Notify")) engine_.add_functions(kNotify);
  auto say = [this](const std::string& text) {
    if (options_.output) options_.output(text);
  };
  auto context = [this]() -> EventContext {
    if (!event_stack_.empty()) return event_stack_.back();
    return EventContext{nullptr, active_screen_, nullptr, -1};
  };
  auto no_control = [](std::string_view fn) {
    return Value::error(ErrorKind::InvalidArgument,
                        std::string(fn) + " needs a control of the app");
  };
  engine_.set_host_handler("player.Navigate", [this, context](std::span<const Value> args) {
    Control* target = control_of_value(args[0]);
    if (target && target->kind != "screen") target = target->screen;
    if (!target) return Value::error(ErrorKind::InvalidArgument, "Navigate needs a screen");
    if (args.size() > 2 && args[2].is_record())
      for (const auto& [name, value] : args[2].fields()) {
        SymbolId v = context_variable(target, name);
        if (v != kNoSymbol) engine_.set_value(v, value);
      }
    std::string transition = args.size() > 1 ? text_of(args[1]) : "";
    Control* from = active_screen_;
    // The screen changes when the formula that navigates has finished.
    deferred_.push_back([this, target, from, transition] {
      if (target == active_screen_) return;
      if (from) back_stack_.emplace_back(from, transition);
      show_screen(target);
    });
    (void)context;
    return Value::boolean(true);
  });
  engine_.set_host_handler("player.Back", [this](std::span<const Value>) {
    if (back_stack_.empty()) return Value::boolean(false);
    Control* to = back_stack_.back().first;
    back_stack_.pop_back();
    deferred_.push_back([this, to] { show_screen(to); });
    return Value::boolean(true);
  });
  engine_.set_host_handler("player.UpdateContext", [this, context](std::span<const Value> args) {
    Control* screen = context().screen;
    if (!screen) return Value::error(ErrorKind::InvalidArgument, "UpdateContext needs a screen");
    if (args[0].is_record())
      for (const auto& [name, value] : args[0].fields()) {
        SymbolId v = context_variable(screen, name);
        if (v != kNoSymbol) engine_.set_value(v, value);
      }
    return Value::void_();
  });
  engine_.set_host_handler(
      "player.Select", [this, context, no_control](std::span<const Value> args) {
        Control* target = control_of_value(args[0]);
        if (!target) return no_control("Select");
        EventContext at = context();
        int row =
            args.size() > 1 && args[1].is_number() ? static_cast<int>(args[1].as_number()) - 1 : -1;
        Control* child = args.size() > 2 ? control_of_value(args[2]) : nullptr;
        deferred_.push_back([this, target, at, row, child] {
          EventContext ctx{target, target->screen, at.gallery, at.row};
          if (target->kind == "gallery") {
            int r = row >= 0 ? row : (at.gallery == target ? at.row : -1);
            if (r >= 0) set_state(*target, Value::record({{"Value", Value::number(r)}}));
            ctx.gallery = target;
            ctx.row = r >= 0 ? r : selected_index(*target);
            if (child) {
              run_behavior(*child, "OnSelect", EventContext{child, child->screen, target, ctx.row});
              return;
            }
          }
          run_behavior(*target, "OnSelect", ctx);
        });
        return Value::void_();
      });
  engine_.set_host_handler("player.Reset", [this, no_control](std::span<const Value> args) {
    Control* target = control_of_value(args[0]);
    if (!target) return no_control("Reset");
    reset_control(*target);
    return Value::void_();
  });
  engine_.set_host_handler("player.SetFocus", [this, no_control](std::span<const Value> args) {
    Control* target = control_of_value(args[0]);
    if (!target) return no_control("SetFocus");
    focused_ = target;
    return Value::void_();
  });
  engine_.set_host_handler("player.Launch", [say](std::span<const Value> args) {
    std::string url = text_of(args[0]);
    std::string query;
    for (size_t i = 1; i + 1 < args.size(); i += 2)
      query +=
          fmt::format("{}{}={}", query.empty() ? "?" : "&", text_of(args[i]), text_of(args[i + 1]));
    if (args.size() > 1 && args[1].is_record())
      for (const auto& [k, v] : args[1].fields())
        query += fmt::format("{}{}={}", query.empty() ? "?" : "&", k, print_value(v));
    say("launch " + url + query);
    return Value::boolean(true);
  });
  engine_.set_host_handler("player.Param", [this](std::span<const Value> args) {
    std::string name = text_of(args[0]);
    for (const auto& [k, v] : options_.params)
      if (k == name) return Value::text(v);
    return Value::blank();
  });
  engine_.set_host_handler("player.Exit", [this, say](std::span<const Value>) {
    exited_ = true;
    say("exit");
    return Value::void_();
  });
  engine_.set_host_handler("player.Refresh", [this](std::span<const Value>) {
    if (host_) host_->poll();
    return Value::void_();
  });
  engine_.set_host_handler("player.Errors", [this](std::span<const Value> args) {
    std::vector<Value> rows;
    std::string source = args[0].source() ? args[0].source()->name() : "";
    for (const auto& [table, message] : data_source_errors_)
      if (source.empty() || table == source)
        rows.push_back(
            Value::record({{"Column", Value::blank()},
                           {"Error", Value::number(static_cast<int>(ErrorKind::Unknown))},
                           {"Message", Value::text(message)},
                           {"Record", Value::blank()}}));
    return Value::table(std::move(rows), Type::empty_record());
  });
  engine_.set_host_handler("player.Revert", [this](std::span<const Value>) {
    data_source_errors_.clear();
    if (host_) host_->poll();
    return Value::void_();
  });
  auto form_handler = [this, no_control](const char* fn, auto action) {
    return [this, fn, no_control, action](std::span<const Value> args) {
      Control* form = control_of_value(args[0]);
      if (!form || form->kind != "form") return no_control(fn);
      return action(*form);
    };
  };
  engine_.set_host_handler("player.SubmitForm", form_handler("SubmitForm", [this](Control& f) {
                             return submit_form(f);
                           }));
  engine_.set_host_handler("player.EditForm", form_handler("EditForm", [this](Control& f) {
                             engine_.set_value(f.mode, enum_value("FormMode", "Edit"));
                             return Value::void_();
                           }));
  engine_.set_host_handler("player.NewForm", form_handler("NewForm", [this](Control& f) {
                             engine_.set_value(f.mode, enum_value("FormMode", "New"));
                             for (Control* child : f.children) reset_control(*child);
                             return Value::void_();
                           }));
  engine_.set_host_handler("player.ViewForm", form_handler("ViewForm", [this](Control& f) {
                             engine_.set_value(f.mode, enum_value("FormMode", "View"));
                             return Value::void_();
                           }));
  engine_.set_host_handler("player.ResetForm", form_handler("ResetForm", [this](Control& f) {
                             if (number_of(read_node(f.property("Mode")->node)) == 1)
                               engine_.set_value(f.mode, enum_value("FormMode", "Edit"));
                             reset_control(f);
                             return Value::void_();
                           }));
  // Local data: kept in the sync store when there is one (the device's
  // storage), in memory otherwise.
  // The device's storage failing (locked, read-only, full, damaged) is an
  // error value the app can catch (IfError), as a data source's failure is.
  auto with_store = [](auto&& body) -> Value {
    try {
      return body();
    } catch (const host::StoreError& e) {
      return Value::error(ErrorKind::Sync, e.what());
    }
  };
  engine_.set_host_handler("player.SaveData", [this, with_store](std::span<const Value> args) {
    std::string name = text_of(args[1]);
    if (name.empty() || name.find_first_of("*\".?:\\<>|/") != std::string::npos)
      return Value::error(ErrorKind::InvalidArgument,
                          "SaveData needs a name without any of *\".?:\\<>|/");
    std::string json = value_to_json(args[0]).dump();
    return with_store([&] {
      if (options_.store)
        options_.store->save_data(app_key(), name, json);
      else
        saved_data_[name] = json;
      return Value::void_();
    });
  });
  engine_.set_host_handler("player.LoadData", [this, with_store](std::span<const Value> args) {
    std::string name = text_of(args[0]);
    return with_store([&] {
      std::optional<std::string> json;
      if (options_.store) {
        json = options_.store->load_data(app_key(), name);
      } else if (auto it = saved_data_.find(name); it != saved_data_.end()) {
        json = it->second;
      }
      return json ? Value::text(*json) : Value::blank();
    });
  });
  engine_.set_host_handler("player.ClearData", [this, with_store](std::span<const Value> args) {
    std::optional<std::string> name;
    if (!args.empty() && args[0].is_text()) name = args[0].as_text();
    return with_store([&] {
      if (options_.store)
        options_.store->clear_data(app_key(), name);
      else if (name)
        saved_data_.erase(*name);
      else
        saved_data_.clear();
      return Value::void_();
    });
  });
  engine_.set_host_handler("player.User", [this](std::span<const Value>) {
    return Value::record({{"Email", Value::text(options_.user_email)},
                          {"EntraObjectId", Value::blank()},
                          {"FullName", Value::text(options_.user_name)},
                          {"Image", Value::text("")}});
  });
  engine_.set_host_handler("player.Copy", [say](std::span<const Value> args) {
    say("copy " + text_of(args[0]));
    return Value::void_();
  });
  engine_.set_host_handler("player.Print", [this, say](std::span<const Value>) {
    say("print " + (active_screen_ ? active_screen_->name : std::string()));
    return Value::void_();
  });
  engine_.set_host_handler("player.Notify", [say](std::span<const Value> args) {
    say(fmt::format("[{}] {}",
                    args.size() > 1 && args[1].is_text() ? args[1].as_text() : "Information",
                    text_of(args[0])));
    return Value::boolean(true);
  });
}

}  // namespace canvasfx::player::detail
