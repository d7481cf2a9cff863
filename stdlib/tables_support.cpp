// Shared helpers of the table and record functions; see tables_support.h.
#include "tables_support.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "canvasfx/calendar.h"

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
// a plausible typo (Power Fx's "most similar name" hint).
std::optional<std::string> similar_column(const Type& row, std::string_view name) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
  for (size_t f = 0; f < row.field_count(); ++f) {
    size_t d = edit_distance(name, row.field_name(f));
    if (d < best_distance) {
      best_distance = d;
      best = row.field_name(f);
    }
  }
  return best;
}

int64_t instant_ms(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Date:
      return v.as_date() * kMsPerDay;
    case ValueKind::DateTime:
      return v.as_datetime();
    case ValueKind::Time:
      return v.as_time();
    default:
      return 0;
  }
}

const icu::Collator* collator() {
  // en-US tertiary strength: case-insensitive first, then lower case before upper.
  static thread_local std::unique_ptr<icu::Collator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> c(
        icu::Collator::createInstance(icu::Locale("en", "US"), status));
    return U_SUCCESS(status) ? std::move(c) : nullptr;
  }();
  return instance.get();
}

}  // namespace

Type row_type_of(const Type& t) {
  if (t.is(TypeKind::Table)) return t.as_record();
  if (t.is(TypeKind::Record)) return t;
  return Type::empty_record();
}

std::optional<std::string> column_name_arg(CheckContext& ctx, size_t i) {
  if (const Value* v = ctx.arg_constant(i); v && v->is_text()) return v->as_text();
  ctx.error(ctx.arg_span(i), "Argument is invalid, expected a text literal.");
  return std::nullopt;
}

const Type* require_column(CheckContext& ctx, size_t i, const Type& row, const std::string& name) {
  if (const Type* t = row.field(name)) return t;
  std::string message = "The specified column '" + name + "' does not exist.";
  if (auto similar = similar_column(row, name))
    message += " The column with the most similar name is '" + *similar + "'.";
  ctx.error(ctx.arg_span(i), std::move(message));
  return nullptr;
}

void require_predicate(CheckContext& ctx, size_t i) {
  const Type& t = ctx.arg_type(i);
  if (t.is(TypeKind::Text) || t.is_aggregate())
    ctx.error(ctx.arg_span(i),
              "Expected boolean. We expect a boolean (true/false) at this point in the formula.");
  else
    ctx.coerce(i, Type::boolean());
}

bool is_primitive(const Type& t) {
  switch (t.kind()) {
    case TypeKind::Record:
    case TypeKind::Table:
    case TypeKind::Void:
    case TypeKind::Untyped:
      return false;
    default:
      return true;
  }
}

Type table_of_results(const Type& t) {
  if (t.is(TypeKind::Record)) return t.as_table();
  return Type::table({{"Value", t}});
}

Value normalize_row(const Value& row, const Type& row_type) {
  if (!row.is_record() || row.fields().size() >= row_type.field_count()) return row;
  Fields fields = row.fields();
  for (size_t i = 0; i < row_type.field_count(); ++i)
    if (!row.field(row_type.field_name(i))) fields.emplace_back(row_type.field_name(i), Value());
  return Value::record(std::move(fields));
}

Value result_row(const Value& v, const Type& lambda_type, const Type& row_type) {
  if (lambda_type.is(TypeKind::Record)) return normalize_row(v, row_type);
  return Value::record_sorted({{"Value", v}});
}

int compare_values(const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.is(ValueKind::Enum) || b.is(ValueKind::Enum))
    return compare_values(a.is(ValueKind::Enum) ? a.enum_underlying() : a,
                          b.is(ValueKind::Enum) ? b.enum_underlying() : b);
  switch (a.kind()) {
    case ValueKind::Number:
      return sign(a.as_number(), b.is_number() ? b.as_number() : 0.0);
    case ValueKind::Boolean:
      return sign(a.as_boolean(), b.is_boolean() && b.as_boolean());
    case ValueKind::Date:
    case ValueKind::DateTime:
    case ValueKind::Time:
      return sign(instant_ms(a), instant_ms(b));
    case ValueKind::Color:
      return sign(a.as_color(), b.as_color());
    case ValueKind::Guid:
      return sign(a.as_guid(), b.as_guid());
    case ValueKind::Text: {
      if (!b.is_text()) return 0;
      const icu::Collator* c = collator();
      if (!c) return sign(a.as_text(), b.as_text());
      UErrorCode status = U_ZERO_ERROR;
      UCollationResult r = c->compare(icu::UnicodeString::fromUTF8(a.as_text()),
                                      icu::UnicodeString::fromUTF8(b.as_text()), status);
      return r == UCOL_LESS ? -1 : (r == UCOL_GREATER ? 1 : 0);
    }
    default:
      return 0;
  }
}

bool same_value(const Value& a, const Value& b) {
  if (a.is_blank() || b.is_blank()) return a.is_blank() && b.is_blank();
  if (a.kind() != b.kind()) return false;
  return values_equal(a, b);
}

bool is_descending(const Value& order) {
  const Value& v = order.is(ValueKind::Enum) ? order.enum_underlying() : order;
  return v.is_text() && v.as_text() == "descending";
}

}  // namespace canvasfx::stdlib
