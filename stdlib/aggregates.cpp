// Aggregates: Sum, Average, Min, Max, StdevP, VarP, the table counts Count,
// CountA, CountIf, CountRows, and IsEmpty.
// Reference pages: function-aggregates.md, function-table-counts.md,
// function-isblank-isempty.md.
//
// Sum, Average, Min, Max, StdevP and VarP have two overloads, picked by
// `.match` on argument 0's type: separate values (Sum(1, 2, 3)) and a table
// with a formula evaluated per row (Sum(t, Price * Qty)). Both reduce to one
// list of values: Blank values are ignored, the first Error is the result.
// An aggregate of no values is Blank (Sum, Min, Max) or divides by zero
// (Average, StdevP, VarP).
//
// Min and Max also order dates and times. The values compare as Excel serial
// numbers (days since 1899-12-30; a Time is a fraction of a day) and the
// result has argument 0's type, so Min(Time(12,0,0), Date(1985,3,5)) is the
// Time and Min(Date(2112,1,1), 45000) is Date(2023,3,15).
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/calendar.h"
#include "families.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

constexpr const char* kExpectedNumber =
    "Expected number. We expect a number at this point in the formula.";

bool is_table(const Type& t) { return t.is(TypeKind::Table); }

bool is_temporal(const Type& t) {
  return t.is(TypeKind::Date) || t.is(TypeKind::DateTime) || t.is(TypeKind::Time);
}

// --- collecting the values ------------------------------------------------------

// The values an aggregate reduces: its arguments, or the formula (argument
// 1) over the rows of the table (argument 0), without Blanks. Returns the
// first Error instead, if any.
std::optional<Value> collect(CallContext& ctx, std::vector<Value>& out) {
  if (is_table(ctx.arg_type(0))) {
    const Value& table = ctx.arg(0);
    if (!table.is_table()) return std::nullopt;  // a Blank table: no values
    for (const Value& row : table.rows()) {
      Value v = ctx.eval_in_row(1, row);
      if (v.is_error()) return v;
      if (!v.is_blank()) out.push_back(std::move(v));
    }
    return std::nullopt;
  }
  for (size_t i = 0; i < ctx.arg_count(); ++i)
    if (!ctx.arg(i).is_blank()) out.push_back(ctx.arg(i));  // Errors were propagated
  return std::nullopt;
}

// The numbers of an aggregate: as `collect`, the values being numbers.
std::optional<Value> collect_numbers(CallContext& ctx, std::vector<double>& out) {
  std::vector<Value> values;
  if (auto error = collect(ctx, values)) return error;
  for (const Value& v : values) out.push_back(v.as_number());
  return std::nullopt;
}

Value finite(CallContext& ctx, double r) {
  if (!std::isfinite(r)) return ctx.error(ErrorKind::Numeric);
  return Value::number(r);
}

double sum_of(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return sum;
}

// Population variance; Div0 without values.
Value variance(CallContext& ctx, const std::vector<double>& xs) {
  if (xs.empty()) return ctx.error(ErrorKind::Div0);
  double mean = sum_of(xs) / static_cast<double>(xs.size());
  double squares = 0;
  for (double x : xs) squares += (x - mean) * (x - mean);
  return finite(ctx, squares / static_cast<double>(xs.size()));
}

// --- Sum, Average, StdevP, VarP ---------------------------------------------------

// Sum(number, ...) / Sum(table, formula) – function-aggregates.md
Value invoke_sum(CallContext& ctx) {
  std::vector<double> xs;
  if (auto error = collect_numbers(ctx, xs)) return *error;
  if (xs.empty()) return Value::blank();
  return finite(ctx, sum_of(xs));
}

// Average(number, ...) / Average(table, formula) – function-aggregates.md
Value invoke_average(CallContext& ctx) {
  std::vector<double> xs;
  if (auto error = collect_numbers(ctx, xs)) return *error;
  if (xs.empty()) return ctx.error(ErrorKind::Div0);
  return finite(ctx, sum_of(xs) / static_cast<double>(xs.size()));
}

// VarP(number, ...) / VarP(table, formula) – function-aggregates.md
Value invoke_varp(CallContext& ctx) {
  std::vector<double> xs;
  if (auto error = collect_numbers(ctx, xs)) return *error;
  return variance(ctx, xs);
}

// StdevP(number, ...) / StdevP(table, formula) – function-aggregates.md
Value invoke_stdevp(CallContext& ctx) {
  std::vector<double> xs;
  if (auto error = collect_numbers(ctx, xs)) return *error;
  Value var = variance(ctx, xs);
  return var.is_error() ? var : Value::number(std::sqrt(var.as_number()));
}

// --- Min, Max -------------------------------------------------------------------

// A number, date or time as an Excel serial number.
double serial(const Value& v) {
  constexpr double kDay = kMsPerDay;
  switch (v.kind()) {
    case ValueKind::Date:
      return static_cast<double>(v.as_date() - kSerialEpochDays);
    case ValueKind::DateTime:
      return static_cast<double>(v.as_datetime()) / kDay - static_cast<double>(kSerialEpochDays);
    case ValueKind::Time:
      return static_cast<double>(v.as_time()) / kDay;
    default:
      return v.as_number();
  }
}

// The value `v` (a number, date or time) as a value of `kind`, through its serial.
Value from_serial(const Value& v, TypeKind kind) {
  double s = serial(v);
  switch (kind) {
    case TypeKind::Date:
      return Value::date(static_cast<int64_t>(std::floor(s)) + kSerialEpochDays);
    case TypeKind::DateTime:
      return Value::datetime(std::llround((s + static_cast<double>(kSerialEpochDays)) * kMsPerDay));
    case TypeKind::Time:
      return Value::time(std::llround(s * kMsPerDay));
    default:
      return Value::number(s);
  }
}

// Min(value, ...): the result has argument 0's type when it is a number, date
// or time, and Number otherwise; text and booleans coerce to it. Records and
// tables are no values to compare.
Type check_min_max(CheckContext& ctx) {
  const Type& first = ctx.arg_type(0);
  Type result = is_temporal(first) ? first : Type::number();
  for (size_t i = 0; i < ctx.arg_count(); ++i) {
    const Type& t = ctx.arg_type(i);
    if (t.is_aggregate())
      ctx.error(ctx.arg_span(i), kExpectedNumber);
    else if (!is_temporal(t) && !t.is(TypeKind::Number))
      ctx.coerce(i, result);
  }
  return result;
}

// Min(table, formula): a date or time formula keeps its type, anything else is a number.
Type check_min_max_table(CheckContext& ctx) {
  const Type& formula = ctx.arg_type(1);
  if (is_temporal(formula)) return formula;
  ctx.coerce(1, Type::number());
  return Type::number();
}

template <bool kMax>
Value invoke_min_max(CallContext& ctx) {
  std::vector<Value> values;
  if (auto error = collect(ctx, values)) return *error;
  const Value* best = nullptr;
  for (const Value& v : values)
    if (!best || (kMax ? serial(v) > serial(*best) : serial(v) < serial(*best))) best = &v;
  if (!best) return Value::blank();
  TypeKind kind = ctx.return_type().kind();
  return kind == TypeKind::Number && best->is_number() ? *best : from_serial(*best, kind);
}

// --- counts ------------------------------------------------------------------------

// Count(table) and CountA(table) take a one-column table; Count's column holds numbers.
Type check_one_column(CheckContext& ctx, bool numbers) {
  const Type& t = ctx.arg_type(0);
  if (!is_table(t)) return Type::number();
  if (t.field_count() != 1) {
    ctx.error(ctx.arg_span(0), "The first argument of '" + std::string(ctx.function_name()) +
                                   "' should be a one-column table.");
  } else if (numbers && !t.field_type(0).is(TypeKind::Number) &&
             !t.field_type(0).is(TypeKind::Blank)) {  // Table({a:Blank()}) has no numbers
    ctx.warning(ctx.arg_span(0), "Invalid schema, expected a column of Number values for '" +
                                     t.field_name(0) + "'.");
  }
  return Type::number();
}
Type check_count(CheckContext& ctx) { return check_one_column(ctx, true); }
Type check_count_a(CheckContext& ctx) { return check_one_column(ctx, false); }

// The rows of a table argument; a Blank table has none.
const std::vector<Value>& rows_of(const Value& table) {
  static const std::vector<Value> kNone;
  return table.is_table() ? table.rows() : kNone;
}

// Count(table) – function-table-counts.md: the rows that hold a number.
// CountA(table) – function-table-counts.md: the rows that aren't Blank ("" counts).
// The check settled the column's type, so both count the cells that aren't
// Blank; the first Error row or cell is the result.
Value invoke_count(CallContext& ctx) {
  double count = 0;
  for (const Value& row : rows_of(ctx.arg(0))) {
    if (row.is_error()) return row;
    if (!row.is_record() || row.fields().empty()) continue;
    const Value& cell = row.fields()[0].second;
    if (cell.is_error()) return cell;
    if (!cell.is_blank()) ++count;
  }
  return Value::number(count);
}

// CountIf(table, condition, ...) – function-table-counts.md: the rows for
// which every condition is true.
Value invoke_count_if(CallContext& ctx) {
  double count = 0;
  for (const Value& row : rows_of(ctx.arg(0))) {
    bool all = true;
    for (size_t i = 1; i < ctx.arg_count() && all; ++i) {
      Value v = ctx.eval_in_row(i, row);
      if (v.is_error()) return v;
      all = v.is_boolean() && v.as_boolean();
    }
    count += all;
  }
  return Value::number(count);
}

// CountRows(table) – function-table-counts.md. A row that is an Error (not a
// record with an Error field) makes the count an Error.
Value invoke_count_rows(CallContext& ctx) {
  const auto& rows = rows_of(ctx.arg(0));
  for (const Value& row : rows)
    if (row.is_error()) return row;
  return Value::number(static_cast<double>(rows.size()));
}

// IsEmpty(table) – function-isblank-isempty.md: a table without rows, or Blank.
Value invoke_is_empty(CallContext& ctx) { return Value::boolean(rows_of(ctx.arg(0)).empty()); }

// IsEmpty(untyped): a JSON array without elements, or null.
Value invoke_is_empty_untyped(CallContext& ctx) {
  const Value& v = ctx.arg(0);
  if (v.is_blank()) return Value::boolean(true);
  const UntypedObject& u = v.as_untyped();
  if (u.shape() == UntypedObject::Shape::Null) return Value::boolean(true);
  if (u.shape() != UntypedObject::Shape::Array) return ctx.error(ErrorKind::InvalidArgument);
  return Value::boolean(u.array_size() == 0);
}


// The two overloads of an aggregate: over a table (chosen by `.match`) and
// over separate values. Without a check, the values are numbers.
constexpr FunctionDef over_table(std::string_view name, InvokeFn invoke, CheckFn check = nullptr) {
  return {.name = name,
          .params = check ? "T@a" : "T@n",
          .returns = check ? "" : "n",
          .invoke = invoke,
          .check = check,
          .match = is_table,
          .page = "function-aggregates.md"};
}
constexpr FunctionDef over_values(std::string_view name, InvokeFn invoke, CheckFn check = nullptr) {
  return {.name = name,
          .params = check ? "a+" : "n+",
          .returns = check ? "" : "n",
          .invoke = invoke,
          .check = check,
          .blanks = BlankPolicy::Keep,
          .page = "function-aggregates.md"};
}

const FunctionDef kAggregates[] = {
    over_table("Sum", invoke_sum),
    over_values("Sum", invoke_sum),
    over_table("Average", invoke_average),
    over_values("Average", invoke_average),
    over_table("StdevP", invoke_stdevp),
    over_values("StdevP", invoke_stdevp),
    over_table("VarP", invoke_varp),
    over_values("VarP", invoke_varp),
    over_table("Min", invoke_min_max<false>, check_min_max_table),
    over_values("Min", invoke_min_max<false>, check_min_max),
    over_table("Max", invoke_min_max<true>, check_min_max_table),
    over_values("Max", invoke_min_max<true>, check_min_max),
    {.name = "Count",
     .params = "T",
     .returns = "n",
     .invoke = invoke_count,
     .check = check_count,
     .page = "function-table-counts.md"},
    {.name = "CountA",
     .params = "T",
     .returns = "n",
     .invoke = invoke_count,
     .check = check_count_a,
     .page = "function-table-counts.md"},
    {.name = "CountIf",
     .params = "T@b+",
     .returns = "n",
     .invoke = invoke_count_if,
     .page = "function-table-counts.md"},
    {.name = "CountRows",
     .params = "T",
     .returns = "n",
     .invoke = invoke_count_rows,
     .page = "function-table-counts.md"},
    {.name = "IsEmpty",
     .params = "u",
     .returns = "b",
     .invoke = invoke_is_empty_untyped,
     .match = is_untyped,
     .blanks = BlankPolicy::Keep,
     .page = "function-isblank-isempty.md"},
    {.name = "IsEmpty",
     .params = "T",
     .returns = "b",
     .invoke = invoke_is_empty,
     .page = "function-isblank-isempty.md"},
};

}  // namespace

FunctionTable aggregate_functions() { return kAggregates; }

}  // namespace canvasfx::stdlib
