// Logic and control: If, Switch, And, Or, Not, IsBlank, Blank, Coalesce,
// IsError, IfError, Error, IsBlankOrError, With, Table, Set.
// Reference pages: function-if.md, function-logicals.md, function-isblank-isempty.md,
// function-iferror.md, function-with.md, function-table.md, function-set.md.
#include <algorithm>

#include "families.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

// --- type rules -----------------------------------------------------------

// If(c1, r1, c2, r2, ..., [else]): conditions at even indexes before the last.
Type check_if(CheckContext& ctx) {
  std::vector<size_t> results;
  size_t n = ctx.arg_count();
  for (size_t i = 0; i < n; ++i) {
    bool condition = i % 2 == 0 && i + 1 < n;
    if (condition)
      ctx.coerce(i, Type::boolean());
    else
      results.push_back(i);
  }
  return unify_results(ctx, results);
}

// Switch(value, m1, r1, ..., [default])
Type check_switch(CheckContext& ctx) {
  std::vector<size_t> results;
  size_t n = ctx.arg_count();
  const Type& subject = ctx.arg_type(0);
  for (size_t i = 1; i < n; ++i) {
    bool is_match = i % 2 == 1 && i + 1 < n;
    if (!is_match) {
      results.push_back(i);
      continue;
    }
    const Type& t = ctx.arg_type(i);
    if (subject.is_aggregate() || t.is_aggregate()) {
      if (!(subject.kind() == t.kind()) && !t.is(TypeKind::Blank))
        ctx.error(ctx.arg_span(i),
                  "Incompatible types for comparison. These types can't be "
                  "compared: " +
                      subject.name() + ", " + t.name() + ".");
      continue;
    }
    if (!subject.is(TypeKind::Blank) && !subject.is(TypeKind::Unknown)) ctx.coerce(i, subject);
  }
  return unify_results(ctx, results);
}

Type check_coalesce(CheckContext& ctx) {
  std::vector<size_t> all(ctx.arg_count());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return unify_results(ctx, all, Mismatch::AtArgument);
}

Type check_blank(CheckContext&) { return Type::blank(); }

Type check_with(CheckContext& ctx) { return ctx.arg_type(1); }

// Table(record-or-table, ...): rows of records, and the rows of tables, in order.
Type check_table(CheckContext& ctx) {
  Type row = Type::empty_record();
  for (size_t i = 0; i < ctx.arg_count(); ++i) {
    const Type& t = ctx.arg_type(i);
    if (t.is(TypeKind::Blank) || t.is(TypeKind::Error) || t.is(TypeKind::Unknown)) continue;
    if (!t.is_aggregate()) {
      ctx.error(argument_error_span(ctx, i),
                "Only record or table values can be used in this context.");
      continue;
    }
    bool compatible = true;
    Type merged = union_record_type(row, t.as_record(), compatible);
    if (compatible)
      row = merged;
    else
      ctx.error(ctx.arg_span(i),
                "Incompatible type. The item you are trying to put into a "
                "table has a type that is not compatible with the table.");
  }
  return row.as_table();
}

Type check_set(CheckContext& ctx) {
  const Type& target = ctx.arg_type(0);
  const Type& value = ctx.arg_type(1);
  if (!target.is(TypeKind::Unknown) && !target.is(TypeKind::Blank) && !value.is(TypeKind::Blank)) {
    if (target.is_aggregate() != value.is_aggregate() ||
        (!target.is_aggregate() && !can_coerce(value, target)))
      ctx.error(ctx.arg_span(1), "Invalid argument type (" + value.name() + "). Expecting a " +
                                     target.name() + " value instead.");
    else if (!target.is_aggregate())
      ctx.coerce(1, target);
  }
  return Type::void_();
}

// IfError(value1, fallback1, [value2, fallback2, ...], [default]) returns the
// default (without one, the last value) or a fallback; the other values are
// only tested, so their types do not matter. The value returned when nothing
// fails comes first for the result type: IfError(1/0, 2, Time(12,0,0), 2) is a Time.
Type check_iferror(CheckContext& ctx) {
  size_t n = ctx.arg_count();
  std::vector<size_t> results = {n % 2 == 1 ? n - 1 : n - 2};
  for (size_t i = 1; i < n; i += 2) results.push_back(i);
  return unify_results(ctx, results);
}

Type iferror_scope(const Type&) { return error_scope_type(); }

// --- implementations ------------------------------------------------------

bool truthy(const Value& v) { return v.is_boolean() && v.as_boolean(); }

Value invoke_if(CallContext& ctx) {
  size_t n = ctx.arg_count();
  for (size_t i = 0; i + 1 < n; i += 2) {
    Value c = ctx.eval(i);
    if (c.is_error()) return c;
    if (truthy(c)) return conform(ctx.eval(i + 1), ctx.return_type());
  }
  return n % 2 == 1 ? conform(ctx.eval(n - 1), ctx.return_type()) : Value::blank();
}

bool switch_equal(const Value& a, const Value& b) {
  if (a.is_blank() || b.is_blank()) return a.is_blank() && b.is_blank();
  if (a.is(ValueKind::Enum) && !b.is(ValueKind::Enum)) return switch_equal(a.enum_underlying(), b);
  if (b.is(ValueKind::Enum) && !a.is(ValueKind::Enum)) return switch_equal(a, b.enum_underlying());
  return values_equal(a, b);
}

Value invoke_switch(CallContext& ctx) {
  size_t n = ctx.arg_count();
  Value subject = ctx.eval(0);
  if (subject.is_error()) return subject;
  size_t i = 1;
  for (; i + 1 < n; i += 2) {
    Value m = ctx.eval(i);
    if (m.is_error()) return m;
    if (switch_equal(subject, m)) return conform(ctx.eval(i + 1), ctx.return_type());
  }
  return i < n ? conform(ctx.eval(i), ctx.return_type()) : Value::blank();
}

Value invoke_and(CallContext& ctx) {
  for (size_t i = 0; i < ctx.arg_count(); ++i) {
    Value v = ctx.eval(i);
    if (v.is_error()) return v;
    if (!truthy(v)) return Value::boolean(false);
  }
  return Value::boolean(true);
}

Value invoke_or(CallContext& ctx) {
  for (size_t i = 0; i < ctx.arg_count(); ++i) {
    Value v = ctx.eval(i);
    if (v.is_error()) return v;
    if (truthy(v)) return Value::boolean(true);
  }
  return Value::boolean(false);
}

Value invoke_not(CallContext& ctx) { return Value::boolean(!truthy(ctx.arg(0))); }

bool is_blank_value(const Value& v) { return v.is_blank() || (v.is_text() && v.as_text().empty()); }

Value invoke_is_blank(CallContext& ctx) { return Value::boolean(is_blank_value(ctx.arg(0))); }
Value invoke_blank(CallContext&) { return Value::blank(); }

Value invoke_coalesce(CallContext& ctx) {
  for (size_t i = 0; i < ctx.arg_count(); ++i) {
    Value v = ctx.eval(i);
    if (v.is_error() || !is_blank_value(v)) return conform(v, ctx.return_type());
  }
  return Value::blank();
}

Value invoke_is_error(CallContext& ctx) { return Value::boolean(ctx.arg(0).is_error()); }
Value invoke_is_blank_or_error(CallContext& ctx) {
  const Value& v = ctx.arg(0);
  return Value::boolean(v.is_error() || is_blank_value(v));
}

Value invoke_iferror(CallContext& ctx) {
  size_t n = ctx.arg_count();
  Value last;
  for (size_t i = 0; i < n; i += 2) {
    Value v = ctx.eval(i);
    if (i == n - 1) return conform(v, ctx.return_type());  // the default result
    if (v.is_error()) return conform(ctx.eval_in_row(i + 1, error_scope_row(v)), ctx.return_type());
    last = std::move(v);
  }
  return conform(last, ctx.return_type());
}

// The message Power Fx gives an error of this kind when Error() names none.
std::string default_error_message(int kind) {
  switch (static_cast<ErrorKind>(kind)) {
    case ErrorKind::MissingRequired:
      return "Missing required field";
    case ErrorKind::CreatePermission:
      return "Create record permission denied";
    case ErrorKind::EditPermissions:
      return "Update record permission denied";
    case ErrorKind::DeletePermissions:
      return "Delete record permission denied";
    case ErrorKind::Conflict:
      return "Record update conflict, refresh record and reapply your change";
    case ErrorKind::ConstraintViolated:
      return "Validation error";
    case ErrorKind::Unknown:
    case ErrorKind::Internal:
      return "System error";
    case ErrorKind::Div0:
      return "Division by zero";
    case ErrorKind::AnalysisError:
      return "System analysis error";
    case ErrorKind::ReadPermission:
      return "Read record permission denied";
    case ErrorKind::InsufficientMemory:
      return "Insufficient memory or device storage";
    case ErrorKind::Timeout:
      return "Timeout error";
    case ErrorKind::ServiceUnavailable:
      return "Online service connection not available";
    default:
      return {};
  }
}

ErrorInfo error_from_record(const Value& record, Span span) {
  ErrorInfo info;
  info.kind = static_cast<int>(ErrorKind::Custom);
  info.span = span;
  if (const Value* kind = record.field("Kind")) {
    Value k = to_number(kind->is(ValueKind::Enum) ? kind->enum_underlying() : *kind);
    // A kind that is not a number is itself an invalid argument.
    info.kind = k.is_number() ? static_cast<int>(k.as_number())
                              : static_cast<int>(ErrorKind::InvalidArgument);
  }
  if (const Value* message = record.field("Message"))
    if (message->is_text()) info.message = message->as_text();
  if (info.message.empty()) info.message = default_error_message(info.kind);
  return info;
}

Value invoke_error(CallContext& ctx) {
  const Value& arg = ctx.arg(0);
  std::vector<ErrorInfo> errors;
  switch (arg.kind()) {
    case ValueKind::Record:
      errors.push_back(error_from_record(arg, ctx.span()));
      break;
    case ValueKind::Table:
      for (const Value& row : arg.rows())
        if (row.is_record())
          errors.push_back(error_from_record(row, ctx.span()));
        else if (row.is_error())
          for (const auto& e : row.errors()) errors.push_back(e);
      if (errors.empty()) return Value::blank();
      break;
    case ValueKind::Error:
      return arg;
    case ValueKind::Text:
      errors.push_back(ErrorInfo{static_cast<int>(ErrorKind::Custom), arg.as_text(), ctx.span()});
      break;
    case ValueKind::Number:
      errors.push_back(ErrorInfo{static_cast<int>(arg.as_number()), {}, ctx.span()});
      break;
    case ValueKind::Enum: {
      Value k = to_number(arg.enum_underlying());
      errors.push_back(
          ErrorInfo{k.is_number() ? static_cast<int>(k.as_number()) : 1000, {}, ctx.span()});
      break;
    }
    default:
      errors.push_back(ErrorInfo{static_cast<int>(ErrorKind::Custom), {}, ctx.span()});
  }
  return Value::errors(std::move(errors));
}

// With(record, formula): the formula sees the record's fields. A Blank record
// (First of an empty table) skips the formula, as Power Fx does.
Value invoke_with(CallContext& ctx) {
  const Value& scope = ctx.arg(0);
  if (!scope.is_record()) return Value::blank();
  return ctx.eval_in_row(1, scope);
}

Value invoke_table(CallContext& ctx) {
  std::vector<Value> rows;
  const Type row_type = ctx.return_type().as_record();
  for (size_t i = 0; i < ctx.arg_count(); ++i) {
    const Value& v = ctx.arg(i);
    // A Blank typed as a table has no rows; one typed as a record is a Blank row.
    if (v.is_blank() && ctx.arg_type(i).is(TypeKind::Table)) continue;
    if (v.is_table()) {
      for (const Value& row : v.rows()) rows.push_back(conform_to_type(row, row_type));
    } else {
      rows.push_back(conform_to_type(v, row_type));  // a record, or a Blank or Error row
    }
  }
  return Value::table(std::move(rows), row_type);
}

Value invoke_set(CallContext& ctx) { return ctx.assign(0, ctx.arg(1)); }

const FunctionDef kLogic[] = {
    {.name = "If",
     .params = "~a~a~a?+",
     .invoke = invoke_if,
     .check = check_if,
     .void_args = true,
     .page = "function-if.md"},
    {.name = "Switch",
     .params = "~a~a~a~a?+",
     .invoke = invoke_switch,
     .check = check_switch,
     .void_args = true,
     .page = "function-if.md"},
    {.name = "And",
     .params = "~b+",
     .returns = "b",
     .invoke = invoke_and,
     .page = "function-logicals.md"},
    {.name = "Or",
     .params = "~b+",
     .returns = "b",
     .invoke = invoke_or,
     .page = "function-logicals.md"},
    {.name = "Not",
     .params = "b",
     .returns = "b",
     .invoke = invoke_not,
     .page = "function-logicals.md"},
    {.name = "IsBlank",
     .params = "a",
     .returns = "b",
     .invoke = invoke_is_blank,
     .blanks = BlankPolicy::Keep,
     .page = "function-isblank-isempty.md"},
    {.name = "Blank",
     .params = "",
     .invoke = invoke_blank,
     .check = check_blank,
     .page = "function-isblank-isempty.md"},
    {.name = "Coalesce",
     .params = "~a+",
     .invoke = invoke_coalesce,
     .check = check_coalesce,
     .page = "function-isblank-isempty.md"},
    {.name = "IsError",
     .params = "a",
     .returns = "b",
     .invoke = invoke_is_error,
     .blanks = BlankPolicy::Keep,
     .errors = ErrorPolicy::Keep,
     .void_args = true,
     .page = "function-iferror.md"},
    {.name = "IsBlankOrError",
     .params = "a",
     .returns = "b",
     .invoke = invoke_is_blank_or_error,
     .blanks = BlankPolicy::Keep,
     .errors = ErrorPolicy::Keep,
     .page = "function-iferror.md"},
    {.name = "IfError",
     .params = "~a|@a~a?+",
     .invoke = invoke_iferror,
     .check = check_iferror,
     .scope = iferror_scope,
     .void_args = true,
     .page = "function-iferror.md"},
    {.name = "Error",
     .params = "a",
     .invoke = invoke_error,
     .check = check_blank,
     .blanks = BlankPolicy::Keep,
     .page = "function-iferror.md"},
    {.name = "With",
     .params = "r@a",
     .invoke = invoke_with,
     .check = check_with,
     .blanks = BlankPolicy::Keep,
     .void_args = true,
     .page = "function-with.md"},
    {.name = "Table",
     .params = "a?+",
     .invoke = invoke_table,
     .check = check_table,
     .blanks = BlankPolicy::Keep,
     .errors = ErrorPolicy::Keep,
     .page = "function-table.md"},
    {.name = "Set",
     .params = "va",
     .returns = "v",
     .invoke = invoke_set,
     .check = check_set,
     .blanks = BlankPolicy::Keep,
     .errors = ErrorPolicy::Keep,
     .behavior = true,
     .page = "function-set.md"},
};

}  // namespace

FunctionTable logic_functions() { return kLogic; }

}  // namespace canvasfx::stdlib
