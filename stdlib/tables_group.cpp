// Grouping: Summarize. Reference page: function-summarize.md.
//
// Summarize(table, groupColumn1 [, groupColumn2, ...], formula1 As name1, ...)
// groups the rows by the values of the group columns, in order of first
// appearance, and evaluates each named formula once per group with the
// group's first row in scope plus `ThisGroup`, the table of the group's rows.
// Named arguments reach the check through CheckContext::arg_name
// (FunctionDef::named_args); the check passes each argument's name (empty for
// group columns) to the implementation as the payload.
#include <algorithm>
#include <memory>
#include <optional>

#include "families.h"
#include "tables_support.h"

namespace canvasfx::stdlib {
namespace {

constexpr const char* kThisGroup = "ThisGroup";

using ArgNames = std::vector<std::string>;

Type summarize_scope(const Type& source) {
  Type row = row_type_of(source);
  if (row.field(kThisGroup)) return row;  // reported by the check
  return row.with_field(kThisGroup, row.as_table());
}

Type check_summarize(CheckContext& ctx) {
  const Type row = row_type_of(ctx.arg_type(0));
  if (!ctx.arg_name(0).empty())
    ctx.error(ctx.arg_name_span(0),
              "Scoping the data source (usage of 'As' keyword) is not supported.");
  if (row.field(kThisGroup))
    ctx.error(ctx.arg_span(0),
              "The data source contains a column named 'ThisGroup', which conflicts with a "
              "reserved name. Use the 'RenameColumns' function to pick a different name.");
  auto names = std::make_shared<ArgNames>(ctx.arg_count());
  std::vector<std::pair<std::string, Type>> fields;
  auto add_field = [&](Span span, const std::string& name, const Type& t) {
    for (const auto& f : fields)
      if (f.first == name) {
        ctx.error(span, "Column name conflict for '" + name + "'.");
        return;
      }
    if (!is_primitive(t))
      ctx.error(span, "Expected a text, numeric, boolean, or date/time value.");
    fields.emplace_back(name, t);
  };
  bool grouped = false;
  std::optional<Span> first_formula;
  for (size_t i = 1; i < ctx.arg_count(); ++i) {
    std::string name(ctx.arg_name(i));
    if (!name.empty()) {
      (*names)[i] = name;
      if (!first_formula) first_formula = ctx.arg_name_span(i);
      add_field(ctx.arg_name_span(i), name, ctx.arg_type(i));
      continue;
    }
    auto column = column_name_arg(ctx, i);
    if (!column) continue;
    if (*column == kThisGroup) {
      ctx.error(ctx.arg_span(i), "Column 'ThisGroup' conflicts with a reserved name. Use the "
                                 "'RenameColumns' function to pick a different name.");
      continue;
    }
    if (const Type* t = require_column(ctx, i, row, *column)) {
      grouped = true;
      add_field(ctx.arg_span(i), *column, *t);
    }
  }
  if (!grouped)
    ctx.error(first_formula.value_or(ctx.call_span()),
              "Summarize requires at least one grouping column.");
  ctx.set_payload(names);
  return Type::table(std::move(fields));
}

struct Group {
  std::vector<Value> key;
  std::vector<Value> rows;
};

// Summarize(table, groupColumns..., formula As name, ...) – function-summarize.md
Value invoke_summarize(CallContext& ctx) {
  const Value& table = ctx.arg(0);
  if (!table.is_table()) return table;
  const auto& names = *static_cast<const ArgNames*>(ctx.payload());
  std::vector<std::string> columns;
  for (size_t i = 1; i < ctx.arg_count(); ++i)
    if (names[i].empty()) columns.push_back(ctx.arg(i).as_text());
  std::vector<Group> groups;
  for (const Value& row : table.rows()) {
    if (row.is_error()) return row;
    if (!row.is_record()) continue;
    std::vector<Value> key;
    for (const auto& c : columns) {
      const Value* cell = row.field(c);
      key.push_back(cell ? *cell : Value());
    }
    auto same_key = [&](const Group& g) {
      for (size_t k = 0; k < key.size(); ++k)
        if (!same_value(g.key[k], key[k])) return false;
      return true;
    };
    auto it = std::find_if(groups.begin(), groups.end(), same_key);
    if (it == groups.end()) it = groups.insert(groups.end(), Group{std::move(key), {}});
    it->rows.push_back(row);
  }
  std::vector<Value> out;
  out.reserve(groups.size());
  for (Group& g : groups) {
    Fields scope = g.rows.front().fields();
    scope.emplace_back(kThisGroup, Value::table(g.rows, table.row_type()));
    Value scope_row = Value::record(std::move(scope));
    Fields fields;
    for (size_t k = 0; k < columns.size(); ++k) fields.emplace_back(columns[k], g.key[k]);
    for (size_t i = 1; i < ctx.arg_count(); ++i)
      if (!names[i].empty()) fields.emplace_back(names[i], ctx.eval_in_row(i, scope_row));
    out.push_back(Value::record(std::move(fields)));
  }
  return Value::table(std::move(out), ctx.return_type().as_record());
}

const FunctionDef kGroup[] = {
    {.name = "Summarize", .params = "T|i+", .invoke = invoke_summarize,
     .check = check_summarize, .scope = summarize_scope, .named_args = true,
     .page = "function-summarize.md"},
};

}  // namespace

FunctionTable table_group_functions() { return kGroup; }

}  // namespace canvasfx::stdlib
