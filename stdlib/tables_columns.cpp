// Table shaping: AddColumns, DropColumns, RenameColumns, ShowColumns, each
// with a table overload (every row) and a record overload (that record).
// Reference page: function-table-shaping.md.
//
// Column names are `i` parameters: text literals, or identifiers with
// SupportColumnNamesAsIdentifiers. The type rule applies the operations one by
// one to the row type, reporting Power Fx's messages, and hands the final
// row type to the implementation, which replays the same operations on values.
#include <algorithm>

#include "families.h"
#include "tables_support.h"

namespace canvasfx::stdlib {
namespace {

bool is_record_arg(const Type& t) { return t.is(TypeKind::Record); }
bool is_table_arg(const Type& t) { return !t.is(TypeKind::Record); }

// The shaped row type, or the record type itself for the record overloads.
Type shaped(CheckContext& ctx, const Type& row) {
  return ctx.arg_type(0).is(TypeKind::Record) ? row : row.as_table();
}

// A sealed source (the `User` system record, or a table of them) takes no new
// column names: reports `action` ("add columns to") and returns false.
bool require_unsealed(CheckContext& ctx, const Type& source, const std::string& action) {
  if (!source.sealed()) return true;
  ctx.error(ctx.arg_span(0), "Can't " + action +
                                 " a system record or table of system records. "
                                 "Use ShowColumns to extract the specific columns you need first.");
  return false;
}

// AddColumns(source, name1, formula1 [, name2, formula2, ...])
Type check_add_columns(CheckContext& ctx) {
  const Type source = row_type_of(ctx.arg_type(0));
  if (!require_unsealed(ctx, source, "add columns to")) return shaped(ctx, source);
  Type row = source;
  for (size_t i = 1; i + 1 < ctx.arg_count(); i += 2) {
    auto name = column_name_arg(ctx, i);
    if (!name) continue;
    if (source.field(*name))
      ctx.warning(ctx.arg_span(i), "A column named '" + *name + "' already exists.");
    else if (row.field(*name))
      ctx.warning(ctx.arg_span(i), "Column name conflict for '" + *name + "'.");
    else
      row = row.with_field(*name, ctx.arg_type(i + 1));
  }
  return shaped(ctx, row);
}

// DropColumns(source, name1 [, name2, ...])
Type check_drop_columns(CheckContext& ctx) {
  Type row = row_type_of(ctx.arg_type(0));
  for (size_t i = 1; i < ctx.arg_count(); ++i) {
    auto name = column_name_arg(ctx, i);
    if (name && require_column(ctx, i, row, *name)) row = row.without_field(*name);
  }
  return shaped(ctx, row);
}

// RenameColumns(source, old1, new1 [, old2, new2, ...])
Type check_rename_columns(CheckContext& ctx) {
  Type row = row_type_of(ctx.arg_type(0));
  if (!require_unsealed(ctx, row, "rename columns of")) return shaped(ctx, row);
  for (size_t i = 1; i + 1 < ctx.arg_count(); i += 2) {
    auto from = column_name_arg(ctx, i);
    auto to = column_name_arg(ctx, i + 1);
    if (!from || !to) continue;
    const Type* column = require_column(ctx, i, row, *from);
    if (!column || *from == *to) continue;
    if (row.field(*to)) {
      ctx.error(ctx.arg_span(i + 1), "A column named '" + *to + "' already exists.");
      continue;
    }
    Type t = *column;
    row = row.without_field(*from).with_field(*to, t);
  }
  return shaped(ctx, row);
}

// ShowColumns(source, name1 [, name2, ...])
Type check_show_columns(CheckContext& ctx) {
  const Type source = row_type_of(ctx.arg_type(0));
  std::vector<std::pair<std::string, Type>> kept;
  for (size_t i = 1; i < ctx.arg_count(); ++i) {
    auto name = column_name_arg(ctx, i);
    if (!name) continue;
    if (const Type* t = require_column(ctx, i, source, *name)) kept.emplace_back(*name, *t);
  }
  return shaped(ctx, Type::record(std::move(kept)));
}

// --- implementations ------------------------------------------------------

// Applies `shape` to the record argument, or to every record row of the table
// argument (Blank and Error rows stay as they are).
template <typename Shape>
Value shape_rows(CallContext& ctx, Shape shape) {
  const Value& source = ctx.arg(0);
  if (source.is_record()) return shape(source);
  if (!source.is_table()) return source;
  std::vector<Value> rows;
  rows.reserve(source.rows().size());
  for (const Value& row : source.rows()) rows.push_back(row.is_record() ? shape(row) : row);
  return Value::table(std::move(rows), ctx.return_type().as_record());
}

Value invoke_add_columns(CallContext& ctx) {
  return shape_rows(ctx, [&](const Value& row) {
    Fields fields = row.fields();
    for (size_t i = 1; i + 1 < ctx.arg_count(); i += 2)
      fields.emplace_back(ctx.arg(i).as_text(), ctx.eval_in_row(i + 1, row));
    return Value::record(std::move(fields));
  });
}

// The fields of `row` that the result's row type keeps, under their new names.
Value keep_fields(const Value& row, const Type& result_row,
                  const std::vector<std::pair<std::string, std::string>>& renames) {
  Fields fields;
  for (const auto& [name, value] : row.fields()) {
    std::string target = name;
    for (const auto& [from, to] : renames)
      if (target == from) target = to;
    if (result_row.field(target)) fields.emplace_back(std::move(target), value);
  }
  return Value::record(std::move(fields));
}

Type result_row_of(CallContext& ctx) {
  const Type& t = ctx.return_type();
  return t.is(TypeKind::Table) ? t.as_record() : t;
}

// DropColumns and ShowColumns: keep what the checked result type has.
Value invoke_project(CallContext& ctx) {
  const Type row = result_row_of(ctx);
  return shape_rows(ctx, [&](const Value& r) { return keep_fields(r, row, {}); });
}

Value invoke_rename_columns(CallContext& ctx) {
  const Type row = result_row_of(ctx);
  std::vector<std::pair<std::string, std::string>> renames;
  for (size_t i = 1; i + 1 < ctx.arg_count(); i += 2)
    renames.emplace_back(ctx.arg(i).as_text(), ctx.arg(i + 1).as_text());
  return shape_rows(ctx, [&](const Value& r) { return keep_fields(r, row, renames); });
}

const FunctionDef kColumns[] = {
    {.name = "AddColumns",
     .params = "T|i@a+",
     .invoke = invoke_add_columns,
     .check = check_add_columns,
     .match = is_table_arg,
     .page = "function-table-shaping.md"},
    {.name = "AddColumns",
     .params = "r|i@a+",
     .invoke = invoke_add_columns,
     .check = check_add_columns,
     .match = is_record_arg,
     .page = "function-table-shaping.md"},
    {.name = "DropColumns",
     .params = "T|i+",
     .invoke = invoke_project,
     .check = check_drop_columns,
     .match = is_table_arg,
     .page = "function-table-shaping.md"},
    {.name = "DropColumns",
     .params = "r|i+",
     .invoke = invoke_project,
     .check = check_drop_columns,
     .match = is_record_arg,
     .page = "function-table-shaping.md"},
    {.name = "RenameColumns",
     .params = "T|ii+",
     .invoke = invoke_rename_columns,
     .check = check_rename_columns,
     .match = is_table_arg,
     .page = "function-table-shaping.md"},
    {.name = "RenameColumns",
     .params = "r|ii+",
     .invoke = invoke_rename_columns,
     .check = check_rename_columns,
     .match = is_record_arg,
     .page = "function-table-shaping.md"},
    {.name = "ShowColumns",
     .params = "T|i+",
     .invoke = invoke_project,
     .check = check_show_columns,
     .match = is_table_arg,
     .page = "function-table-shaping.md"},
    {.name = "ShowColumns",
     .params = "r|i+",
     .invoke = invoke_project,
     .check = check_show_columns,
     .match = is_record_arg,
     .page = "function-table-shaping.md"},
};

}  // namespace

FunctionTable table_column_functions() { return kColumns; }

}  // namespace canvasfx::stdlib
