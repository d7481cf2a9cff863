// Mutation functions: Collect, ClearCollect, Clear, Patch, Remove, RemoveIf,
// UpdateIf, Defaults, and the RemoveFlags enum.
// Reference pages: function-clear-collect-clearcollect.md, function-patch.md,
// function-remove-removeif.md, function-update-updateif.md, function-defaults.md.
//
// Design. The collection is the `v` argument 0: a variable, a field of a
// record variable, or a row that First/Index/LookUp selected from a table
// variable (the binder's is_place; "The value passed to the 'Collect'
// function cannot be changed." otherwise). Every function only works out an
// Edit (rows to remove, rows to replace, rows to add) and hands it to
// apply_edit, which either
//   * sends it to a host data source (the table's source() is a
//     MutableTableSource; each kind of change is one transaction) and gives
//     the variable a fresh handle on the source, or
//   * builds the new table and writes it with ctx.assign(0, ...): Values are
//     immutable, so the evaluator rebuilds the records and tables enclosing
//     the place (copy on write) and other variables holding the old table
//     keep it.
// Records are matched whole, as collections do ("the entire record must
// match"): every column of the table, a missing field counting as Blank.
// With PowerFxV1CompatibilityRules (the canvas configuration) Clear, Remove,
// RemoveIf and UpdateIf return no value.
#include <algorithm>
#include <memory>
#include <optional>

#include "canvasfx/coerce.h"
#include "canvasfx/mutable_source.h"
#include "families.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

// --- type rules -----------------------------------------------------------

// The row type of the collection (argument 0); empty when it is Blank or
// could not be typed, so that every column of a record argument is reported.
// Anything else is an invalid argument, reported at its main token (the `/`
// of 1/0), as Power Fx does.
Type collection_row(CheckContext& ctx) {
  const Type& t = ctx.arg_type(0);
  if (t.is(TypeKind::Table)) return t.as_record();
  if (!t.is(TypeKind::Blank) && !t.is(TypeKind::Unknown) && !t.is(TypeKind::Error)) {
    ctx.error(argument_error_span(ctx, 0), "The function '" + std::string(ctx.function_name()) +
                                               "' has some invalid arguments.");
  }
  return Type::empty_record();
}

// Can a column of type `column` hold a value of type `value`? Numbers and
// dates convert into each other; other kinds must be the same.
bool column_accepts(const Type& column, const Type& value) {
  auto numeric = [](TypeKind k) {
    return k == TypeKind::Number || k == TypeKind::Decimal || k == TypeKind::Date ||
           k == TypeKind::DateTime || k == TypeKind::Time;
  };
  TypeKind c = column.kind(), v = value.kind();
  return c == v || v == TypeKind::Blank || v == TypeKind::Unknown || v == TypeKind::Error ||
         c == TypeKind::Unknown || c == TypeKind::Blank || (numeric(c) && numeric(v));
}

std::string type_mismatch(const std::string& field, const Type& expected, const Type& found) {
  return "The type of this argument '" + field + "' does not match the expected type '" +
         expected.name() + "'. Found type '" + found.name() + "'.";
}

// Reports the first field of `record` (argument i's record type) that `row`
// lacks or cannot hold.
void require_fits(CheckContext& ctx, size_t i, const Type& record, const Type& row) {
  for (size_t f = 0; f < record.field_count(); ++f) {
    const std::string& name = record.field_name(f);
    const Type* column = row.field(name);
    if (!column) {
      ctx.error(ctx.arg_span(i), missing_column(row, name));
      return;
    }
    if (!column_accepts(*column, record.field_type(f))) {
      ctx.error(ctx.arg_span(i), type_mismatch(name, *column, record.field_type(f)));
      return;
    }
  }
}

// Arguments from..to-1 are rows for the collection: records, tables of
// records, or scalars for a `Value` column.
void require_rows(CheckContext& ctx, const Type& row, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    const Type& t = ctx.arg_type(i);
    if (t.is(TypeKind::Record))
      require_fits(ctx, i, t, row);
    else if (t.is(TypeKind::Table))
      require_fits(ctx, i, t.as_record(), row);
    else if (t.is(TypeKind::Blank) || t.is(TypeKind::Unknown) || t.is(TypeKind::Error))
      continue;
    else if (!row.field("Value"))  // a scalar only fits a one-column Value table
      ctx.error(ctx.arg_span(i),
                "Invalid argument type. Cannot use " + t.name() + " values in this context.");
    else
      require_fits(ctx, i, Type::record({{"Value", t}}), row);
  }
}

// Collect(collection, item, ...): the added record, or a table of the added rows.
Type check_collect(CheckContext& ctx) {
  Type row = collection_row(ctx);
  require_rows(ctx, row, 1, ctx.arg_count());
  // One record or scalar in, one record out.
  if (ctx.arg_count() == 2 && !ctx.arg_type(1).is(TypeKind::Table)) return row;
  return row.as_table();
}

Type check_clear(CheckContext& ctx) {
  collection_row(ctx);
  return Type::void_();
}

// Remove(collection, record-or-table, ... [, RemoveFlags.All])
bool has_remove_flag(CheckContext& ctx) {
  size_t last = ctx.arg_count() - 1;
  return last >= 2 && !ctx.arg_type(last).is_aggregate();
}

Type check_remove(CheckContext& ctx) {
  Type row = collection_row(ctx);
  size_t rows_end = ctx.arg_count();
  if (has_remove_flag(ctx)) {
    --rows_end;
    const Value* flag = ctx.arg_constant(rows_end);
    bool typo = flag && flag->is_text() && flag->as_text() != "All";
    // With StronglyTypedBuiltinEnums (canvas) the flag is RemoveFlags.All itself.
    const Type& flag_type = ctx.arg_type(rows_end);
    bool remove_flags = flag_type.is(TypeKind::Enum) && flag_type.enum_info() &&
                        flag_type.enum_info()->name == "RemoveFlags";
    if (!(flag_type.is(TypeKind::Text) || remove_flags) || typo)
      ctx.error(ctx.arg_span(rows_end),
                "If provided, last argument must be 'RemoveFlags.All'. Is there a typo?");
  }
  require_rows(ctx, row, 1, rows_end);
  return Type::void_();
}

Type check_remove_if(CheckContext& ctx) {
  collection_row(ctx);
  for (size_t i = 1; i < ctx.arg_count(); ++i) ctx.coerce(i, Type::boolean());
  return Type::void_();
}

// UpdateIf(collection, condition, changes, [condition, changes, ...])
Type check_update_if(CheckContext& ctx) {
  Type row = collection_row(ctx);
  size_t n = ctx.arg_count();
  if (n % 2 == 0)
    ctx.error(ctx.call_span(), "Invalid number of arguments: received " + std::to_string(n) +
                                   ", expected an odd number.");
  for (size_t i = 1; i + 1 < n; i += 2) {
    ctx.coerce(i, Type::boolean());
    require_rows(ctx, row, i + 1, i + 2);
  }
  return Type::void_();
}

// Patch(collection, base, changes, ...): the patched row.
// Patch(collection, base_table, changes_table, ...): the patched rows.
// The base argument decides which form: the others must be of its kind.
bool patches_tables(CheckContext& ctx) { return ctx.arg_type(1).is(TypeKind::Table); }

Type check_patch_table(CheckContext& ctx) {
  Type row = collection_row(ctx);
  bool tables = patches_tables(ctx);
  Type expected = tables ? Type::table({}) : Type::empty_record();
  for (size_t i = 1; i < ctx.arg_count(); ++i) {
    const Type& t = ctx.arg_type(i);
    if (!t.is(expected.kind()) && !t.is(TypeKind::Blank) && !t.is(TypeKind::Unknown))
      ctx.error(ctx.arg_span(i), "Invalid argument type (" + t.name() + "). Expecting a " +
                                     expected.name() + " value instead.");
  }
  require_rows(ctx, row, 1, ctx.arg_count());
  return tables ? row.as_table() : row;
}

// Patch(record, changes, ...): the record with the changes' fields, added or replaced.
// A field typed Blank ({b:Blank()}) takes only Blank values.
Type check_patch_record(CheckContext& ctx) {
  Type result = ctx.arg_type(0).is(TypeKind::Record) ? ctx.arg_type(0) : Type::empty_record();
  for (size_t i = 1; i < ctx.arg_count(); ++i) {
    const Type& t = ctx.arg_type(i);
    for (size_t f = 0; f < t.field_count(); ++f) {
      const Type* old = result.field(t.field_name(f));
      const Type& changed = t.field_type(f);
      bool fits = old && (old->is(TypeKind::Blank) ? changed.is(TypeKind::Blank)
                                                   : column_accepts(*old, changed));
      if (!old)
        result = result.with_field(t.field_name(f), changed);
      else if (!fits)
        ctx.error(ctx.arg_span(i), type_mismatch(t.field_name(f), *old, changed));
    }
  }
  return result;
}

Type check_defaults(CheckContext& ctx) { return ctx.arg_type(0).as_record(); }

// Patch(Blank(), ...) merges records: a Blank is no collection.
bool is_record_type(const Type& t) { return t.is(TypeKind::Record) || t.is(TypeKind::Blank); }
bool is_not_record_type(const Type& t) { return !is_record_type(t); }

// --- rows -----------------------------------------------------------------

// The collection's row type: its static type, or the value's when the
// variable was typed from a Blank.
Type row_type(CallContext& ctx) {
  const Type& t = ctx.arg_type(0);
  if (t.is(TypeKind::Table)) return t.as_record();
  return ctx.arg(0).is_table() ? ctx.arg(0).row_type() : Type::empty_record();
}

const std::vector<Value>& current_rows(CallContext& ctx) {
  static const std::vector<Value> kNone;
  return ctx.arg(0).is_table() ? ctx.arg(0).rows() : kNone;
}

// A record as a row of the collection: fields converted to their column's
// kind (a Date into a Number column is its serial number), missing ones Blank.
Value as_row(const Value& record, const Type& row) {
  Fields fields;
  for (size_t f = 0; f < row.field_count(); ++f) {
    const Value* v = record.field(row.field_name(f));
    TypeKind kind = row.field_type(f).kind();
    bool convert = v && !v->is_blank() && !v->is_error() && !row.field_type(f).is_aggregate() &&
                   kind != TypeKind::Blank && kind != TypeKind::Unknown;
    fields.emplace_back(row.field_name(f), !v ? Value() : convert ? coerce_to(*v, kind) : *v);
  }
  for (const auto& [name, v] : record.fields())
    if (!row.field(name)) fields.emplace_back(name, v);
  return Value::record(std::move(fields));
}

// Appends the rows an argument stands for: a record, the rows of a table, a
// scalar as the `Value` column. Returns the Error to stop at, or Blank.
Value append_rows(const Value& arg, const Type& row, std::vector<Value>& out) {
  switch (arg.kind()) {
    case ValueKind::Error:
      return arg;
    case ValueKind::Blank:
    case ValueKind::Void:
      return Value();
    case ValueKind::Record:
      out.push_back(as_row(arg, row));
      return Value();
    case ValueKind::Table:
      for (const Value& r : arg.rows()) {
        if (r.is_error()) return r;
        if (r.is_record()) out.push_back(as_row(r, row));
      }
      return Value();
    default:
      out.push_back(as_row(Value::record({{"Value", arg}}), row));
      return Value();
  }
}

bool cells_equal(const Value* a, const Value* b) {
  bool a_blank = !a || a->is_blank(), b_blank = !b || b->is_blank();
  if (a_blank || b_blank) return a_blank && b_blank;
  return values_equal(*a, *b);
}

// Does a row of the collection match `record` whole (every column)?
bool row_matches(const Value& row, const Value& record, const Type& row_type) {
  if (!row.is_record()) return false;
  for (size_t f = 0; f < row_type.field_count(); ++f)
    if (!cells_equal(row.field(row_type.field_name(f)), record.field(row_type.field_name(f))))
      return false;
  return true;
}

// The indexes of the rows matching `record`, not already in `taken`: the
// first one, or all of them.
std::vector<size_t> find_rows(const std::vector<Value>& rows, const Value& record,
                              const Type& row_type, bool all, const std::vector<size_t>& taken) {
  std::vector<size_t> found;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (std::find(taken.begin(), taken.end(), i) != taken.end()) continue;
    if (!row_matches(rows[i], record, row_type)) continue;
    found.push_back(i);
    if (!all) break;
  }
  return found;
}

// --- writing ----------------------------------------------------------------

// A change to the collection, in terms of its current rows.
struct Edit {
  bool clear = false;                             // remove every row first
  std::vector<size_t> removed;                    // indexes of rows to remove
  std::vector<std::pair<size_t, Value>> updated;  // index, complete new record
  std::vector<Value> added;                       // appended, in order
};

// Sends an edit to a host data source, one transaction per kind of change;
// returns the written rows (updated, then added) or the first Error.
Value apply_to_source(CallContext& ctx, const MutableTableSource& source, const Edit& edit) {
  const auto& rows = current_rows(ctx);
  std::vector<Value> removed;
  if (edit.clear) removed = rows;
  for (size_t i : edit.removed) removed.push_back(rows[i]);
  std::vector<Value> written;
  if (!removed.empty())
    if (Value r = source.remove(removed); r.is_error()) return r;
  if (!edit.updated.empty()) {
    std::vector<std::pair<Value, Value>> changes;
    for (const auto& [i, record] : edit.updated) changes.emplace_back(rows[i], record);
    Value r = source.update(changes);
    if (r.is_error()) return r;
    if (r.is_table()) written = r.rows();
  }
  if (!edit.added.empty()) {
    Value r = source.insert(edit.added);
    if (r.is_error()) return r;
    if (r.is_table()) written.insert(written.end(), r.rows().begin(), r.rows().end());
  }
  Value assigned = ctx.assign(0, source.fresh_value(row_type(ctx)));
  if (assigned.is_error()) return assigned;
  return Value::table(std::move(written), row_type(ctx));
}

// Applies an edit to argument 0: to its data source, or copy on write.
// Returns a table of the written rows (updated, then added), or an Error.
Value apply_edit(CallContext& ctx, const Edit& edit) {
  if (auto* source = dynamic_cast<const MutableTableSource*>(ctx.arg(0).source()))
    return apply_to_source(ctx, *source, edit);
  std::vector<Value> rows = edit.clear ? std::vector<Value>() : current_rows(ctx);
  std::vector<Value> written;
  for (const auto& [i, record] : edit.updated) {
    rows[i] = record;
    written.push_back(record);
  }
  std::vector<size_t> removed = edit.removed;
  std::sort(removed.rbegin(), removed.rend());
  for (size_t i : removed) rows.erase(rows.begin() + static_cast<ptrdiff_t>(i));
  rows.insert(rows.end(), edit.added.begin(), edit.added.end());
  written.insert(written.end(), edit.added.begin(), edit.added.end());
  Value assigned = ctx.assign(0, Value::table(std::move(rows), row_type(ctx)));
  if (assigned.is_error()) return assigned;
  return Value::table(std::move(written), row_type(ctx));
}

// Collect and ClearCollect's result: the added record, or the table of added rows.
Value added_result(CallContext& ctx, const Value& written) {
  if (written.is_error() || ctx.return_type().is(TypeKind::Table)) return written;
  return written.rows().empty() ? Value() : written.rows().front();
}

Value no_value(const Value& written) { return written.is_error() ? written : Value::void_(); }

// --- implementations ------------------------------------------------------

Value collect(CallContext& ctx, bool clear) {
  Edit edit;
  edit.clear = clear;
  Type row = row_type(ctx);
  for (size_t i = 1; i < ctx.arg_count(); ++i)
    if (Value e = append_rows(ctx.arg(i), row, edit.added); e.is_error()) return e;
  return added_result(ctx, apply_edit(ctx, edit));
}

// Collect(collection, item, ...) – function-clear-collect-clearcollect.md
Value invoke_collect(CallContext& ctx) { return collect(ctx, false); }

// ClearCollect(collection, item, ...) – function-clear-collect-clearcollect.md
Value invoke_clear_collect(CallContext& ctx) { return collect(ctx, true); }

// Clear(collection) – function-clear-collect-clearcollect.md
Value invoke_clear(CallContext& ctx) {
  Edit edit;
  edit.clear = true;
  return no_value(apply_edit(ctx, edit));
}

// Remove(collection, record, ... [, RemoveFlags.All]), Remove(collection, table [, All])
// – function-remove-removeif.md. Every record must be found (NotFound
// otherwise, and nothing is removed).
Value invoke_remove(CallContext& ctx) {
  size_t end = ctx.arg_count();
  bool all = false;
  if (end >= 3 && !ctx.arg(end - 1).is_record() && !ctx.arg(end - 1).is_table()) {
    const Value& flag = ctx.arg(end - 1);
    const Value& text = flag.is(ValueKind::Enum) ? flag.enum_underlying() : flag;
    all = text.is_text() && text.as_text() == "All";
    --end;
  }
  Type row = row_type(ctx);
  std::vector<Value> targets;
  for (size_t i = 1; i < end; ++i)
    if (Value e = append_rows(ctx.arg(i), row, targets); e.is_error()) return e;
  Edit edit;
  for (const Value& target : targets) {
    std::vector<size_t> found = find_rows(current_rows(ctx), target, row, all, edit.removed);
    if (found.empty()) return ctx.error(ErrorKind::NotFound);
    edit.removed.insert(edit.removed.end(), found.begin(), found.end());
  }
  return no_value(apply_edit(ctx, edit));
}

// Evaluates the lambda conditions from..to-1 for a row: true when all hold,
// false, or the Error a condition gave.
Value conditions_hold(CallContext& ctx, const Value& row, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    Value c = ctx.eval_in_row(i, row);
    if (c.is_error()) return c;
    if (!c.is_boolean() || !c.as_boolean()) return Value::boolean(false);
  }
  return Value::boolean(true);
}

// RemoveIf(collection, condition, ...) – function-remove-removeif.md
Value invoke_remove_if(CallContext& ctx) {
  Edit edit;
  const auto& rows = current_rows(ctx);
  for (size_t r = 0; r < rows.size(); ++r) {
    Value hold = conditions_hold(ctx, rows[r], 1, ctx.arg_count());
    if (hold.is_error()) return hold;
    if (hold.as_boolean()) edit.removed.push_back(r);
  }
  return no_value(apply_edit(ctx, edit));
}

// The record with the fields of `changes` replacing or adding to its own.
Value merge(const Value& record, const Value& changes) {
  Fields fields = record.is_record() ? record.fields() : Fields();
  for (const auto& [name, v] : changes.fields()) {
    auto it =
        std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; });
    if (it == fields.end())
      fields.emplace_back(name, v);
    else
      it->second = v;
  }
  return Value::record(std::move(fields));
}

// UpdateIf(collection, condition, changes, ...) – function-update-updateif.md.
// Each row takes the changes of every pair whose condition holds for it.
Value invoke_update_if(CallContext& ctx) {
  Edit edit;
  Type row = row_type(ctx);
  const auto& rows = current_rows(ctx);
  for (size_t r = 0; r < rows.size(); ++r) {
    Value updated = rows[r];
    for (size_t i = 1; i + 1 < ctx.arg_count(); i += 2) {
      Value hold = conditions_hold(ctx, rows[r], i, i + 1);
      if (hold.is_error()) return hold;
      if (!hold.as_boolean()) continue;
      Value changes = ctx.eval_in_row(i + 1, rows[r]);
      if (changes.is_error()) return changes;
      if (changes.is_record()) updated = as_row(merge(updated, changes), row);
    }
    if (!updated.same_object(rows[r])) edit.updated.emplace_back(r, updated);
  }
  return no_value(apply_edit(ctx, edit));
}

// One base record and its changes, planned into `edit`: the row that matches
// `base` whole is updated; without one the changes make a new row (the base
// only found the row: Defaults(collection), or a record no row matches).
// Returns what Patch reports for it: the row as written, or for a new row
// from a partial base, the changes themselves.
Value plan_patch(CallContext& ctx, const Value& base, const Value& changes, Edit& edit) {
  Type row = row_type(ctx);
  std::vector<size_t> taken;
  for (const auto& [i, record] : edit.updated) taken.push_back(i);
  std::vector<size_t> found = find_rows(current_rows(ctx), base, row, false, taken);
  if (!found.empty()) {
    Value updated = as_row(merge(current_rows(ctx)[found[0]], changes), row);
    edit.updated.emplace_back(found[0], updated);
    return updated;
  }
  auto blank = [](const auto& f) { return f.second.is_blank(); };
  bool defaults = base.is_blank() || std::all_of(base.fields().begin(), base.fields().end(), blank);
  Value added = as_row(defaults ? merge(base, changes) : changes, row);
  edit.added.push_back(added);
  return defaults ? added : changes;
}

// The changes of arguments from.. for one row: argument i's record, or row k
// of its table. A table's rows carry all of its columns, Blank where the row
// had none (Table({a:1},{b:2})): those Blanks are no changes.
Value merged_changes(CallContext& ctx, size_t from, std::optional<size_t> row_index) {
  Value changes = Value::record({});
  for (size_t i = from; i < ctx.arg_count(); ++i) {
    const Value& arg = ctx.arg(i);
    if (!row_index) {
      if (arg.is_record()) changes = merge(changes, arg);
      continue;
    }
    if (!arg.is_table() || *row_index >= arg.rows().size()) continue;
    const Value& record = arg.rows()[*row_index];
    if (!record.is_record()) continue;
    Fields given;
    for (const auto& [name, v] : record.fields())
      if (!v.is_blank()) given.emplace_back(name, v);
    changes = merge(changes, Value::record(std::move(given)));
  }
  return changes;
}

// Patch(collection, base, changes, ...) and Patch(collection, bases, changes
// tables, ...) – function-patch.md: updates the row matching each base, or
// creates one. Returns the row (or the table of rows) as written.
Value invoke_patch_table(CallContext& ctx) {
  const Value& base = ctx.arg(1);
  Edit edit;
  if (ctx.return_type().is(TypeKind::Table)) {
    std::vector<Value> reported;
    const auto& bases = base.is_table() ? base.rows() : std::vector<Value>();
    for (size_t k = 0; k < bases.size(); ++k) {
      if (bases[k].is_error()) return bases[k];
      reported.push_back(plan_patch(ctx, bases[k], merged_changes(ctx, 2, k), edit));
    }
    Value written = apply_edit(ctx, edit);
    if (written.is_error()) return written;
    if (ctx.arg(0).source()) return written;  // the source's rows, with generated values
    return Value::table(std::move(reported), ctx.return_type().as_record());
  }
  Value reported = plan_patch(ctx, base, merged_changes(ctx, 2, std::nullopt), edit);
  Value written = apply_edit(ctx, edit);
  if (written.is_error()) return written;
  if (ctx.arg(0).source() && !written.rows().empty()) return written.rows().front();
  return reported;
}

// Patch(record, changes, ...) – function-patch.md: the merged record; nothing changes.
Value invoke_patch_record(CallContext& ctx) {
  Value out = ctx.arg(0);
  for (size_t i = 1; i < ctx.arg_count(); ++i)
    if (ctx.arg(i).is_record()) out = merge(out, ctx.arg(i));
  return out.is_blank() ? out : as_row(out, ctx.return_type());
}

// Defaults(collection) – function-defaults.md: collections have no default
// values, so every column is Blank.
Value invoke_defaults(CallContext& ctx) { return as_row(Value::record({}), ctx.return_type()); }

std::shared_ptr<const EnumInfo> remove_flags_enum() {
  static const auto info = [] {
    auto e = std::make_shared<EnumInfo>();
    e->name = "RemoveFlags";
    e->underlying = TypeKind::Text;
    e->members = {{"All", Value::text("All")}};
    return e;
  }();
  return info;
}

const FunctionDef kMutation[] = {
    {.name = "Collect",
     .params = "va+",
     .invoke = invoke_collect,
     .check = check_collect,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-clear-collect-clearcollect.md"},
    {.name = "ClearCollect",
     .params = "va+",
     .invoke = invoke_clear_collect,
     .check = check_collect,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-clear-collect-clearcollect.md"},
    {.name = "Clear",
     .params = "v",
     .invoke = invoke_clear,
     .check = check_clear,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-clear-collect-clearcollect.md"},
    {.name = "Remove",
     .params = "va+",
     .invoke = invoke_remove,
     .check = check_remove,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-remove-removeif.md"},
    {.name = "RemoveIf",
     .params = "v@b+",
     .invoke = invoke_remove_if,
     .check = check_remove_if,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-remove-removeif.md"},
    {.name = "UpdateIf",
     .params = "v|@b@r+",
     .invoke = invoke_update_if,
     .check = check_update_if,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-update-updateif.md"},
    {.name = "Patch",
     .params = "vaa+",
     .invoke = invoke_patch_table,
     .check = check_patch_table,
     .match = is_not_record_type,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-patch.md"},
    {.name = "Patch",
     .params = "rr+",
     .invoke = invoke_patch_record,
     .check = check_patch_record,
     .match = is_record_type,
     .blanks = BlankPolicy::Keep,
     .page = "function-patch.md"},
    {.name = "Defaults",
     .params = "T",
     .invoke = invoke_defaults,
     .check = check_defaults,
     .page = "function-defaults.md"},
};

}  // namespace

void install_mutation(Engine& engine) {
  engine.add_enum(remove_flags_enum());
  engine.add_functions(kMutation);
}

}  // namespace canvasfx::stdlib
