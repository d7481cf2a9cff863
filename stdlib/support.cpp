#include "support.h"

#include <algorithm>

namespace canvasfx::stdlib {

namespace {

std::string type_label(const Type& t) {
  if (t.is(TypeKind::Enum) && t.enum_info()) return "Enum (" + t.enum_info()->name + ")";
  return t.name();
}

// The union of two record (or table) types' fields; the first wins a conflict.
Type merge_fields(const Type& a, const Type& b) {
  Type merged = a;
  for (size_t i = 0; i < b.field_count(); ++i)
    if (!merged.field(b.field_name(i)))
      merged = merged.with_field(b.field_name(i), b.field_type(i));
  return merged;
}

}  // namespace

Type unify_results(CheckContext& ctx, const std::vector<size_t>& results, Mismatch report) {
  Type first = Type::blank();
  bool mismatch = false;
  for (size_t i : results) {
    const Type& t = ctx.arg_type(i);
    if (t.is(TypeKind::Blank) || t.is(TypeKind::Error)) continue;
    if (t.is(TypeKind::Unknown)) return Type::unknown();
    if (t.is(TypeKind::Void)) return Type::void_();
    if (first.is(TypeKind::Blank)) {
      first = t;
      continue;
    }
    bool fits =
        first.is_aggregate() || t.is_aggregate() ? first.kind() == t.kind() : can_coerce(t, first);
    if (fits && first.is_aggregate()) {
      if (first.sealed() || t.sealed()) {
        // A sealed (system) record only unions with its own columns or an empty record.
        Type u = union_record_type(first.as_record(), t.as_record(), fits);
        if (fits) first = first.is(TypeKind::Table) ? u.as_table() : u;
      } else {
        first = merge_fields(first, t);
      }
    }
    if (fits) continue;
    if (ctx.behavior()) return Type::void_();
    mismatch = true;
    if (report == Mismatch::AtCall) {
      ctx.error(ctx.call_span(),
                "Argument type mismatch. The types of all result arguments must "
                "agree with or be coercible to the first result argument.");
      return Type::unknown();
    }
    ctx.error(ctx.arg_span(i), "Invalid argument type (" + type_label(t) + "). Expecting a " +
                                   type_label(first) + " value instead.");
  }
  if (mismatch) return Type::unknown();
  if (!first.is_aggregate() && !first.is(TypeKind::Blank))
    for (size_t i : results) ctx.coerce(i, first);
  return first;
}

Value conform(const Value& v, const Type& type) {
  // Errors still surface through a Void result (IsError(If(c, {x:1}, 1/0)) is true).
  if (type.is(TypeKind::Void)) return v.is_error() ? v : Value::void_();
  if (v.is_record() && type.is(TypeKind::Record) && v.fields().size() < type.field_count()) {
    Fields fields = v.fields();
    for (size_t i = 0; i < type.field_count(); ++i)
      if (!v.field(type.field_name(i))) fields.emplace_back(type.field_name(i), Value());
    return Value::record(std::move(fields));
  }
  if (v.is_table() && type.is(TypeKind::Table) && !v.source()) {
    Type row = type.as_record();
    std::vector<Value> rows;
    rows.reserve(v.rows().size());
    for (const Value& r : v.rows()) rows.push_back(conform(r, row));
    return Value::table(std::move(rows), row);
  }
  return v;
}

Type error_record_type() {
  return Type::record({{"Kind", Type::number()},
                       {"Message", Type::text()},
                       {"Source", Type::text()},
                       {"Observed", Type::text()}});
}

Type error_scope_type() {
  return Type::record(
      {{"FirstError", error_record_type()}, {"AllErrors", error_record_type().as_table()}});
}

Value error_scope_row(const Value& error) {
  std::vector<Value> all;
  for (const auto& e : error.errors())
    all.push_back(Value::record({{"Kind", Value::number(e.kind)},
                                 {"Message", e.message.empty() ? Value() : Value::text(e.message)},
                                 {"Source", Value()},
                                 {"Observed", Value()}}));
  Value first = all.empty() ? Value() : all.front();
  return Value::record(
      {{"FirstError", first}, {"AllErrors", Value::table(std::move(all), error_record_type())}});
}

void append_text(const CallContext& ctx, std::string& out, std::string_view piece) {
  size_t needed = out.size() + piece.size();
  if (needed > out.capacity()) {
    size_t grown = std::max(needed, 2 * out.capacity());
    ctx.require_memory(grown);
    out.reserve(grown);
  }
  out += piece;
}

}  // namespace canvasfx::stdlib
