#include "support.h"

namespace canvasfx::stdlib {

Type unify_results(CheckContext& ctx, const std::vector<size_t>& results) {
  Type first = Type::blank();
  for (size_t i : results) {
    const Type& t = ctx.arg_type(i);
    if (t.is(TypeKind::Blank) || t.is(TypeKind::Error)) continue;
    if (t.is(TypeKind::Unknown)) return Type::unknown();
    if (t.is(TypeKind::Void)) return Type::void_();
    if (first.is(TypeKind::Blank)) {
      first = t;
      continue;
    }
    if (first.is_aggregate() || t.is_aggregate()) {
      if (first.kind() != t.kind()) {
        ctx.error(ctx.call_span(), "Argument type mismatch. The types of all result arguments "
                                   "must agree with or be coercible to the first result argument.");
        return Type::unknown();
      }
      continue;
    }
    if (!can_coerce(t, first)) {
      ctx.error(ctx.call_span(), "Argument type mismatch. The types of all result arguments must "
                                 "agree with or be coercible to the first result argument.");
      return Type::unknown();
    }
  }
  if (!first.is_aggregate() && !first.is(TypeKind::Blank))
    for (size_t i : results) ctx.coerce(i, first);
  return first;
}

Type error_record_type() {
  return Type::record({{"Kind", Type::number()},
                       {"Message", Type::text()},
                       {"Source", Type::text()},
                       {"Observed", Type::text()}});
}

Type error_scope_type() {
  return Type::record({{"FirstError", error_record_type()},
                       {"AllErrors", error_record_type().as_table()}});
}

Value error_scope_row(const Value& error) {
  std::vector<Value> all;
  for (const auto& e : error.errors())
    all.push_back(Value::record({{"Kind", Value::number(e.kind)},
                                 {"Message", e.message.empty() ? Value() : Value::text(e.message)},
                                 {"Source", Value()},
                                 {"Observed", Value()}}));
  Value first = all.empty() ? Value() : all.front();
  return Value::record({{"FirstError", first},
                        {"AllErrors", Value::table(std::move(all), error_record_type())}});
}

}  // namespace canvasfx::stdlib
