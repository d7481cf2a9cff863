// The evaluator: one switch over IR node kinds.
//
// Types were settled by the binder; this file only computes. Blank and Error
// are values: an operator whose operand is an Error returns that Error, and a
// function's blank/error policy is applied here, once, before every call.
#include <cmath>
#include <chrono>
#include <random>

#include "bind/params.h"
#include "canvasfx/calendar.h"
#include "canvasfx/coerce.h"
#include "engine/engine_impl.h"
#include "canvasfx/timezone.h"
#include "canvasfx/unicode.h"

namespace canvasfx {
namespace {

using ir::Node;
using ir::Op;

class Evaluator;

class Call final : public CallContext {
 public:
  Call(Evaluator& ev, const Node& node) : ev_(ev), node_(node) {}
  size_t arg_count() const override { return node_.kids.size(); }
  const Value& arg(size_t i) const override { return args_[i]; }
  Value eval(size_t i) override;
  Value eval_in_row(size_t i, const Value& row) override;
  const Type& arg_type(size_t i) const override { return node_.kids[i]->type; }
  const Type& return_type() const override { return node_.type; }
  Span span() const override { return node_.span; }
  Span arg_span(size_t i) const override { return node_.kids[i]->span; }
  const void* payload() const override { return node_.payload.get(); }
  const Features& features() const override;
  Value assign(size_t i, Value value) override;
  double random() override;
  int64_t now_utc_ms() override;
  int utc_offset_minutes(int64_t wall_ms) override;
  const std::string& time_zone() const override;
  bool behavior() const override;
  Value call_host(std::string_view handler, std::span<const Value> args) override;

  std::vector<Value> args_;

 private:
  Evaluator& ev_;
  const Node& node_;
};

class Evaluator {
 public:
  Evaluator(Engine::Impl& engine, bool behavior) : engine_(engine), behavior_(behavior) {}

  Value eval(const Node& n) {
    switch (n.op) {
      case Op::Constant: return n.constant;
      case Op::Global: return global(n.slot);
      case Op::ScopeRecord: return scope_row(n.depth);
      case Op::ScopeField: {
        const Value& row = scope_row(n.depth);
        if (row.is_error()) return row;
        const Value* f = row.field(n.name);
        return f ? *f : Value::blank();
      }
      case Op::Field: return field(eval(*n.kids[0]), n);
      case Op::Negate: {
        Value v = eval(*n.kids[0]);
        if (v.is_error()) return v;
        if (v.is(ValueKind::Time)) return Value::time(-v.as_time());
        return Value::number(-number(v));
      }
      case Op::Percent: {
        Value v = eval(*n.kids[0]);
        if (v.is_error()) return v;
        return Value::number(number(v) / 100);
      }
      case Op::Not: {
        Value v = eval(*n.kids[0]);
        if (v.is_error()) return v;
        return Value::boolean(!(v.is_boolean() && v.as_boolean()));
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div:
      case Op::Power: return arithmetic(n);
      case Op::DateArith: return date_arithmetic(n);
      case Op::Concat: {
        std::string out;
        for (const auto& kid : n.kids) {
          Value v = eval(*kid);
          if (v.is_error()) return v;
          if (v.is_text()) out += v.as_text();
        }
        return Value::text(std::move(out));
      }
      case Op::And:
      case Op::Or: {
        bool is_and = n.op == Op::And;
        Value l = eval(*n.kids[0]);
        if (l.is_error()) return l;
        bool lb = l.is_boolean() && l.as_boolean();
        if (is_and ? !lb : lb) return Value::boolean(!is_and);
        Value r = eval(*n.kids[1]);
        if (r.is_error()) return r;
        return Value::boolean(r.is_boolean() && r.as_boolean());
      }
      case Op::Compare: return compare(n);
      case Op::InText:
      case Op::ExactInText: {
        Value l = eval(*n.kids[0]);
        if (l.is_error()) return l;
        Value r = eval(*n.kids[1]);
        if (r.is_error()) return r;
        const std::string& needle = l.as_text();
        const std::string& hay = r.as_text();
        if (n.op == Op::ExactInText) return Value::boolean(hay.find(needle) != std::string::npos);
        return Value::boolean(text_contains_ignore_case(hay, needle));
      }
      case Op::InTable:
      case Op::ExactInTable: return in_table(n);
      case Op::Coerce: {
        Value v = eval(*n.kids[0]);
        return coerce_to(v, n.type.kind(), n.span);
      }
      case Op::MakeRecord: {
        Fields fields;
        fields.reserve(n.kids.size());
        for (size_t i = 0; i < n.kids.size(); ++i) fields.emplace_back(n.names[i], eval(*n.kids[i]));
        return Value::record(std::move(fields));
      }
      case Op::MakeTable: return make_table(n);
      case Op::Call: return call(n);
      case Op::Chain: {
        Value last = Value::void_();
        for (const auto& kid : n.kids) last = eval(*kid);
        return last;
      }
    }
    return Value::blank();
  }

  Value eval_in_row(const Node& n, const Value& row) {
    scopes_.push_back(row);
    Value v = eval(n);
    scopes_.pop_back();
    return v;
  }

  Engine::Impl& engine() { return engine_; }
  bool behavior() const { return behavior_; }

  Value global(size_t slot) {
    if (slot >= engine_.symbols.size()) return Value::blank();
    Symbol& s = engine_.symbols[slot];
    if (s.getter) return s.getter();
    return s.value;
  }

  // Fills missing fields of rows with Blank so every row has the table's columns.
  static Value normalize_row(const Value& row, const Type& row_type) {
    if (!row.is_record() || row.fields().size() == row_type.field_count()) return row;
    Fields fields = row.fields();
    for (size_t i = 0; i < row_type.field_count(); ++i)
      if (!row.field(row_type.field_name(i))) fields.emplace_back(row_type.field_name(i), Value());
    return Value::record(std::move(fields));
  }

 private:
  friend class Call;

  const Value& scope_row(int depth) {
    static const Value kBlank;
    if (depth >= static_cast<int>(scopes_.size())) return kBlank;
    return scopes_[scopes_.size() - 1 - depth];
  }

  static double number(const Value& v) { return v.is_number() ? v.as_number() : 0; }

  Value field(const Value& object, const Node& n) {
    switch (object.kind()) {
      case ValueKind::Error:
      case ValueKind::Blank: return object;
      case ValueKind::Record: {
        const Value* f = object.field(n.name);
        return f ? *f : Value::blank();
      }
      case ValueKind::Table: {
        std::vector<Value> rows;
        rows.reserve(object.rows().size());
        for (const Value& row : object.rows()) {
          if (row.is_error()) {
            rows.push_back(row);
            continue;
          }
          const Value* f = row.field(n.name);
          rows.push_back(Value::record_sorted({{n.name, f ? *f : Value()}}));
        }
        return Value::table(std::move(rows), n.type.as_record());
      }
      case ValueKind::Untyped: {
        const auto& u = object.as_untyped();
        if (u.shape() == UntypedObject::Shape::Null) return Value::blank();
        if (u.shape() != UntypedObject::Shape::Object)
          return Value::error(ErrorKind::InvalidArgument,
                              "Accessing a field is not valid on this value", n.span);
        auto p = u.property(n.name);
        return p ? *p : Value::blank();
      }
      default: return Value::blank();
    }
  }

  Value arithmetic(const Node& n) {
    Value l = eval(*n.kids[0]);
    if (l.is_error()) return l;
    Value r = eval(*n.kids[1]);
    if (r.is_error()) return r;
    double a = number(l), b = number(r), out = 0;
    switch (n.op) {
      case Op::Add: out = a + b; break;
      case Op::Sub: out = a - b; break;
      case Op::Mul: out = a * b; break;
      case Op::Div:
        if (b == 0) return Value::error(ErrorKind::Div0, "Invalid operation: division by zero.", n.span);
        out = a / b;
        break;
      case Op::Power:
        if (a == 0 && b == 0)
          return Value::error(ErrorKind::InvalidArgument, "0^0 is undefined", n.span);
        if (a == 0 && b < 0) return Value::error(ErrorKind::Div0, "Division by zero", n.span);
        out = std::pow(a, b);
        break;
      default: break;
    }
    if (!std::isfinite(out))
      return Value::error(ErrorKind::Numeric, "Numeric overflow or invalid result", n.span);
    return Value::number(out);
  }

  Value date_arithmetic(const Node& n) {
    using DA = ir::DateArith;
    Value l = eval(*n.kids[0]);
    if (l.is_error()) return l;
    Value r = eval(*n.kids[1]);
    if (r.is_error()) return r;
    auto days_ms = [](const Value& v) {
      return static_cast<int64_t>(std::llround((v.is_number() ? v.as_number() : 0) * kMsPerDay));
    };
    auto as_ms = [](const Value& v) -> int64_t {
      switch (v.kind()) {
        case ValueKind::Date: return v.as_date() * kMsPerDay;
        case ValueKind::DateTime: return v.as_datetime();
        case ValueKind::Time: return v.as_time();
        default: return 0;
      }
    };
    auto date_of = [](int64_t ms) { return Value::date(floor_div(ms, kMsPerDay)); };
    switch (n.arith) {
      case DA::DatePlusDays:
        if (l.is_blank() && r.is_blank()) return Value::blank();
        return Value::date((l.is_blank() ? 0 : l.as_date()) +
                           static_cast<int64_t>(std::floor(number(r))));
      case DA::DateTimePlusDays: return Value::datetime(as_ms(l) + days_ms(r));
      case DA::DatePlusTime:
      case DA::DateTimePlusTime: return Value::datetime(as_ms(l) + as_ms(r));
      case DA::TimePlusTime: return Value::time(as_ms(l) + as_ms(r));
      case DA::TimePlusDays: return Value::time(as_ms(l) + days_ms(r));
      case DA::DateMinusDate:
        return Value::number(static_cast<double>(as_ms(l) - as_ms(r)) / kMsPerDay);
      case DA::DateTimeMinusDateTime:
        return Value::number(static_cast<double>(as_ms(l) - as_ms(r)) / kMsPerDay);
      case DA::TimeMinusTime:
        return Value::number(static_cast<double>(as_ms(l) - as_ms(r)) / kMsPerDay);
      case DA::DateMinusDays: return date_of(as_ms(l) - days_ms(r));
      case DA::DateTimeMinusDays: return Value::datetime(as_ms(l) - days_ms(r));
      case DA::DateMinusTime:
      case DA::DateTimeMinusTime: return Value::datetime(as_ms(l) - as_ms(r));
      case DA::TimeMinusDays: return Value::time(as_ms(l) - days_ms(r));
    }
    return Value::blank();
  }

  Value compare(const Node& n) {
    Value l = eval(*n.kids[0]);
    if (l.is_error()) return l;
    Value r = eval(*n.kids[1]);
    if (r.is_error()) return r;
    using C = ir::CompareOp;
    if (n.compare == C::Equal || n.compare == C::NotEqual) {
      bool eq;
      if (l.is_blank() || r.is_blank()) eq = l.is_blank() && r.is_blank();
      else eq = equal_values(l, r);
      return Value::boolean(n.compare == C::Equal ? eq : !eq);
    }
    double a, b;
    auto key = [](const Value& v) -> double {
      switch (v.kind()) {
        case ValueKind::Number: return v.as_number();
        case ValueKind::Boolean: return v.as_boolean() ? 1 : 0;
        case ValueKind::Date: return static_cast<double>(v.as_date() * kMsPerDay);
        case ValueKind::DateTime: return static_cast<double>(v.as_datetime());
        case ValueKind::Time: return static_cast<double>(v.as_time());
        default: return 0;
      }
    };
    a = key(l);
    b = key(r);
    bool result = false;
    switch (n.compare) {
      case C::Less: result = a < b; break;
      case C::LessEqual: result = a <= b; break;
      case C::Greater: result = a > b; break;
      case C::GreaterEqual: result = a >= b; break;
      default: break;
    }
    return Value::boolean(result);
  }

  static bool equal_values(const Value& l, const Value& r) {
    if (l.kind() == r.kind()) return values_equal(l, r);
    // Date vs DateTime, enum vs its underlying value.
    if (l.is(ValueKind::Enum)) return equal_values(l.enum_underlying(), r);
    if (r.is(ValueKind::Enum)) return equal_values(l, r.enum_underlying());
    auto ms = [](const Value& v) -> std::optional<int64_t> {
      if (v.is(ValueKind::Date)) return v.as_date() * kMsPerDay;
      if (v.is(ValueKind::DateTime)) return v.as_datetime();
      return std::nullopt;
    };
    if (ms(l) && ms(r)) return *ms(l) == *ms(r);
    return false;
  }

  Value in_table(const Node& n) {
    Value l = eval(*n.kids[0]);
    if (l.is_error()) return l;
    Value r = eval(*n.kids[1]);
    if (r.is_error()) return r;
    bool exact = n.op == Op::ExactInTable;
    for (const Value& row : r.rows()) {
      if (!row.is_record()) continue;
      if (l.is_record()) {
        if (values_equal(l, row)) return Value::boolean(true);
        continue;
      }
      if (row.fields().size() != 1) continue;
      const Value& cell = row.fields()[0].second;
      if (l.is_text() && cell.is_text() && !exact) {
        if (text_equal_ignore_case(l.as_text(), cell.as_text())) return Value::boolean(true);
      } else if (l.is_blank() || cell.is_blank()) {
        if (l.is_blank() && cell.is_blank()) return Value::boolean(true);
      } else if (equal_values(l, cell)) {
        return Value::boolean(true);
      }
    }
    return Value::boolean(false);
  }

  Value make_table(const Node& n) {
    std::vector<Value> rows;
    rows.reserve(n.kids.size());
    Type row_type = n.type.as_record();
    for (const auto& kid : n.kids) {
      Value v = eval(*kid);
      if (n.wrap_value) {
        if (v.is_error()) rows.push_back(Value::record_sorted({{"Value", v}}));
        else rows.push_back(Value::record_sorted({{"Value", std::move(v)}}));
      } else if (v.is_record()) {
        rows.push_back(normalize_row(v, row_type));
      } else {
        rows.push_back(std::move(v));  // Blank or Error row
      }
    }
    return Value::table(std::move(rows), row_type);
  }

  Value call(const Node& n) {
    const FunctionDef& fn = *n.fn;
    Call ctx(*this, n);
    ctx.args_.resize(n.kids.size());
    std::vector<size_t> table_args;
    for (size_t i = 0; i < n.kids.size(); ++i) {
      if (n.arg_modes[i] != static_cast<uint8_t>(ParamMode::Eager)) continue;
      Value v = eval(*n.kids[i]);
      if (n.tabular && v.is_table() && n.kids[i]->type.is(TypeKind::Table) &&
          std::string_view("nsbdDtcg").find(n.arg_letters[i]) != std::string_view::npos) {
        table_args.push_back(i);
      } else if (v.is_error() && fn.errors == ErrorPolicy::Propagate) {
        return v;
      } else if (v.is_blank() && fn.blanks == BlankPolicy::ToDefault) {
        v = default_for(type_kind_of_letter(n.arg_letters[i]));
      }
      ctx.args_[i] = std::move(v);
    }
    if (!table_args.empty()) return call_tabular(n, ctx, table_args);
    return fn.invoke(ctx);
  }

  // F(table) for a scalar F: F applied to each row's single column value.
  Value call_tabular(const Node& n, Call& ctx, const std::vector<size_t>& table_args) {
    std::vector<Value> tables;
    size_t count = 0;
    for (size_t i : table_args) {
      tables.push_back(ctx.args_[i]);
      count = std::max(count, ctx.args_[i].rows().size());
    }
    std::vector<Value> out;
    out.reserve(count);
    for (size_t r = 0; r < count; ++r) {
      bool error_row = false;
      for (size_t k = 0; k < table_args.size(); ++k) {
        const auto& rows = tables[k].rows();
        Value cell;
        if (r < rows.size()) {
          const Value& row = rows[r];
          if (row.is_error()) cell = row;
          else if (row.is_record() && !row.fields().empty()) cell = row.fields()[0].second;
        }
        if (cell.is_error() && n.fn->errors == ErrorPolicy::Propagate) {
          out.push_back(Value::record_sorted({{"Value", cell}}));
          error_row = true;
          break;
        }
        if (cell.is_blank() && n.fn->blanks == BlankPolicy::ToDefault)
          cell = default_for(type_kind_of_letter(n.arg_letters[table_args[k]]));
        ctx.args_[table_args[k]] = std::move(cell);
      }
      if (error_row) continue;
      out.push_back(Value::record_sorted({{"Value", n.fn->invoke(ctx)}}));
    }
    return Value::table(std::move(out), n.type.as_record());
  }

  static TypeKind type_kind_of_letter(char letter) {
    switch (letter) {
      case 'n': return TypeKind::Number;
      case 's': return TypeKind::Text;
      case 'b': return TypeKind::Boolean;
      default: return TypeKind::Unknown;
    }
  }

  Engine::Impl& engine_;
  bool behavior_;
  std::vector<Value> scopes_;
};

Value Call::eval(size_t i) { return ev_.eval(*node_.kids[i]); }
Value Call::eval_in_row(size_t i, const Value& row) { return ev_.eval_in_row(*node_.kids[i], row); }
const Features& Call::features() const { return ev_.engine().features; }
Value Call::assign(size_t i, Value value) {
  const Node& target = *node_.kids[i];
  auto& engine = ev_.engine();
  if (target.op != Op::Global || target.slot >= engine.symbols.size())
    return Value::error(ErrorKind::InvalidArgument, "Not a variable", target.span);
  engine.symbols[target.slot].value = std::move(value);
  return Value::void_();
}
double Call::random() {
  auto& engine = ev_.engine();
  if (engine.random) return engine.random();
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}
int64_t Call::now_utc_ms() {
  auto& engine = ev_.engine();
  if (engine.clock) return engine.clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
int Call::utc_offset_minutes(int64_t wall_ms) { return time_zone_offset_minutes(ev_.engine().time_zone, wall_ms); }
const std::string& Call::time_zone() const { return ev_.engine().time_zone; }
bool Call::behavior() const { return ev_.behavior(); }
Value Call::call_host(std::string_view handler, std::span<const Value> args) {
  auto& handlers = ev_.engine().host_handlers;
  auto it = handlers.find(std::string(handler));
  if (it == handlers.end())
    return Value::error(ErrorKind::NotSupported,
                        std::string("The host does not support ") + std::string(handler), span());
  return it->second(args);
}

}  // namespace

Value evaluate(Engine::Impl& engine, const ir::Node& root, bool behavior) {
  Evaluator ev(engine, behavior);
  return ev.eval(root);
}

}  // namespace canvasfx
