// The evaluator: one switch over IR node kinds.
//
// Types were settled by the binder; this file only computes. Blank and Error
// are values: an operator whose operand is an Error returns that Error, and a
// function's blank/error policy is applied here, once, before every call.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <random>
#include <unordered_set>

#include "bind/params.h"
#include "canvasfx/calendar.h"
#include "canvasfx/coerce.h"
#include "canvasfx/delegation.h"
#include "canvasfx/mutable_source.h"
#include "canvasfx/timezone.h"
#include "canvasfx/unicode.h"
#include "engine/engine_impl.h"
#include "value/memory_meter.h"

namespace canvasfx {
namespace {

using ir::Node;
using ir::Op;

class Evaluator;

// A named formula's compact form computed on doubles, when every name it
// reads holds a number now (a variable, or a formula whose cached value is
// one) and every step stays finite: the result is exactly the evaluator's,
// without a Value per step. Anything else (a Blank, an error, an uncached
// formula, a host signal, a division by zero, an overflow) answers nothing,
// and the evaluator runs the formula with its full semantics.
std::optional<double> compact_numbers(const Engine::Impl& engine, const CompactFormula& c) {
  using Code = CompactFormula::Code;
  using From = CompactFormula::From;
  std::array<double, CompactFormula::kMaxSteps> results;
  auto load = [&](const CompactFormula::Operand& o, double& out) {
    switch (o.from) {
      case From::Constant:
        out = c.numbers[o.index];
        return true;
      case From::Step:
        out = results[o.index];
        return true;
      case From::Global:
        break;
    }
    // A bound slot stays valid: symbols are never removed (a redefined
    // formula leaves a tombstone).
    const Symbol& s = engine.symbols[o.index];
    const Value* v = &s.value;
    if (s.formula) {
      if (!s.formula_cached) return false;
      v = &s.formula->value;
    } else if (s.getter) {
      return false;
    }
    if (!v->is_number()) return false;
    out = v->as_number();
    return true;
  };
  for (uint8_t i = 0; i < c.step_count; ++i) {
    const CompactFormula::Step& step = c.steps[i];
    double x, y = 0;
    if (!load(step.left, x)) return std::nullopt;
    if (!CompactFormula::unary(step.code) && !load(step.right, y)) return std::nullopt;
    switch (step.code) {
      case Code::Add:
        x += y;
        break;
      case Code::Sub:
        x -= y;
        break;
      case Code::Mul:
        x *= y;
        break;
      case Code::Div:
        if (y == 0) return std::nullopt;  // the evaluator's Div0 error
        x /= y;
        break;
      case Code::Negate:
        x = -x;
        break;
      case Code::Percent:
        x /= 100;
        break;
      case Code::Power:
        return std::nullopt;
    }
    if (!std::isfinite(x)) return std::nullopt;  // the evaluator's overflow error
    results[i] = x;
  }
  double out;
  if (!load(c.result, out)) return std::nullopt;
  return out;
}

// Computes and caches named formula `slot` by compact_numbers; false when
// it does not apply.
bool cache_compact_numbers(Engine::Impl& engine, size_t slot) {
  Symbol& symbol = engine.symbols[slot];
  NamedFormula* f = symbol.formula.get();
  if (!f->has_compact || !f->compact.numeric || f->evaluating) return false;
  std::optional<double> d = compact_numbers(engine, f->compact);
  if (!d) return false;
  f->value = Value::number(*d);
  symbol.formula_cached = !f->volatile_value;
  return true;
}

// A call's evaluated arguments. Most calls have a few, so they live inline:
// evaluating a call must not allocate on the hot path.
class ArgBuffer {
 public:
  void resize(size_t n) {
    size_ = n;
    if (n > kInline) heap_.resize(n);
  }
  Value& operator[](size_t i) { return data()[i]; }
  const Value& operator[](size_t i) const { return data()[i]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  operator std::span<const Value>() const { return {data(), size_}; }

 private:
  static constexpr size_t kInline = 4;
  Value* data() { return size_ > kInline ? heap_.data() : inline_.data(); }
  const Value* data() const { return size_ > kInline ? heap_.data() : inline_.data(); }
  std::array<Value, kInline> inline_;
  std::vector<Value> heap_;
  size_t size_ = 0;
};

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

  ArgBuffer args_;

 private:
  Evaluator& ev_;
  const Node& node_;
};

class Evaluator {
 public:
  // The deadline is set at the first budget check (after 4096 nodes), not
  // here: an evaluator is made per named formula read, and a clock read per
  // formula would cost more than a short formula itself.
  Evaluator(Engine::Impl& engine, bool behavior) : engine_(engine), behavior_(behavior) {}

  Value eval(const Node& n) {
    // Every 1024 nodes: a formula that was cancelled or runs past the engine's
    // time limit unwinds to CompiledFormula::eval, which makes it a Timeout error.
    // (The memory budget is checked where values allocate: memory_meter.h.)
    if ((++steps_ & 0x3FF) == 0) check_budget();
    if (n.invariant_in) return eval_invariant(n);
    return eval_node(n);
  }

  // A row-invariant subtree (invariants.h): evaluated once per invocation of
  // the call it belongs to, whose frame is on top of the stack (it is inside
  // one of that call's lambda arguments).
  Value eval_invariant(const Node& n) {
    for (size_t f = invariant_frames_.size(); f-- > 0;) {
      if (invariant_frames_[f].call != n.invariant_in) continue;
      for (const auto& [node, value] : invariant_frames_[f].values)
        if (node == &n) return value;
      Value v = eval_node(n);
      invariant_frames_[f].values.emplace_back(&n, v);  // by index: nested calls push frames
      return v;
    }
    return eval_node(n);
  }

  Value eval_node(const Node& n) {
    switch (n.op) {
      case Op::Constant:
        return n.constant;
      case Op::Global:
        return global(n.slot);
      case Op::ScopeRecord:
        return scope_row(n.depth);
      case Op::ScopeField: {
        const Value& row = scope_row(n.depth);
        if (row.is_error()) return row;
        const Value* f = row.field(n.name);
        return f ? *f : Value::blank();
      }
      case Op::Field:
        return field(eval(*n.kids[0]), n);
      case Op::Negate:
        return negate(eval(*n.kids[0]));
      case Op::Percent:
        return percent(eval(*n.kids[0]));
      case Op::Not: {
        Value v = eval(*n.kids[0]);
        if (v.is_error()) return v;
        return Value::boolean(!(v.is_boolean() && v.as_boolean()));
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div:
      case Op::Power:
        return arithmetic(n);
      case Op::DateArith:
        return date_arithmetic(n);
      case Op::Concat: {
        std::string out;
        for (const auto& kid : n.kids) {
          Value v = eval(*kid);
          if (v.is_error()) return v;
          if (!v.is_text()) continue;
          if (out.size() + v.as_text().size() > out.capacity())
            memory::require(out.size() + v.as_text().size());  // a budget ends it before it grows
          out += v.as_text();
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
      case Op::Compare:
        return compare(n);
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
      case Op::ExactInTable:
        return in_table(n);
      case Op::Coerce: {
        Value v = eval(*n.kids[0]);
        return coerce_to(v, n.type.kind(), n.span);
      }
      case Op::MakeRecord: {
        Fields fields;
        fields.reserve(n.kids.size());
        for (size_t i = 0; i < n.kids.size(); ++i)
          fields.emplace_back(n.names[i], eval(*n.kids[i]));
        return Value::record(std::move(fields));
      }
      case Op::MakeTable:
        return make_table(n);
      case Op::Call:
        return call(n);
      case Op::UserCall:
        return user_call(n);
      case Op::Chain: {
        // Every part runs; the errors of all parts, combined, are the result
        // (a failed Remove is not hidden by the `; t` after it).
        Value last = Value::void_();
        std::vector<ErrorInfo> errors;
        for (const auto& kid : n.kids) {
          last = eval(*kid);
          if (last.is_error())
            errors.insert(errors.end(), last.errors().begin(), last.errors().end());
        }
        return errors.empty() ? last : Value::errors(std::move(errors));
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

  // Writes `value` through a place (binder.cpp is_place). Values are
  // immutable, so writing a field or a row rebuilds each enclosing record or
  // table up to the variable (copy on write); a row of a host data source is
  // updated in the source instead.
  Value write_place(const Node& target, Value value) {
    switch (target.op) {
      case Op::Global:
        if (target.slot >= engine_.symbols.size()) break;
        engine_.symbols[target.slot].value = std::move(value);
        return Value::void_();
      case Op::Field: {
        Value parent = eval(*target.kids[0]);
        if (parent.is_error()) return parent;
        if (!parent.is_record()) break;
        Fields fields = parent.fields();
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const auto& f) { return f.first == target.name; });
        if (it == fields.end())
          fields.emplace_back(target.name, std::move(value));
        else
          it->second = std::move(value);
        return write_place(*target.kids[0], Value::record(std::move(fields)));
      }
      case Op::Call: {
        if (target.kids.empty()) break;  // Blank(): nothing to write into
        Value table = eval(*target.kids[0]);
        if (table.is_error()) return table;
        Value row = eval(target);
        if (row.is_error()) return row;
        if (!table.is_table() || !row.is_record()) break;
        if (auto* source = dynamic_cast<const MutableTableSource*>(table.source())) {
          Value written = source->update({{row, value}});
          return written.is_error() ? written : Value::void_();
        }
        std::vector<Value> rows = table.rows();
        // The selected row is its table's row (the same object); a function
        // that rebuilt it is matched by value.
        auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const Value& r) { return r.same_object(row); });
        if (it == rows.end())
          it = std::find_if(rows.begin(), rows.end(),
                            [&](const Value& r) { return r.is_record() && values_equal(r, row); });
        if (it == rows.end()) return Value::error(ErrorKind::NotFound, {}, target.span);
        *it = std::move(value);
        return write_place(*target.kids[0], Value::table(std::move(rows), table.row_type()));
      }
      default:
        break;
    }
    return Value::error(ErrorKind::InvalidArgument, "The value cannot be changed.", target.span);
  }

  Value global(size_t slot) {
    if (slot >= engine_.symbols.size()) return Value::blank();
    Symbol& s = engine_.symbols[slot];
    if (s.formula) return formula(slot);
    if (s.getter) return s.getter();
    return s.value;
  }

  // A named formula: its cached value, or its expression evaluated now, in a
  // scope of its own (it sees no lambda rows or parameters of the reader).
  Value formula(size_t slot) {
    Symbol& symbol = engine_.symbols[slot];
    if (symbol.formula_cached) return symbol.formula->value;  // the common case
    if (cache_compact_numbers(engine_, slot)) return symbol.formula->value;
    // Nothing redefines a formula while formulas evaluate (definitions are
    // not expressions), so the formula outlives this call without a reference
    // count (an atomic increment per formula read).
    NamedFormula* f = symbol.formula.get();
    const Span span{0, 0};
    if (!f->root)
      return Value::error(
          ErrorKind::AnalysisError,
          "Named formula " + engine_.symbols[slot].name + " does not check: " + f->failure, span);
    if (f->evaluating)  // defensive: definitions reject cycles
      return Value::error(ErrorKind::Internal, "Circular reference: " + engine_.symbols[slot].name,
                          span);
    // A long chain of formulas read for the first time would nest one
    // evaluation per link and overflow the stack: past a few levels, what this
    // formula reads is computed first, leaves first, so each link nests once.
    if (formula_depth_ == kWarmFormulaDepth) warm_reads(slot);
    if (formula_depth_ >= kMaxFormulaDepth)
      return Value::error(ErrorKind::InvalidFunctionUsage,
                          "Named formula " + engine_.symbols[slot].name +
                              " reads formulas nested too deeply (more than " +
                              std::to_string(kMaxFormulaDepth) + " levels).",
                          span);
    Value v;
    {
      // Undone however the evaluation ends (a timeout unwinds through here).
      struct Nesting {
        NamedFormula* f;
        int& depth;
        ~Nesting() {
          f->evaluating = false;
          --depth;
        }
      } nesting{f, formula_depth_};
      f->evaluating = true;
      ++formula_depth_;
      // The compact form (constants, names, arithmetic) sees no rows and calls
      // no behavior: only the tree needs a scope of its own.
      v = f->has_compact ? run_compact(f->compact) : eval_in_own_scope(*f->root);
    }
    f->value = v;
    // A volatile formula (it reads a host signal) is computed at every read.
    engine_.symbols[slot].formula_cached = !f->volatile_value;
    return v;
  }

  // `n` evaluated without the reader's rows and outside behavior.
  Value eval_in_own_scope(const Node& n) {
    struct Saved {
      Evaluator& ev;
      std::vector<Value> scopes;
      bool behavior;
      ~Saved() {
        ev.scopes_ = std::move(scopes);
        ev.behavior_ = behavior;
      }
    } saved{*this, std::move(scopes_), behavior_};
    scopes_.clear();
    behavior_ = false;
    return eval(n);
  }

  // Named formulas nesting this deep compute what they read first (warm_reads).
  static constexpr int kWarmFormulaDepth = 16;
  // Formulas that cannot be cached (they read a host signal) nest on every
  // read: past this depth the read is an error value, not a stack overflow.
  static constexpr int kMaxFormulaDepth = 400;

  // Computes the uncached formulas that `slot` reads, transitively, each after
  // what it reads (an iterative depth-first walk), so reading them later
  // returns cached values.
  void warm_reads(size_t slot) {
    auto uncached = [this](size_t s) {
      if (s >= engine_.symbols.size()) return false;
      const NamedFormula* f = engine_.symbols[s].formula.get();
      return f && f->root && !engine_.symbols[s].formula_cached && !f->evaluating;
    };
    const auto& direct = engine_.symbols[slot].formula->reads;
    if (std::none_of(direct.begin(), direct.end(), uncached)) return;  // nothing to compute
    std::unordered_set<size_t> visited{slot};
    std::vector<std::pair<size_t, size_t>> stack{{slot, 0}};  // (formula, next read)
    while (!stack.empty()) {
      size_t at = stack.back().first;
      size_t next = stack.back().second++;
      const auto& reads = engine_.symbols[at].formula->reads;
      if (next < reads.size()) {
        size_t r = reads[next];
        if (uncached(r) && visited.insert(r).second) stack.emplace_back(r, 0);
        continue;
      }
      stack.pop_back();
      if (at != slot && uncached(at)) (void)formula(at);
    }
  }

  // How deep user-defined functions may call each other (recursion): past it
  // the call is an error value instead of a stack overflow.
  static constexpr int kMaxCallDepth = 200;

  // A user-defined function: the body runs with the arguments as its only
  // scope (a function sees its parameters, never its caller's rows).
  Value user_call(const Node& n) {
    const UserFunction& fn = *n.user;
    if (!fn.body)
      return Value::error(ErrorKind::AnalysisError, "The function " + fn.name + " does not check",
                          n.span);
    if (call_depth_ >= kMaxCallDepth)
      return Value::error(ErrorKind::Custom, "Maximum call depth exceeded calling " + fn.name,
                          n.span);
    Fields args;
    args.reserve(n.kids.size());
    for (size_t i = 0; i < n.kids.size(); ++i)
      args.emplace_back(fn.params[i].first, eval(*n.kids[i]));
    Value record = Value::record(std::move(args));
    std::vector<Value> outer = std::move(scopes_);
    scopes_.clear();
    scopes_.push_back(std::move(record));
    bool behavior = behavior_;
    behavior_ = behavior_ && fn.behavior;
    ++call_depth_;
    Value v;
    try {
      v = eval(*fn.body);
    } catch (...) {
      --call_depth_;
      scopes_ = std::move(outer);
      behavior_ = behavior;
      throw;
    }
    --call_depth_;
    scopes_ = std::move(outer);
    behavior_ = behavior;
    if (fn.returns.is(TypeKind::Void) && !v.is_error()) return Value::void_();
    return v;
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
      case ValueKind::Blank:
        return object;
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
      default:
        return Value::blank();
    }
  }

  // The errors of an arithmetic operator's operands: both sides' when both fail
  // ((1/0) * (1/0) has two Div0 errors), as the reference reports them.
  static Value operand_errors(const Value& l, const Value& r) {
    if (!l.is_error()) return r;
    if (!r.is_error()) return l;
    std::vector<ErrorInfo> all = l.errors();
    all.insert(all.end(), r.errors().begin(), r.errors().end());
    return Value::errors(std::move(all));
  }

  Value arithmetic(const Node& n) {
    Value l = eval(*n.kids[0]);
    Value r = eval(*n.kids[1]);
    return arithmetic(n.op, l, r, n.span);
  }

  static Value arithmetic(Op op, const Value& l, const Value& r, Span span) {
    if (l.is_error() || r.is_error()) return operand_errors(l, r);
    double a = number(l), b = number(r), out = 0;
    switch (op) {
      case Op::Add:
        out = a + b;
        break;
      case Op::Sub:
        out = a - b;
        break;
      case Op::Mul:
        out = a * b;
        break;
      case Op::Div:
        if (b == 0)
          return Value::error(ErrorKind::Div0, "Invalid operation: division by zero.", span);
        out = a / b;
        break;
      case Op::Power:
        if (a == 0 && b < 0) return Value::error(ErrorKind::Div0, "Division by zero", span);
        out = std::pow(a, b);
        break;
      default:
        break;
    }
    if (!std::isfinite(out))
      return Value::error(ErrorKind::Numeric, "Numeric overflow or invalid result", span);
    return Value::number(out);
  }

  static Value negate(Value v) {
    if (v.is_error()) return v;
    // Dates negate as serial numbers (days since 1899-12-30) and stay dates.
    if (v.is(ValueKind::Time)) return Value::time(-v.as_time());
    if (v.is(ValueKind::Date)) return Value::date(2 * kSerialEpochDays - v.as_date());
    if (v.is(ValueKind::DateTime))
      return Value::datetime(2 * kSerialEpochDays * kMsPerDay - v.as_datetime());
    return Value::number(-number(v));
  }

  static Value percent(Value v) {
    if (v.is_error()) return v;
    return Value::number(number(v) / 100);
  }

  // A named formula's compact form (compact.h): the same operators as the
  // tree's, step by step.
  Value run_compact(const CompactFormula& c) {
    using Code = CompactFormula::Code;
    using From = CompactFormula::From;
    if ((++steps_ & 0x3FF) == 0) check_budget();  // as eval() does: cancellation, time limit
    std::array<Value, CompactFormula::kMaxSteps> results;
    auto load = [&](const CompactFormula::Operand& o) -> Value {
      switch (o.from) {
        case From::Constant:
          return c.constants[o.index];
        case From::Global:
          return global(o.index);
        case From::Step:
          break;
      }
      return std::move(results[o.index]);  // each step's result is read once
    };
    for (uint8_t i = 0; i < c.step_count; ++i) {
      const CompactFormula::Step& step = c.steps[i];
      Value left = load(step.left);
      if (step.code == Code::Negate) {
        results[i] = negate(std::move(left));
      } else if (step.code == Code::Percent) {
        results[i] = percent(std::move(left));
      } else {
        static constexpr Op kOps[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Power};
        Value right = load(step.right);
        results[i] = arithmetic(kOps[static_cast<int>(step.code)], left, right, step.span);
      }
    }
    return load(c.result);
  }

  // Date/time arithmetic on wall-clock values. A Blank date is serial day 0
  // (1899-12-30), a Blank duration 0; a Date used as a point in time is its
  // first valid instant, and DateTime results inside a DST gap move to its end.
  Value date_arithmetic(const Node& n) {
    using DA = ir::DateArith;
    Value l = eval(*n.kids[0]);
    Value r = eval(*n.kids[1]);
    if (l.is_error() || r.is_error()) return operand_errors(l, r);
    // A number of days that no calendar can hold (ParseJSON("1e100")) is not a date offset.
    for (const Value* v : {&l, &r})
      if (v->is_number() && !(std::fabs(v->as_number()) < 1e8))
        return Value::error(ErrorKind::InvalidArgument, "Date offset out of range", n.span);
    const std::string& zone = engine_.time_zone;
    auto point_ms = [&](const Value& v) -> int64_t {
      if (v.is(ValueKind::Date)) return normalize_wall_ms(zone, v.as_date() * kMsPerDay);
      if (v.is(ValueKind::DateTime)) return v.as_datetime();
      return kSerialEpochDays * kMsPerDay;
    };
    auto duration_ms = [](const Value& v) -> int64_t {
      if (v.is(ValueKind::Time)) return v.as_time();
      if (v.is_number()) return std::llround(v.as_number() * kMsPerDay);
      return 0;
    };
    auto date = [](int64_t ms) { return Value::date(floor_div(ms, kMsPerDay)); };
    auto datetime = [&](int64_t ms) { return Value::datetime(normalize_wall_ms(zone, ms)); };
    auto days = [](int64_t ms) { return Value::number(static_cast<double>(ms) / kMsPerDay); };
    switch (n.arith) {
      case DA::DatePlusDays:
        if (l.is_blank() && r.is_blank()) return Value::blank();
        return date(point_ms(l) + duration_ms(r));
      case DA::DateTimePlusDays:
      case DA::DatePlusTime:
      case DA::DateTimePlusTime:
        return datetime(point_ms(l) + duration_ms(r));
      case DA::TimePlusTime:
      case DA::TimePlusDays:
        return Value::time(duration_ms(l) + duration_ms(r));
      case DA::DateMinusDate:
        return days((floor_div(point_ms(l), kMsPerDay) - floor_div(point_ms(r), kMsPerDay)) *
                    kMsPerDay);
      case DA::DateTimeMinusDateTime:
        return days(point_ms(l) - point_ms(r));
      case DA::TimeMinusTime:
        return days(duration_ms(l) - duration_ms(r));
      case DA::DateMinusDays:
        return date(point_ms(l) - duration_ms(r));
      case DA::DateTimeMinusDays:
      case DA::DateMinusTime:
      case DA::DateTimeMinusTime:
        return datetime(point_ms(l) - duration_ms(r));
      case DA::TimeMinusDays:
        return Value::time(duration_ms(l) - duration_ms(r));
      case DA::NumberMinusDate:
        return Value::error(ErrorKind::NotSupported,
                            "Subtracting a date or time from a number is not supported", n.span);
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
      if (l.is_blank() || r.is_blank())
        eq = l.is_blank() && r.is_blank();
      else
        eq = equal_values(l, r);
      return Value::boolean(n.compare == C::Equal ? eq : !eq);
    }
    double a, b;
    auto key = [](const Value& v) -> double {
      switch (v.kind()) {
        case ValueKind::Number:
          return v.as_number();
        case ValueKind::Boolean:
          return v.as_boolean() ? 1 : 0;
        case ValueKind::Date:
          return static_cast<double>(v.as_date() * kMsPerDay);
        case ValueKind::DateTime:
          return static_cast<double>(v.as_datetime());
        case ValueKind::Time:
          return static_cast<double>(v.as_time());
        default:
          return 0;
      }
    };
    a = key(l);
    b = key(r);
    bool result = false;
    switch (n.compare) {
      case C::Less:
        result = a < b;
        break;
      case C::LessEqual:
        result = a <= b;
        break;
      case C::Greater:
        result = a > b;
        break;
      case C::GreaterEqual:
        result = a >= b;
        break;
      default:
        break;
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
        if (v.is_error())
          rows.push_back(Value::record_sorted({{"Value", v}}));
        else
          rows.push_back(Value::record_sorted({{"Value", std::move(v)}}));
      } else if (v.is_record()) {
        rows.push_back(conform_to_type(v, row_type));
      } else {
        rows.push_back(std::move(v));  // Blank or Error row
      }
    }
    return Value::table(std::move(rows), row_type);
  }

  // The values of a call's row-invariant subtrees, for one invocation.
  struct InvariantFrame {
    const Node* call;
    std::vector<std::pair<const Node*, Value>> values;
  };
  class InvariantFrameScope {
   public:
    InvariantFrameScope(Evaluator& ev, const Node& call)
        : ev_(call.caches_invariants ? &ev : nullptr) {
      if (ev_) ev_->invariant_frames_.push_back({&call, {}});
    }
    ~InvariantFrameScope() {
      if (ev_) ev_->invariant_frames_.pop_back();
    }
    InvariantFrameScope(const InvariantFrameScope&) = delete;
    InvariantFrameScope& operator=(const InvariantFrameScope&) = delete;

   private:
    Evaluator* ev_;
  };

  Value call(const Node& n) {
    const FunctionDef& fn = *n.fn;
    InvariantFrameScope invariants(*this, n);
    Call ctx(*this, n);
    ctx.args_.resize(n.kids.size());
    std::vector<size_t> table_args;
    // Under the Propagate policy the errors of all arguments, combined, are the
    // result (of every row, for a tabular call).
    std::vector<ErrorInfo> errors;
    for (size_t i = 0; i < n.kids.size(); ++i) {
      if (n.arg_modes[i] != static_cast<uint8_t>(ParamMode::Eager)) continue;
      Value v = eval(*n.kids[i]);
      if (n.tabular && n.kids[i]->type.is(TypeKind::Table) && is_scalar_letter(n.arg_letters[i])) {
        // A table in place of a scalar: a Blank or Error table is the whole result.
        if (!v.is_table()) return v;
        table_args.push_back(i);
      } else if (v.is_error() && fn.errors == ErrorPolicy::Propagate) {
        errors.insert(errors.end(), v.errors().begin(), v.errors().end());
      } else if (v.is_blank() && fn.blanks == BlankPolicy::ToDefault) {
        v = default_for(type_kind_of_letter(n.arg_letters[i]));
      }
      ctx.args_[i] = std::move(v);
    }
    Value error = errors.empty() ? Value() : Value::errors(std::move(errors));
    if (!table_args.empty()) return call_tabular(n, ctx, table_args, error);
    if (error.is_error()) return error;
    if (auto delegated = try_delegate(n, ctx)) return *std::move(delegated);
    return fn.invoke(ctx);
  }

  // Offers the call to a host data source in argument 0 (delegation.h).
  std::optional<Value> try_delegate(const Node& n, const Call& ctx) {
    if (ctx.args_.empty() || !ctx.args_[0].is_table()) return std::nullopt;
    auto* source = dynamic_cast<const DelegatingSource*>(ctx.args_[0].source());
    if (!source) return std::nullopt;
    DelegationRequest request{n.fn->name, ctx.args_, {}, n.type, n.span};
    request.lambdas.resize(n.kids.size());
    for (size_t i = 0; i < n.kids.size(); ++i)
      if (n.arg_modes[i] == static_cast<uint8_t>(ParamMode::Lambda))
        request.lambdas[i] = describe(*n.kids[i]);
    return source->delegate(request);
  }

  // A lambda body as a DelegationExpr over the row (scope depth 0), or nullopt.
  static_assert(static_cast<int>(ir::CompareOp::GreaterEqual) ==
                static_cast<int>(DelegationCompare::GreaterEqual));
  std::optional<DelegationExpr> describe(const Node& n) {
    using K = DelegationExpr::Kind;
    DelegationExpr e;
    e.type = n.type;
    if (!reads_scope(n)) {
      // Row-independent: fold it now, unless folding could be observed.
      if (!pure(n)) return std::nullopt;
      e.constant = eval(n);
      if (e.constant.is_error()) return std::nullopt;
      return e;
    }
    switch (n.op) {
      case Op::ScopeField:
        if (n.depth != 0) return std::nullopt;
        e.kind = K::Column;
        e.name = n.name;
        return e;
      case Op::Field:
        if (n.kids[0]->op != Op::ScopeRecord || n.kids[0]->depth != 0) return std::nullopt;
        e.kind = K::Column;
        e.name = n.name;
        return e;
      case Op::Compare:
        e.kind = K::Compare;
        e.compare = static_cast<DelegationCompare>(static_cast<uint8_t>(n.compare));
        e.compare_kind = n.compare_kind;
        break;
      case Op::And:
        e.kind = K::And;
        break;
      case Op::Or:
        e.kind = K::Or;
        break;
      case Op::Not:
        e.kind = K::Not;
        break;
      case Op::InText:
        e.kind = K::InText;
        break;
      case Op::ExactInText:
        e.kind = K::ExactInText;
        break;
      case Op::Call:
        if (n.tabular) return std::nullopt;
        // Lazy arguments (And, Or, If ...) are described too: a source translates
        // only functions it knows to be pure, where evaluation order can't be observed.
        for (uint8_t mode : n.arg_modes)
          if (mode == static_cast<uint8_t>(ParamMode::Lambda)) return std::nullopt;
        e.kind = K::Call;
        e.name = n.fn->name;
        break;
      default:
        return std::nullopt;
    }
    for (const auto& kid : n.kids) {
      auto k = describe(*kid);
      if (!k) return std::nullopt;
      e.kids.push_back(std::move(*k));
    }
    return e;
  }

  static bool reads_scope(const Node& n) {
    if (n.op == Op::ScopeRecord || n.op == Op::ScopeField) return true;
    return std::any_of(n.kids.begin(), n.kids.end(), [](const auto& k) { return reads_scope(*k); });
  }

  static bool pure(const Node& n) {
    if (n.op == Op::Call && (n.fn->behavior || n.fn->volatile_result)) return false;
    return std::all_of(n.kids.begin(), n.kids.end(), [](const auto& k) { return pure(*k); });
  }

  // F(table, ...) for a scalar F: F applied to the i-th value of every table
  // argument. A table shorter than the longest gives NotApplicable cells, an
  // Error row of any table is that result row as is, and an Error cell (or
  // scalar argument) is the row's Value under the Propagate policy.
  Value call_tabular(const Node& n, Call& ctx, const std::vector<size_t>& table_args,
                     const Value& scalar_error) {
    std::vector<Value> tables;
    size_t count = 0;
    for (size_t i : table_args) {
      tables.push_back(ctx.args_[i]);
      count = std::max(count, ctx.args_[i].rows().size());
    }
    bool propagate = n.fn->errors == ErrorPolicy::Propagate;
    std::vector<Value> out;
    out.reserve(count);
    for (size_t r = 0; r < count; ++r) {
      const Value* row_error = nullptr;
      for (const Value& t : tables)
        if (r < t.rows().size() && t.rows()[r].is_error() && !row_error) row_error = &t.rows()[r];
      if (row_error) {
        out.push_back(*row_error);
        continue;
      }
      Value result = scalar_error;
      for (size_t k = 0; k < table_args.size() && !result.is_error(); ++k) {
        size_t i = table_args[k];
        const auto& rows = tables[k].rows();
        const Type& column = n.kids[i]->type;
        Value cell = Value::error(ErrorKind::NotApplicable, {}, n.kids[i]->span);
        if (r < rows.size()) {
          const Value* field = rows[r].is_record() ? rows[r].field(column.field_name(0)) : nullptr;
          TypeKind kind = letter_kind(n.arg_letters[i]);
          cell = field ? coerce_to(*field, kind, n.kids[i]->span) : Value();
          if (cell.is_blank() && n.fn->blanks == BlankPolicy::ToDefault) cell = default_for(kind);
        }
        if (cell.is_error() && propagate) result = cell;
        ctx.args_[i] = std::move(cell);
      }
      if (!result.is_error()) result = n.fn->invoke(ctx);
      out.push_back(Value::record_sorted({{"Value", std::move(result)}}));
    }
    return Value::table(std::move(out), n.type.as_record());
  }

  static bool is_scalar_letter(char letter) {
    return std::string_view("nsbdDtcg").find(letter) != std::string_view::npos;
  }

  // The kind a table overload's cells are coerced to.
  static TypeKind letter_kind(char letter) {
    switch (letter) {
      case 'd':
        return TypeKind::Date;
      case 'D':
        return TypeKind::DateTime;
      case 't':
        return TypeKind::Time;
      case 'c':
        return TypeKind::Color;
      case 'g':
        return TypeKind::Guid;
      default:
        return type_kind_of_letter(letter);
    }
  }

  static TypeKind type_kind_of_letter(char letter) {
    switch (letter) {
      case 'n':
        return TypeKind::Number;
      case 's':
        return TypeKind::Text;
      case 'b':
        return TypeKind::Boolean;
      default:
        return TypeKind::Unknown;
    }
  }

  void check_budget() {
    if (engine_.cancel_requested.load(std::memory_order_relaxed)) throw EvaluationCancelled{};
    if (engine_.time_limit_ms <= 0) return;
    auto now = std::chrono::steady_clock::now();
    if (!deadline_)
      deadline_ = now + std::chrono::milliseconds(engine_.time_limit_ms);
    else if (now > *deadline_)
      throw EvaluationTimeout{};
  }

  Engine::Impl& engine_;
  bool behavior_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  uint64_t steps_ = 0;
  std::vector<Value> scopes_;
  std::vector<InvariantFrame> invariant_frames_;
  int call_depth_ = 0;
  int formula_depth_ = 0;  // named formulas being evaluated, nested
};

// The symbol a place (binder.cpp is_place) belongs to: what a write changes.
std::optional<size_t> root_slot(const Node& place) {
  switch (place.op) {
    case Op::Global:
      return place.slot;
    case Op::Field:
    case Op::Call:
      if (place.kids.empty()) return std::nullopt;
      return root_slot(*place.kids[0]);
    default:
      return std::nullopt;
  }
}

Value Call::eval(size_t i) { return ev_.eval(*node_.kids[i]); }
Value Call::eval_in_row(size_t i, const Value& row) { return ev_.eval_in_row(*node_.kids[i], row); }
const Features& Call::features() const { return ev_.engine().features; }
Value Call::assign(size_t i, Value value) {
  Value written = ev_.write_place(*node_.kids[i], std::move(value));
  if (auto slot = root_slot(*node_.kids[i]); slot && *slot < ev_.engine().symbols.size())
    ev_.engine().symbol_changed(*slot);
  return written;
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
int Call::utc_offset_minutes(int64_t wall_ms) {
  return time_zone_offset_minutes(ev_.engine().time_zone, wall_ms);
}
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

Value evaluate(Engine::Impl& engine, const ir::Node& root, bool behavior, const Value* row) {
  memory::BudgetScope budget(engine.memory_limit_bytes);  // the memory an evaluation may hold
  Evaluator ev(engine, behavior);
  return row ? ev.eval_in_row(root, *row) : ev.eval(root);
}

// Out of line: an evaluator's frame is large, and most reads of a chain never
// need one.
[[gnu::noinline]] static void evaluate_formula(Engine::Impl& engine, size_t slot) {
  Evaluator ev(engine, false);
  // The formula keeps what it computed; a formula that does not check gives
  // its error (which it keeps from now on).
  Value v = ev.global(slot);
  if (!engine.symbols[slot].formula_cached) engine.symbols[slot].formula->value = std::move(v);
}

// Named formula `slot`'s current value, held by the formula. A recalculation
// reads each formula of a chain once, from outside any evaluation: the cached
// value or the numbers' fast path need no evaluator.
static const Value& current_formula_value(Engine::Impl& engine, size_t slot) {
  Symbol& symbol = engine.symbols[slot];
  if (!symbol.formula_cached && !cache_compact_numbers(engine, slot))
    evaluate_formula(engine, slot);
  return symbol.formula->value;
}

Value read_formula(Engine::Impl& engine, size_t slot) {
  return current_formula_value(engine, slot);
}

// Here rather than in engine.cpp: the fast paths it takes are this file's.
const Value* Engine::formula_value(SymbolId slot) {
  if (slot >= impl_->symbols.size() || !impl_->symbols[slot].formula) return nullptr;
  return &current_formula_value(*impl_, slot);
}

}  // namespace canvasfx
