// Tables and records: the row-wise functions (Filter, LookUp, Search, ForAll,
// Distinct), row picking (First, Last, FirstN, LastN, Index, Shuffle) and
// Sequence. install_tables() also adds the rest of the family (tables_*.cpp).
// Reference pages: function-filter-lookup.md, function-first-last.md,
// function-forall.md, function-distinct.md, function-sequence.md,
// function-shuffle.md.
//
// Conventions of the family: a Blank table argument gives Blank (the binder
// has already turned an Error argument into the result); lambdas run once per
// row with ctx.eval_in_row, also on Blank and Error rows, so that the lambda
// decides what those mean (IsError(a), IfError(...)); an Error that a lambda
// returns where the function needs its value is the function's result.
#include <algorithm>
#include <cmath>

#include "canvasfx/unicode.h"
#include "families.h"
#include "support.h"
#include "tables_support.h"

namespace canvasfx::stdlib {
namespace {

// --- type rules -----------------------------------------------------------

Type check_same_table(CheckContext& ctx) { return ctx.arg_type(0); }

Type check_filter(CheckContext& ctx) {
  for (size_t i = 1; i < ctx.arg_count(); ++i) require_predicate(ctx, i);
  return ctx.arg_type(0);
}

Type check_lookup(CheckContext& ctx) {
  require_predicate(ctx, 1);
  return ctx.arg_count() > 2 ? ctx.arg_type(2) : ctx.arg_type(0).as_record();
}

Type check_row(CheckContext& ctx) { return ctx.arg_type(0).as_record(); }

// FirstN(t, [n]): n is optional unless FirstLastNRequiresSecondArguments.
Type check_first_n(CheckContext& ctx) {
  if (ctx.arg_count() == 1 && ctx.features().first_last_n_requires_second_arguments)
    ctx.error(ctx.call_span(), "Invalid number of arguments: received 1, expected 2.");
  return ctx.arg_type(0);
}

Type check_forall(CheckContext& ctx) {
  const Type& t = ctx.arg_type(1);
  if (t.is(TypeKind::Void) || t.is(TypeKind::Unknown)) return t;
  return table_of_results(t);
}

Type check_distinct(CheckContext& ctx) {
  const Type& t = ctx.arg_type(1);
  if (!is_primitive(t) && !t.is(TypeKind::Unknown))
    ctx.error(ctx.arg_span(1), "Expected a text, numeric, boolean, or date/time value.");
  return Type::table({{"Value", t}});
}

Type check_search(CheckContext& ctx) {
  const Type row = ctx.arg_type(0).as_record();
  for (size_t i = 2; i < ctx.arg_count(); ++i) {
    auto name = column_name_arg(ctx, i);
    if (!name) continue;
    const Type* column = require_column(ctx, i, row, *name);
    if (column && !column->is(TypeKind::Text) && !column->is(TypeKind::Blank))
      ctx.error(ctx.arg_span(i),
                "Invalid argument type (" + column->name() + "). Expecting a Text value instead.");
  }
  return ctx.arg_type(0);
}

Type check_sequence(CheckContext&) { return Type::table({{"Value", Type::number()}}); }

// --- implementations ------------------------------------------------------

bool is_true(const Value& v) { return v.is_boolean() && v.as_boolean(); }

// Filter(table, condition1 [, condition2, ...]) – function-filter-lookup.md
Value invoke_filter(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  std::vector<Value> rows;
  for (const Value& row : table.rows()) {
    // A row whose condition fails is kept as that Error: the others still filter.
    bool keep = true;
    Value failure;
    for (size_t i = 1; keep && i < ctx.arg_count(); ++i) {
      Value c = ctx.eval_in_row(i, row);
      if (c.is_error())
        failure = std::move(c), keep = false;
      else
        keep = is_true(c);
    }
    if (failure.is_error())
      rows.push_back(std::move(failure));
    else if (keep)
      rows.push_back(row);
  }
  return Value::table(std::move(rows), ctx.return_type().as_record());
}

// LookUp(table, condition [, reduction]) – function-filter-lookup.md
Value invoke_lookup(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return Value::blank();
  for (const Value& row : table.rows()) {
    Value c = ctx.eval_in_row(1, row);
    if (c.is_error()) return c;
    if (!is_true(c)) continue;
    if (ctx.arg_count() > 2) return ctx.eval_in_row(2, row);
    return normalize_row(row, ctx.return_type());
  }
  return Value::blank();
}

// Search(table, text, column1 [, column2, ...]) – function-filter-lookup.md
// Case-insensitive substring match in any of the columns; "" or Blank keeps all rows.
Value invoke_search(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  const std::string& needle = ctx.arg(1).is_text() ? ctx.arg(1).as_text() : std::string();
  if (needle.empty()) return table;
  std::vector<Value> rows;
  for (const Value& row : table.rows()) {
    if (row.is_error()) return row;
    bool match = false;
    for (size_t i = 2; i < ctx.arg_count(); ++i) {
      const Value* cell = row.field(ctx.arg(i).as_text());
      if (!cell) continue;
      if (cell->is_error()) return *cell;
      match = match || (cell->is_text() && text_contains_ignore_case(cell->as_text(), needle));
    }
    if (match) rows.push_back(row);
  }
  return Value::table(std::move(rows), table.row_type());
}

// First(table), Last(table) – function-first-last.md
Value invoke_first(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table() || table.rows().empty()) return Value::blank();
  return normalize_row(table.rows().front(), ctx.return_type());
}

Value invoke_last(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table() || table.rows().empty()) return Value::blank();
  return normalize_row(table.rows().back(), ctx.return_type());
}

// The N argument of FirstN/LastN: 1 when omitted, whole rows only, at least 0.
size_t row_count_arg(CallContext& ctx, size_t available) {
  double n = ctx.arg_count() > 1 && ctx.arg(1).is_number() ? ctx.arg(1).as_number() : 1;
  if (!(n > 0)) return 0;
  return static_cast<size_t>(std::min<double>(std::floor(n), static_cast<double>(available)));
}

// FirstN(table [, n]), LastN(table [, n]) – function-first-last.md
Value invoke_first_n(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  const auto& all = table.rows();
  size_t n = row_count_arg(ctx, all.size());
  return Value::table(std::vector<Value>(all.begin(), all.begin() + n), table.row_type());
}

Value invoke_last_n(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  const auto& all = table.rows();
  size_t n = row_count_arg(ctx, all.size());
  return Value::table(std::vector<Value>(all.end() - n, all.end()), table.row_type());
}

// Index(table, n) – function-first-last.md: 1-based; out of range is an error.
Value invoke_index(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  double n = ctx.arg(1).as_number();
  const auto& rows = table.rows();
  if (!(n >= 1) || n >= static_cast<double>(rows.size()) + 1)
    return ctx.error(ErrorKind::InvalidArgument, "Index is out of range.");
  return normalize_row(rows[static_cast<size_t>(n) - 1], ctx.return_type());
}

// ForAll(table, formula) – function-forall.md
// Record results are the rows; other values fill a Value column. Any Error
// result makes the whole result an Error (all of them, combined).
Value invoke_forall(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  const bool is_void = ctx.return_type().is(TypeKind::Void);
  const Type& lambda = ctx.arg_type(1);
  const Type row_type = ctx.return_type().as_record();
  std::vector<Value> rows;
  std::vector<ErrorInfo> errors;
  for (const Value& row : table.rows()) {
    Value v = ctx.eval_in_row(1, row);
    if (v.is_error())
      errors.insert(errors.end(), v.errors().begin(), v.errors().end());
    else if (!is_void)
      rows.push_back(result_row(v, lambda, row_type));
  }
  if (!errors.empty()) return Value::errors(std::move(errors));
  if (is_void) return Value::void_();
  return Value::table(std::move(rows), row_type);
}

// Distinct(table, formula) – function-distinct.md: first occurrences, in order.
Value invoke_distinct(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  std::vector<Value> seen;
  for (const Value& row : table.rows()) {
    Value v = ctx.eval_in_row(1, row);
    if (v.is_error()) return v;
    if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) { return same_value(s, v); }))
      seen.push_back(std::move(v));
  }
  std::vector<Value> rows;
  rows.reserve(seen.size());
  for (Value& v : seen) rows.push_back(Value::record_sorted({{"Value", std::move(v)}}));
  return Value::table(std::move(rows), ctx.return_type().as_record());
}

// Sequence(records [, start [, step]]) – function-sequence.md
Value invoke_sequence(CallContext& ctx) {
  double count = std::floor(ctx.arg(0).as_number());
  if (count < 0 || count > 50000)
    return ctx.error(ErrorKind::InvalidArgument, "Sequence needs 0 to 50,000 records.");
  double start = ctx.arg_count() > 1 ? ctx.arg(1).as_number() : 1;
  double step = ctx.arg_count() > 2 ? ctx.arg(2).as_number() : 1;
  std::vector<Value> rows;
  rows.reserve(static_cast<size_t>(count));
  for (size_t i = 0; i < static_cast<size_t>(count); ++i) {
    double v = start + static_cast<double>(i) * step;
    rows.push_back(Value::record_sorted(
        {{"Value", std::isfinite(v) ? Value::number(v) : ctx.error(ErrorKind::Numeric)}}));
  }
  return Value::table(std::move(rows), ctx.return_type().as_record());
}

// Shuffle(table) – function-shuffle.md: Fisher-Yates with the engine's random source.
Value invoke_shuffle(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  std::vector<Value> rows = table.rows();
  for (size_t i = rows.size(); i > 1; --i) {
    size_t j = std::min(i - 1, static_cast<size_t>(ctx.random() * static_cast<double>(i)));
    std::swap(rows[i - 1], rows[j]);
  }
  return Value::table(std::move(rows), table.row_type());
}

const FunctionDef kQuery[] = {
    {.name = "Filter",
     .params = "T@a+",
     .invoke = invoke_filter,
     .check = check_filter,
     .page = "function-filter-lookup.md"},
    {.name = "LookUp",
     .params = "T@a@a?",
     .invoke = invoke_lookup,
     .check = check_lookup,
     .page = "function-filter-lookup.md"},
    {.name = "Search",
     .params = "Tsi+",
     .invoke = invoke_search,
     .check = check_search,
     .page = "function-filter-lookup.md"},
    {.name = "First",
     .params = "T",
     .invoke = invoke_first,
     .check = check_row,
     .page = "function-first-last.md"},
    {.name = "Last",
     .params = "T",
     .invoke = invoke_last,
     .check = check_row,
     .page = "function-first-last.md"},
    {.name = "FirstN",
     .params = "Tn?",
     .invoke = invoke_first_n,
     .check = check_first_n,
     .page = "function-first-last.md"},
    {.name = "LastN",
     .params = "Tn?",
     .invoke = invoke_last_n,
     .check = check_first_n,
     .page = "function-first-last.md"},
    {.name = "Index",
     .params = "Tn",
     .invoke = invoke_index,
     .check = check_row,
     .page = "function-first-last.md"},
    {.name = "ForAll",
     .params = "T@a",
     .invoke = invoke_forall,
     .check = check_forall,
     .void_args = true,
     .page = "function-forall.md"},
    {.name = "Distinct",
     .params = "T@a",
     .invoke = invoke_distinct,
     .check = check_distinct,
     .page = "function-distinct.md"},
    {.name = "Sequence",
     .params = "nn?n?",
     .invoke = invoke_sequence,
     .check = check_sequence,
     .page = "function-sequence.md"},
    {.name = "Shuffle",
     .params = "T",
     .invoke = invoke_shuffle,
     .check = check_same_table,
     .volatile_result = true,
     .page = "function-shuffle.md"},
};

}  // namespace

FunctionTable table_query_functions() { return kQuery; }

void install_tables(Engine& engine) {
  engine.add_enum(sort_order_enum());
  engine.add_enum(join_type_enum());
  for (FunctionTable family : {table_query_functions(), table_column_functions(),
                               table_sort_functions(), table_group_functions()})
    engine.add_functions(family);
}

}  // namespace canvasfx::stdlib
