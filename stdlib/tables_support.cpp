// Shared helpers of the table and record functions; see tables_support.h.
#include "tables_support.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "canvasfx/calendar.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

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
  ctx.error(ctx.arg_span(i), missing_column(row, name));
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
