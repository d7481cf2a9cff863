// Sorting: Sort (by a formula), SortByColumns (by columns, or by a column in
// the order of a table of values) and the SortOrder enum.
// Reference page: function-sort.md.
//
// Both compute one key per row and sort stably on the keys. Blank keys sort
// last in either direction, text sorts culture-aware (compare_values), and an
// Error key or Error row makes the result that Error.
#include <algorithm>
#include <memory>
#include <numeric>

#include "families.h"
#include "tables_support.h"

namespace canvasfx::stdlib {
namespace {

struct SortKey {
  std::vector<Value> values;  // per row
  bool descending = false;
};

// Orders `table`'s rows by `keys` (stably), or returns nothing when a key is an Error.
Value sort_rows(const Value& table, const std::vector<SortKey>& keys) {
  const auto& rows = table.rows();
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    for (const SortKey& key : keys) {
      const Value& a = key.values[x];
      const Value& b = key.values[y];
      if (a.is_blank() || b.is_blank()) {
        if (a.is_blank() != b.is_blank()) return b.is_blank();
        continue;
      }
      int c = compare_values(a, b);
      if (c != 0) return key.descending ? c > 0 : c < 0;
    }
    return false;
  });
  std::vector<Value> sorted;
  sorted.reserve(rows.size());
  for (size_t i : order) sorted.push_back(rows[i]);
  return Value::table(std::move(sorted), table.row_type());
}

// The first Error among the keys, if any.
const Value* key_error(const std::vector<SortKey>& keys) {
  for (const SortKey& key : keys)
    for (const Value& v : key.values)
      if (v.is_error()) return &v;
  return nullptr;
}

// --- Sort(table, formula [, order]) ------------------------------------------

Type check_sort(CheckContext& ctx) {
  const Type& key = ctx.arg_type(1);
  if (!is_primitive(key))
    ctx.error(ctx.arg_span(1),
              "Invalid argument type. Expecting one of the following: Number, "
              "Decimal, Text, Boolean, Date, Time, DateTime, DateTimeNoTimeZone.");
  return ctx.arg_type(0);
}

Value invoke_sort(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  std::vector<SortKey> keys(1);
  keys[0].descending = ctx.arg_count() > 2 && is_descending(ctx.arg(2));
  for (const Value& row : table.rows()) keys[0].values.push_back(ctx.eval_in_row(1, row));
  if (const Value* error = key_error(keys)) return *error;
  return sort_rows(table, keys);
}

// --- SortByColumns(table, column1 [, order1, column2, order2, ...]) ----------
// --- SortByColumns(table, column, orderValues) --------------------------------

bool order_is_table(CheckContext& ctx, size_t i) { return ctx.arg_type(i).is(TypeKind::Table); }

Type check_sort_by_columns(CheckContext& ctx) {
  const Type row = ctx.arg_type(0).as_record();
  size_t n = ctx.arg_count();
  for (size_t i = 1; i < n; ++i) {
    if (i % 2 == 1) {
      // A literal column is checked now; a text formula is looked up at run time.
      const Value* name = ctx.arg_constant(i);
      if (name && name->is_text()) require_column(ctx, i, row, name->as_text());
    } else if (order_is_table(ctx, i)) {
      if (n != 3)
        ctx.error(ctx.arg_span(i),
                  "Invalid argument type (Table). Expecting a Text "
                  "value instead.");
    } else {
      ctx.coerce(i, Type::text());
    }
  }
  return ctx.arg_type(0);
}

// The positions of a row's value in the order table: rows whose value is not
// listed (or is Blank) keep their relative order after all listed ones.
Value order_position(const Value& cell, const std::vector<Value>& listed) {
  if (cell.is_blank()) return cell;
  for (size_t i = 0; i < listed.size(); ++i)
    if (same_value(cell, listed[i])) return Value::number(static_cast<double>(i));
  return Value::blank();
}

Value invoke_sort_by_columns(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  const Type& row_type = table.row_type();
  std::vector<Value> listed;  // SortByColumns(t, column, orderValues)
  bool by_list = ctx.arg_count() == 3 && ctx.arg(2).is_table();
  if (by_list) {
    for (const Value& r : ctx.arg(2).rows()) {
      if (r.is_error()) return r;
      Value v = r.is_record() && !r.fields().empty() ? r.fields()[0].second : Value();
      if (v.is_error()) return v;
      // A value listed twice has no single position.
      if (!v.is_blank() && std::any_of(listed.begin(), listed.end(),
                                       [&](const Value& l) { return same_value(l, v); }))
        return ctx.error(ErrorKind::InvalidArgument, "Duplicate value in the order table.");
      listed.push_back(std::move(v));
    }
  }
  std::vector<SortKey> keys;
  for (size_t i = 1; i < ctx.arg_count(); i += 2) {
    const std::string column = ctx.arg(i).is_text() ? ctx.arg(i).as_text() : std::string();
    if (!row_type.field(column))
      return ctx.error(ErrorKind::InvalidFunctionUsage,
                       "The specified column '" + column + "' does not exist.");
    SortKey key;
    key.descending = !by_list && i + 1 < ctx.arg_count() && is_descending(ctx.arg(i + 1));
    for (const Value& row : table.rows()) {
      if (row.is_error()) return row;
      const Value* cell = row.field(column);
      Value v = cell ? *cell : Value();
      key.values.push_back(by_list && !v.is_error() ? order_position(v, listed) : v);
    }
    keys.push_back(std::move(key));
  }
  if (const Value* error = key_error(keys)) return *error;
  return sort_rows(table, keys);
}

const FunctionDef kSort[] = {
    {.name = "Sort",
     .params = "T@as?",
     .invoke = invoke_sort,
     .check = check_sort,
     .page = "function-sort.md"},
    {.name = "SortByColumns",
     .params = "T|ia?+",
     .invoke = invoke_sort_by_columns,
     .check = check_sort_by_columns,
     .page = "function-sort.md"},
};

}  // namespace

FunctionTable table_sort_functions() { return kSort; }

std::shared_ptr<const EnumInfo> sort_order_enum() {
  auto info = std::make_shared<EnumInfo>();
  info->name = "SortOrder";
  info->underlying = TypeKind::Text;
  info->members = {{"Ascending", Value::text("ascending")},
                   {"Descending", Value::text("descending")}};
  return info;
}

}  // namespace canvasfx::stdlib
