// Grouping and joining: Summarize (function-summarize.md) and Join (no
// reference page: its semantics come from the Join tests).
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

// The formulas see the group columns (wherever they are among the arguments)
// and ThisGroup, not the other columns: those differ within a group.
Type summarize_scope(std::span<const ScopeArg> args) {
  const Type row = row_type_of(args[0].type);
  if (row.field(kThisGroup)) return row;  // reported by the check
  std::vector<std::pair<std::string, Type>> fields;
  for (const ScopeArg& arg : args.subspan(1)) {
    if (arg.lambda || !arg.constant || !arg.constant->is_text()) continue;
    const std::string& column = arg.constant->as_text();
    if (const Type* t = row.field(column)) fields.emplace_back(column, *t);
  }
  fields.emplace_back(kThisGroup, row.as_table());
  return Type::record(std::move(fields));
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
    if (!is_primitive(t)) ctx.error(span, "Expected a text, numeric, boolean, or date/time value.");
    fields.emplace_back(name, t);
  };
  bool grouped = false;
  std::optional<Span> first_formula;
  for (size_t i = 1; i < ctx.arg_count(); ++i) {
    std::string name(ctx.arg_name(i));
    if (!name.empty()) {
      (*names)[i] = name;
      // A bare group column is no formula: it would repeat the column.
      const auto path = ctx.arg_scope_path(i);
      if (path.names.size() == 1 && path.names[0] != kThisGroup) {
        ctx.error(ctx.arg_name_span(i),
                  "Summarize arguments must be either existing column names to group by or "
                  "formulas named with the 'As' keyword.");
        continue;
      }
      if (!first_formula) first_formula = ctx.arg_name_span(i);
      add_field(ctx.arg_name_span(i), name, ctx.arg_type(i));
      continue;
    }
    auto column = column_name_arg(ctx, i);
    if (!column) continue;
    if (*column == kThisGroup) {
      ctx.error(ctx.arg_span(i),
                "Column 'ThisGroup' conflicts with a reserved name. Use the "
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
    Fields fields;
    for (size_t k = 0; k < columns.size(); ++k) fields.emplace_back(columns[k], g.key[k]);
    Fields scope = fields;
    scope.emplace_back(kThisGroup, Value::table(g.rows, table.row_type()));
    Value scope_row = Value::record(std::move(scope));
    for (size_t i = 1; i < ctx.arg_count(); ++i)
      if (!names[i].empty()) fields.emplace_back(names[i], ctx.eval_in_row(i, scope_row));
    out.push_back(Value::record(std::move(fields)));
  }
  return Value::table(std::move(out), ctx.return_type().as_record());
}

// --- Join -------------------------------------------------------------------

constexpr const char* kLeftRecord = "LeftRecord";
constexpr const char* kRightRecord = "RightRecord";

// The names the lambdas give the two tables' rows: `As` on a table, or the defaults.
std::string join_scope_name(std::string_view as_name, const char* fallback) {
  return as_name.empty() ? std::string(fallback) : std::string(as_name);
}

// Join's lambdas see one record holding the left and the right row.
Type join_scope(std::span<const ScopeArg> args) {
  return Type::record(
      {{join_scope_name(args[0].as_name, kLeftRecord), row_type_of(args[0].type)},
       {join_scope_name(args[1].as_name, kRightRecord), row_type_of(args[1].type)}});
}

// One column of the result: `column` of the left or right row, named `name`.
struct JoinColumn {
  bool right;
  std::string column;
  std::string name;
};

struct JoinPlan {
  std::string left, right;  // the scope names
  std::vector<JoinColumn> columns;
};

// The result has the left table's columns (renamed by `LeftRecord.a As b`) and
// the right columns the arguments from the 5th on name (`RightRecord.c As c`).
Type check_join(CheckContext& ctx) {
  auto plan = std::make_shared<JoinPlan>();
  plan->left = join_scope_name(ctx.arg_name(0), kLeftRecord);
  plan->right = join_scope_name(ctx.arg_name(1), kRightRecord);
  const Type rows[2] = {row_type_of(ctx.arg_type(0)), row_type_of(ctx.arg_type(1))};
  require_predicate(ctx, 2);
  for (size_t f = 0; f < rows[0].field_count(); ++f)
    plan->columns.push_back({false, rows[0].field_name(f), rows[0].field_name(f)});
  bool right_declared = false;
  for (size_t i = 4; i < ctx.arg_count(); ++i) {
    const auto path = ctx.arg_scope_path(i);
    std::string name(ctx.arg_name(i));
    if (name.empty()) {
      ctx.error(path.names.empty() ? ctx.arg_span(i) : path.span,
                "Arguments starting from the 5th position are meant to rename columns and are "
                "expected to be 'As' node arguments i.e " +
                    plan->left + ".Name As NewName.");
      continue;
    }
    if (path.names.size() != 2 || (path.names[0] != plan->left && path.names[0] != plan->right)) {
      ctx.error(ctx.arg_name_span(i),
                "The value is invalid in this context. It should be a "
                "reference to either '" +
                    plan->left + "' or '" + plan->right + "' scope name.");
      continue;
    }
    const bool right = path.names[0] == plan->right;
    const std::string& column = path.names[1];
    if (!right)
      std::erase_if(plan->columns,
                    [&](const JoinColumn& c) { return !c.right && c.column == column; });
    if (std::any_of(plan->columns.begin(), plan->columns.end(),
                    [&](const JoinColumn& c) { return c.name == name; })) {
      ctx.error(ctx.arg_name_span(i), "'" + path.names[0] + "." + column + " As " + name +
                                          "' can not be added/renamed due to colission with "
                                          "another column with same name.");
      continue;
    }
    right_declared = right_declared || right;
    plan->columns.push_back({right, column, name});
  }
  if (!right_declared)
    ctx.error(
        ctx.arg_name(0).empty() ? ctx.arg_span(0) : ctx.arg_name_span(0),
        "At least one '" + plan->right + "' column must be declared to compose the join result.");
  std::vector<std::pair<std::string, Type>> fields;
  for (const JoinColumn& c : plan->columns)
    if (const Type* t = rows[c.right ? 1 : 0].field(c.column)) fields.emplace_back(c.name, *t);
  ctx.set_payload(plan);
  return Type::table(std::move(fields));
}

// Join(left, right, predicate, JoinType, RightRecord.c As name, ...) – Join's tests
// (no reference page): every pair of rows the predicate accepts gives a row, in
// left-then-right order; Left/Full add the unmatched left rows (right columns
// Blank) in place, Right/Full the unmatched right rows at the end. A pair whose
// predicate fails is an Error row, and counts as a match.
Value invoke_join(CallContext& ctx) {
  const Value& left = ctx.arg(0);
  const Value& right = ctx.arg(1);
  if (!left.is_table()) return left;
  if (!right.is_table()) return right;
  const Value& kind = ctx.arg(3).is(ValueKind::Enum) ? ctx.arg(3).enum_underlying() : ctx.arg(3);
  const std::string type = kind.is_text() ? kind.as_text() : std::string();
  if (type != "Inner" && type != "Left" && type != "Right" && type != "Full")
    return ctx.error(ErrorKind::InvalidArgument);
  const bool keep_left = type == "Left" || type == "Full";
  const bool keep_right = type == "Right" || type == "Full";
  const auto& plan = *static_cast<const JoinPlan*>(ctx.payload());
  const Type row_type = ctx.return_type().as_record();
  std::vector<Value> out;
  auto emit = [&](const Value& l, const Value& r) {
    Fields fields;
    for (const JoinColumn& c : plan.columns) {
      const Value& source = c.right ? r : l;
      const Value* cell = source.is_record() ? source.field(c.column) : nullptr;
      fields.emplace_back(c.name, cell ? *cell : Value());
    }
    out.push_back(Value::record(std::move(fields)));
  };
  const auto& right_rows = right.rows();
  std::vector<bool> right_matched(right_rows.size());
  for (const Value& l : left.rows()) {
    if (l.is_error()) {
      out.push_back(l);
      continue;
    }
    bool matched = false;
    for (size_t j = 0; j < right_rows.size(); ++j) {
      const Value& r = right_rows[j];
      Value accepted =
          r.is_error() ? r : ctx.eval_in_row(2, Value::record({{plan.left, l}, {plan.right, r}}));
      if (accepted.is_error()) {
        out.push_back(std::move(accepted));
      } else if (accepted.is_boolean() && accepted.as_boolean()) {
        emit(l, r);
      } else {
        continue;
      }
      matched = true;
      right_matched[j] = true;
    }
    if (!matched && keep_left) emit(l, Value());
  }
  if (keep_right)
    for (size_t j = 0; j < right_rows.size(); ++j)
      if (!right_matched[j]) emit(Value(), right_rows[j]);
  return Value::table(std::move(out), row_type);
}

}  // namespace

std::shared_ptr<const EnumInfo> join_type_enum() {
  auto info = std::make_shared<EnumInfo>();
  info->name = "JoinType";
  info->underlying = TypeKind::Text;
  for (const char* member : {"Inner", "Left", "Right", "Full"})
    info->members.emplace_back(member, Value::text(member));
  return info;
}

namespace {

const FunctionDef kGroup[] = {
    {.name = "Summarize",
     .params = "T|i+",
     .invoke = invoke_summarize,
     .check = check_summarize,
     .scope_args = summarize_scope,
     .named_args = true,
     .page = "function-summarize.md"},
    {.name = "Join",
     .params = "TT@be@a+",
     .invoke = invoke_join,
     .check = check_join,
     .scope_args = join_scope,
     .named_args = true},
};

}  // namespace

FunctionTable table_group_functions() { return kGroup; }

}  // namespace canvasfx::stdlib
