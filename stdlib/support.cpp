#include "support.h"

#include <algorithm>
#include <optional>

namespace canvasfx::stdlib {

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The column of `row` whose name is closest to `name`, when close enough to be
// a plausible typo: at most half the name's characters differ ('surname' and
// 'name'; 'a' and 'b').
std::optional<std::string> similar_column(const Type& row, std::string_view name) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(1, name.size() / 2) + 1;
  for (size_t f = 0; f < row.field_count(); ++f) {
    size_t d = edit_distance(name, row.field_name(f));
    if (d < best_distance) {
      best_distance = d;
      best = row.field_name(f);
    }
  }
  return best;
}

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
    // A Void result is fine in behavior formulas; elsewhere the binder reports it
    // at the argument, and the call is not typed further.
    if (t.is(TypeKind::Void)) return ctx.behavior() ? Type::void_() : Type::unknown();
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
    // Results that cannot unify make a Void result: nobody can use the value
    // (the binder reports that where it is used, outside behavior formulas).
    if (report == Mismatch::AtCall) return Type::void_();
    mismatch = true;
    ctx.error(ctx.arg_span(i), "Invalid argument type (" + type_label(t) + "). Expecting a " +
                                   type_label(first) + " value instead.");
  }
  if (mismatch) return Type::unknown();
  if (!first.is_aggregate() && !first.is(TypeKind::Blank))
    for (size_t i : results) ctx.coerce(i, first);
  return first;
}

bool is_untyped(const Type& t) { return t.is(TypeKind::Untyped); }

Span argument_error_span(CheckContext& ctx, size_t i) {
  Span token = ctx.arg_name_span(i), whole = ctx.arg_span(i);
  return token.min == whole.min ? whole : token;
}

std::string missing_column(const Type& row, const std::string& name) {
  std::string message = "The specified column '" + name + "' does not exist.";
  if (auto similar = similar_column(row, name))
    message += " The column with the most similar name is '" + *similar + "'.";
  return message;
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

// FirstError and AllErrors are system records: they take no new columns
// until ShowColumns picks some out.
Type error_scope_type() {
  Type error = error_record_type().as_sealed();
  return Type::record({{"FirstError", error}, {"AllErrors", error.as_table()}});
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

}  // namespace canvasfx::stdlib
