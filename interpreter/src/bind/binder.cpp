// The binder: AST -> typed IR.
//
// It resolves every name (lambda scope fields, engine symbols, enums), types
// every node, picks operators and function overloads, and makes coercions
// explicit Coerce nodes. Every problem becomes a diagnostic with a span and
// the Power Fx en-US message; binding goes on after an error so that one pass
// reports as much as the reference implementation does.
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "bind/messages.h"
#include "bind/params.h"
#include "bind/type_args.h"
#include "canvasfx/coerce.h"
#include "engine/engine_impl.h"
#include "parse/ast.h"

namespace canvasfx {
namespace {

using ast::BinaryOp;
using ast::Kind;
using ir::NodePtr;
using ir::Op;

bool is_date_kind(TypeKind k) {
  return k == TypeKind::Date || k == TypeKind::DateTime || k == TypeKind::Time;
}

NodePtr make(Op op, Type type, Span span) {
  auto n = std::make_unique<ir::Node>();
  n->op = op;
  n->type = std::move(type);
  n->span = span;
  return n;
}

NodePtr make_constant(Value v, Type type, Span span) {
  auto n = make(Op::Constant, std::move(type), span);
  n->constant = std::move(v);
  return n;
}

Type type_of_letter(char letter) {
  switch (letter) {
    case 'n':
      return Type::number();
    case 's':
      return Type::text();
    case 'b':
      return Type::boolean();
    case 'd':
      return Type::date();
    case 'D':
      return Type::datetime();
    case 't':
      return Type::time();
    case 'c':
      return Type::color();
    case 'g':
      return Type::guid();
    case 'u':
      return Type::untyped();
    case 'r':
      return Type::empty_record();
    case 'T':
      return Type::table({});
    case 'v':
      return Type::void_();
    default:
      return Type::unknown();
  }
}

// Whether a `v` argument can be written (the evaluator's write_place): a
// variable, a field of a record place, or a record that a call (First, Index,
// LookUp ...) selected from a table place. Computed symbols are read-only;
// a variable's flags say which writes it allows: `by_set` assigns it whole
// (can_set) or a part of it (can_set_mutate), the mutation functions need
// can_mutate.
bool is_place(const ir::Node& n, const Engine::Impl& engine, bool by_set, bool whole = true) {
  switch (n.op) {
    case ir::Op::Global: {
      if (n.slot >= engine.symbols.size()) return true;  // declared by this formula's Set
      const Symbol& s = engine.symbols[n.slot];
      if (s.getter) return false;
      if (!by_set) return s.flags.can_mutate;
      return whole ? s.flags.can_set : s.flags.can_set_mutate;
    }
    case ir::Op::Field:
      return n.kids[0]->type.is(TypeKind::Record) && is_place(*n.kids[0], engine, by_set, false);
    case ir::Op::Call:
      return n.type.is(TypeKind::Record) && !n.kids.empty() &&
             n.kids[0]->type.is(TypeKind::Table) && is_place(*n.kids[0], engine, by_set, false);
    default:
      return false;
  }
}

// Where an unknown `.member` is reported: Power Fx includes the dot.
Span member_span(const ast::Node& dotted) {
  return {dotted.ident.span.min - 1, dotted.ident.span.lim};
}

bool is_scalar_letter(char letter) {
  return std::string_view("nsbdDtcg").find(letter) != std::string_view::npos;
}

// A lambda scope: the row type a record-scope function's lambdas see.
struct Scope {
  Type row;
  std::string as_name;  // set by `As`: fields are then reached only through the name
  bool used = false;
  bool parameters = false;  // a user-defined function's parameters: no ThisRecord
};

class Binder;

class CallChecker final : public CheckContext {
 public:
  CallChecker(Binder& binder, const ast::Node& call, ir::Node& node)
      : binder_(binder), call_(call), node_(node) {}
  size_t arg_count() const override { return node_.kids.size(); }
  const Type& arg_type(size_t i) const override { return node_.kids[i]->type; }
  // Power Fx reports an error at a dotted argument (`x.a`) on its `.a`.
  Span arg_span(size_t i) const override {
    const ast::Node& arg = *call_.children[i];
    return arg.kind == Kind::Dotted ? member_span(arg) : arg.span;
  }
  Span call_span() const override { return call_.span; }
  Span name_span() const override { return call_.token; }
  std::string_view function_name() const override { return call_.ident.name; }
  const Value* arg_constant(size_t i) const override {
    return node_.kids[i]->op == Op::Constant ? &node_.kids[i]->constant : nullptr;
  }
  const Value* arg_folded(size_t i) const override {
    const ir::Node& kid = *node_.kids[i];
    return kid.op == Op::Constant || kid.folded ? &kid.constant : nullptr;
  }
  bool arg_is_literal(size_t i) const override {
    Kind k = call_.children[i]->kind;
    return k == Kind::Text || k == Kind::Number || k == Kind::Boolean || k == Kind::Interpolation;
  }
  bool coerce(size_t i, const Type& to) override;
  void error(Span span, std::string message) override;
  void warning(Span span, std::string message) override;
  std::string_view arg_name(size_t i) const override {
    const ast::Node& arg = *call_.children[i];
    return arg.kind == Kind::As ? std::string_view(arg.ident.name) : std::string_view();
  }
  Span arg_name_span(size_t i) const override { return call_.children[i]->token; }
  ScopePath arg_scope_path(size_t i) const override;
  const Features& features() const override;
  bool behavior() const override;
  void set_payload(std::shared_ptr<const void> payload) override { node_.payload = payload; }
  Type scope_type(size_t i) const override {
    return scope_types_.size() > i ? scope_types_[i] : Type();
  }

  std::vector<Type> scope_types_;
  bool failed = false;

 private:
  Binder& binder_;
  const ast::Node& call_;
  ir::Node& node_;
};

class Binder {
 public:
  Binder(Engine::Impl& engine, const CheckOptions& options, const FunctionBodyScope* body_of)
      : engine_(engine), options_(options), body_of_(body_of) {
    if (body_of) scopes_.push_back(Scope{body_of->function->scope, "", false, true});
    if (options.row_scope) scopes_.push_back(Scope{*options.row_scope, ""});
  }

  BindResult run(const ast::Node& root) {
    BindResult result;
    result.root = bind(root);
    // A formula whose value nobody may ignore cannot be Void (If(c, {a:1}, "x")).
    const ir::Node& top = *result.root;
    if (!behavior() && top.type.is(TypeKind::Void) && top.op == Op::Call && top.fn &&
        !top.fn->behavior && top.fn->returns != "v")
      error(top.span, msg::kIfTypeMismatch);
    result.diagnostics = std::move(diagnostics_);
    for (const auto& [slot, reads] : symbol_reads_) {
      if (reads <= 0) continue;
      dependencies_.insert(engine_.symbols[slot].name);
      result.dependency_ids.push_back(slot);
    }
    std::sort(result.dependency_ids.begin(), result.dependency_ids.end());
    result.dependencies.assign(dependencies_.begin(), dependencies_.end());
    result.declared = std::move(declared_);
    result.calls = std::move(calls_);
    result.reads_failed_definition = reads_failed_definition_;
    return result;
  }

  void error(Span span, std::string message) {
    // The same message at the same place is reported once.
    for (const auto& d : diagnostics_)
      if (d.span.min == span.min && d.span.lim == span.lim && d.message == message) return;
    diagnostics_.push_back(Diagnostic{span, Severity::Error, std::move(message)});
  }
  void warning(Span span, std::string message) {
    diagnostics_.push_back(Diagnostic{span, Severity::Warning, std::move(message)});
  }
  size_t error_count() const { return diagnostics_.size(); }
  const Features& features() const { return engine_.features; }
  bool behavior() const { return options_.behavior || engine_.features.enable_expression_chaining; }

  // Wraps `node` in a conversion to `to`; reports and returns false when there is none.
  bool coerce(NodePtr& node, const Type& to, Span span, bool report = true) {
    const Type& from = node->type;
    if (to.is(TypeKind::Unknown) || from.is(TypeKind::Unknown)) return true;
    if (from.kind() == to.kind() && !from.is(TypeKind::Enum)) return true;
    if (from.is(TypeKind::Blank) || from.is(TypeKind::Error)) {
      node->type = to;
      return true;
    }
    if (!can_coerce(from, to)) {
      if (report) error(span, msg::bad_type(to, from));
      return false;
    }
    if (from.kind() == to.kind()) return true;  // same enum
    if (node->op == Op::Constant) {
      Value converted = coerce_to(node->constant, to.kind(), node->span);
      if (!converted.is_error()) {
        node->constant = std::move(converted);
        node->type = to;
        return true;
      }
    }
    auto wrapper = make(Op::Coerce, to, node->span);
    wrapper->coerce_from = from.kind();
    wrapper->kids.push_back(std::move(node));
    node = std::move(wrapper);
    return true;
  }

  NodePtr bind(const ast::Node& n) {
    switch (n.kind) {
      case Kind::Number:
        if (!std::isfinite(n.number)) {
          // 1E+400: the literal itself is an error, of Power Fx's Error type.
          error(n.span, msg::kNumberTooLarge);
          return make_constant(Value::error(ErrorKind::Numeric, {}, n.span), Type::error(), n.span);
        }
        return make_constant(Value::number(n.number), Type::number(), n.span);
      case Kind::Text:
        return make_constant(Value::text(n.text), Type::text(), n.span);
      case Kind::Boolean:
        return make_constant(Value::boolean(n.boolean), Type::boolean(), n.span);
      case Kind::Interpolation:
        return bind_interpolation(n);
      case Kind::Name:
        return bind_name(n);
      case Kind::Dotted:
        return bind_dotted(n);
      case Kind::Unary:
        return bind_unary(n);
      case Kind::Binary:
        return bind_binary(n);
      case Kind::Call:
        return bind_call(n);
      case Kind::Record:
        return bind_record(n);
      case Kind::Table:
        return bind_table(n);
      case Kind::As:
        error(n.token, msg::kAsNotAllowed);
        return bind(*n.children[0]);
      case Kind::Chain:
        return bind_chain(n);
      case Kind::Empty:
        return make_constant(Value::blank(), Type::blank(), n.span);
      case Kind::Error:
        return make(Op::Constant, Type::unknown(), n.span);
    }
    return make(Op::Constant, Type::unknown(), n.span);
  }

 private:
  friend class CallChecker;

  NodePtr bind_chain(const ast::Node& n) {
    if (!options_.behavior && !engine_.features.enable_expression_chaining && chain_depth_ == 0)
      error(n.token, msg::kChainingNotAllowed);
    auto node = make(Op::Chain, Type::void_(), n.span);
    for (const auto& kid : n.children) node->kids.push_back(bind(*kid));
    if (!node->kids.empty()) node->type = node->kids.back()->type;
    return node;
  }

  NodePtr bind_interpolation(const ast::Node& n) {
    // $"a{x}b" is Concatenate("a", x, "b") with each part coerced to text.
    size_t errors_before = error_count();
    auto node = make(Op::Concat, Type::text(), n.span);
    for (const auto& part : n.children) {
      NodePtr p = bind(*part);
      if (p->type.is_aggregate()) {
        error(part->span, msg::bad_type(Type::text(), p->type));
        p->type = Type::unknown();
      } else {
        coerce(p, Type::text(), part->span);
      }
      node->kids.push_back(std::move(p));
    }
    if (error_count() != errors_before) error(n.span, msg::kInterpolationPartNotText);
    if (node->kids.empty()) return make_constant(Value::text(""), Type::text(), n.span);
    return fold_text_concat(std::move(node));
  }

  // A concatenation of text constants is a constant: functions that need an
  // argument while checking (IsMatch's pattern) see "a" & Match.Digit as one.
  // With folded calls among the parts, the concatenation is folded too.
  static NodePtr fold_text_concat(NodePtr node) {
    std::string text;
    bool literal = true;
    for (const auto& kid : node->kids) {
      if ((kid->op != Op::Constant && !kid->folded) || !kid->constant.is_text()) return node;
      literal = literal && kid->op == Op::Constant;
      text += kid->constant.as_text();
    }
    if (literal) return make_constant(Value::text(std::move(text)), Type::text(), node->span);
    node->constant = Value::text(std::move(text));
    node->folded = true;
    return node;
  }

  // --- names -------------------------------------------------------------

  NodePtr bind_name(const ast::Node& n) {
    const std::string& name = n.ident.name;
    switch (n.name_kind) {
      case ast::NameKind::ThisRecord:
      case ast::NameKind::ThisItem:
        if (scopes_.empty() || scopes_.back().parameters) {
          error(n.token, msg::invalid_name(name));
          return make(Op::Constant, Type::unknown(), n.span);
        } else {
          auto node = make(Op::ScopeRecord, scopes_.back().row, n.span);
          node->depth = 0;
          return node;
        }
      case ast::NameKind::Self:
      case ast::NameKind::Parent:
        if (auto slot = scoped_name(n.name_kind == ast::NameKind::Self ? "Self" : "Parent"))
          return global_node(*slot, n.span);
        error(n.token, msg::kSelfParentNotSupported);
        return make(Op::Constant, Type::unknown(), n.span);
      case ast::NameKind::Global:
        if (auto slot = scoped_name(name)) return global_node(*slot, n.span);
        return bind_global(n, name);
      case ast::NameKind::Plain:
        break;
    }
    // Lambda scopes, innermost first.
    for (int i = static_cast<int>(scopes_.size()) - 1; i >= 0; --i) {
      const Scope& s = scopes_[i];
      int depth = static_cast<int>(scopes_.size()) - 1 - i;
      if (!s.as_name.empty()) {
        if (s.as_name == name) {
          auto node = make(Op::ScopeRecord, s.row, n.span);
          node->depth = depth;
          return node;
        }
        continue;
      }
      if (const Type* ft = s.row.field(name)) {
        auto node = make(Op::ScopeField, *ft, n.span);
        node->depth = depth;
        node->name = name;
        return node;
      }
    }
    if (auto slot = scoped_name(name)) return global_node(*slot, n.span);
    return bind_global(n, name);
  }

  // A name the embedder's NameScope defines for this formula (Self, Parent, a component's
  // controls).
  std::optional<size_t> scoped_name(std::string_view name) const {
    if (!options_.names) return std::nullopt;
    auto slot = options_.names->find(name);
    if (slot && *slot < engine_.symbols.size()) return slot;
    return std::nullopt;
  }

  NodePtr global_node(size_t slot, Span span) {
    const Symbol& sym = engine_.symbols[slot];
    auto node = make(Op::Global, sym.type, span);
    node->slot = slot;
    ++symbol_reads_[slot];
    return node;
  }

  NodePtr bind_global(const ast::Node& n, const std::string& name) {
    // A named formula of the block being defined is bound on first reference.
    if (engine_.resolver &&
        engine_.resolver->resolve_formula(name) == DefinitionResolver::Status::Failed) {
      reads_failed_definition_ = true;
      return make(Op::Constant, Type::unknown(), n.span);
    }
    if (auto it = engine_.symbol_index.find(name); it != engine_.symbol_index.end())
      return global_node(it->second, n.span);
    for (const auto& d : declared_)
      if (d.name == name) {
        auto node = make(Op::Global, d.type, n.span);
        node->slot = engine_.symbols.size() + (&d - declared_.data());
        return node;
      }
    if (engine_.enums.count(name)) {
      error(n.token, msg::invalid_name(name));
      return make(Op::Constant, Type::unknown(), n.span);
    }
    if (engine_.features.unqualified_enum_members)
      if (NodePtr member = unqualified_enum_member(n, name)) return member;
    // A field of an open row (a data source whose schema the app lacks) that nothing else names.
    for (int i = static_cast<int>(scopes_.size()) - 1; i >= 0; --i) {
      const Scope& s = scopes_[i];
      if (!s.as_name.empty() || !s.row.open()) continue;
      auto node = make(Op::ScopeField, Type::unknown(), n.span);
      node->depth = static_cast<int>(scopes_.size()) - 1 - i;
      node->name = name;
      return node;
    }
    error(n.token, msg::invalid_name(name));
    return make(Op::Constant, Type::unknown(), n.span);
  }

  // `Black` for Color.Black (Features::unqualified_enum_members): the member
  // of the enums that have one by that name, when they all mean the same value.
  NodePtr unqualified_enum_member(const ast::Node& n, const std::string& name) {
    NodePtr found;
    std::vector<std::string> enums;
    for (const auto& [enum_name, info] : engine_.enums) {
      if (!info->find(name)) continue;
      enums.push_back(enum_name);
      NodePtr candidate = enum_member(*info, info, n);
      if (!found) {
        found = std::move(candidate);
      } else if (!(candidate->type == found->type) ||
                 candidate->constant.kind() != found->constant.kind() ||
                 !values_equal(candidate->constant, found->constant)) {
        return nullptr;  // ambiguous: say which enum
      }
    }
    return found;
  }

  NodePtr enum_member(const EnumInfo& info, std::shared_ptr<const EnumInfo> ptr,
                      const ast::Node& n) {
    auto idx = info.find(n.ident.name);
    if (!idx) {
      error(member_span(n), msg::invalid_name(n.ident.name));
      return make(Op::Constant, Type::unknown(), n.span);
    }
    bool strong = info.strongly_typed || engine_.features.strongly_typed_builtin_enums;
    if (!strong) {
      const Value& underlying = info.members[*idx].second;
      Type t = underlying.is_number()            ? Type::number()
               : underlying.is_text()            ? Type::text()
               : underlying.is_boolean()         ? Type::boolean()
               : underlying.is(ValueKind::Color) ? Type::color()
                                                 : Type(info.underlying);
      return make_constant(underlying, t, n.span);
    }
    return make_constant(Value::enum_member(ptr, *idx), Type::enum_of(ptr), n.span);
  }

  NodePtr bind_dotted(const ast::Node& n) {
    const ast::Node& left = *n.children[0];
    // DisableRowScopeDisambiguationSyntax: `T[@Column]` gives way to ThisRecord.Column and As.
    if (n.column_syntax && engine_.features.disable_row_scope_disambiguation_syntax) {
      error(n.span, msg::kDeprecated);
      bind(left);
      return make(Op::Constant, Type::unknown(), n.span);
    }
    // Enum.Member, unless the name is shadowed by a scope field or symbol.
    if (left.kind == Kind::Name && left.name_kind == ast::NameKind::Plain &&
        !name_in_scope(left.ident.name) && !engine_.find(left.ident.name) &&
        !scoped_name(left.ident.name)) {
      auto it = engine_.enums.find(left.ident.name);
      if (it != engine_.enums.end()) return enum_member(*it->second, it->second, n);
    }
    const std::string& field = n.ident.name;
    NodePtr object = bind(left);
    // A member of an object (a control's property) is a symbol of its own.
    if (object->op == Op::Global && object->slot < engine_.symbols.size()) {
      const Symbol& sym = engine_.symbols[object->slot];
      if (!sym.members.empty()) {
        if (const size_t* member = sym.member(field)) {
          --symbol_reads_[object->slot];  // only the member is read, not the whole object
          return global_node(*member, n.span);
        }
      }
    }
    const Type& t = object->type;
    if (t.is(TypeKind::Unknown)) return make(Op::Constant, Type::unknown(), n.span);
    if (t.is(TypeKind::Record) || t.is(TypeKind::Table)) {
      const Type* ft = t.field(field);
      Type unknown_field;
      if (!ft && t.open()) ft = &unknown_field;
      if (!ft) {
        error(member_span(n), msg::invalid_name(field));
        return make(Op::Constant, Type::unknown(), n.span);
      }
      Type result = t.is(TypeKind::Record) ? *ft : Type::table({{field, *ft}});
      auto node = make(Op::Field, result, n.span);
      node->name = field;
      node->kids.push_back(std::move(object));
      return node;
    }
    if (t.is(TypeKind::Untyped)) {
      auto node = make(Op::Field, Type::untyped(), n.span);
      node->name = field;
      node->kids.push_back(std::move(object));
      return node;
    }
    error(n.token, msg::invalid_dot(t));
    return make(Op::Constant, Type::unknown(), n.span);
  }

  bool name_in_scope(const std::string& name) const {
    for (const auto& s : scopes_)
      if (s.as_name == name || (s.as_name.empty() && s.row.field(name))) return true;
    return false;
  }

  // --- operators ---------------------------------------------------------

  NodePtr bind_unary(const ast::Node& n) {
    NodePtr operand = bind(*n.children[0]);
    Span span = n.children[0]->span;
    switch (n.unary_op) {
      case ast::UnaryOp::Not: {
        auto node = make(Op::Not, Type::boolean(), n.span);
        logical_operand(operand, span);
        node->kids.push_back(std::move(operand));
        return node;
      }
      case ast::UnaryOp::Negate:
      case ast::UnaryOp::Percent: {
        Op op = n.unary_op == ast::UnaryOp::Negate ? Op::Negate : Op::Percent;
        TypeKind k = effective_kind(operand->type);
        // -Date, -DateTime and -Time negate the serial number and keep the kind.
        if (op == Op::Negate && is_date_kind(k)) {
          auto node = make(Op::Negate, Type(k), n.span);
          node->kids.push_back(std::move(operand));
          return node;
        }
        auto node = make(op, Type::number(), n.span);
        arithmetic_operand(operand, span, /*dates_allowed=*/true);
        node->kids.push_back(std::move(operand));
        if (node->kids[0]->op == Op::Constant && node->kids[0]->constant.is_number()) {
          double v = node->kids[0]->constant.as_number();
          return make_constant(Value::number(op == Op::Negate ? -v : v / 100), Type::number(),
                               n.span);
        }
        return node;
      }
    }
    return operand;
  }

  // The kind an operand acts as: weak (canvas builtin) enums act as their underlying value.
  TypeKind effective_kind(const Type& t) const {
    if (t.is(TypeKind::Enum) && t.enum_info() && !t.enum_info()->strongly_typed &&
        !engine_.features.strongly_typed_builtin_enums)
      return t.enum_info()->underlying;
    return t.kind();
  }

  void require_scalar_operand(NodePtr& operand, const Type& to, Span span) {
    if (operand->type.is_aggregate()) {
      error(span, msg::bad_type(to, operand->type));
      return;
    }
    coerce(operand, to, span);
  }

  // Operands of !, Not, && and ||.
  void logical_operand(NodePtr& operand, Span span) {
    TypeKind k = effective_kind(operand->type);
    bool ok = k == TypeKind::Boolean || k == TypeKind::Number || k == TypeKind::Text ||
              k == TypeKind::Blank || k == TypeKind::Untyped || k == TypeKind::Unknown ||
              k == TypeKind::Error;
    if (!ok) {
      error(span, msg::kExpectingLogical);
      return;
    }
    coerce(operand, Type::boolean(), span);
  }

  // Operands of arithmetic: numbers, and what coerces to one. Dates and times
  // count as their serial number (days since 1899-12-30) where `dates_allowed`.
  void arithmetic_operand(NodePtr& operand, Span span, bool dates_allowed) {
    TypeKind k = effective_kind(operand->type);
    bool ok = k == TypeKind::Number || k == TypeKind::Text || k == TypeKind::Boolean ||
              k == TypeKind::Blank || k == TypeKind::Untyped || k == TypeKind::Unknown ||
              k == TypeKind::Error || (dates_allowed && is_date_kind(k));
    if (!ok) {
      error(span, dates_allowed || !is_date_kind(k) ? msg::kExpectingArithmetic
                                                    : msg::kExpectingPowerOperand);
      return;
    }
    coerce(operand, Type::number(), span);
  }

  NodePtr bind_binary(const ast::Node& n) {
    NodePtr left = bind(*n.children[0]);
    NodePtr right = bind(*n.children[1]);
    Span lspan = n.children[0]->span, rspan = n.children[1]->span;
    switch (n.binary_op) {
      case BinaryOp::And:
      case BinaryOp::Or: {
        auto node = make(n.binary_op == BinaryOp::And ? Op::And : Op::Or, Type::boolean(), n.span);
        logical_operand(left, lspan);
        logical_operand(right, rspan);
        node->kids.push_back(std::move(left));
        node->kids.push_back(std::move(right));
        return node;
      }
      case BinaryOp::Concat: {
        auto node = make(Op::Concat, Type::text(), n.span);
        require_scalar_operand(left, Type::text(), lspan);
        require_scalar_operand(right, Type::text(), rspan);
        node->kids.push_back(std::move(left));
        node->kids.push_back(std::move(right));
        return fold_text_concat(std::move(node));
      }
      case BinaryOp::Add:
      case BinaryOp::Sub:
        return bind_additive(n, std::move(left), std::move(right));
      case BinaryOp::Mul:
      case BinaryOp::Div:
      case BinaryOp::Power: {
        Op op = n.binary_op == BinaryOp::Mul   ? Op::Mul
                : n.binary_op == BinaryOp::Div ? Op::Div
                                               : Op::Power;
        auto node = make(op, Type::number(), n.span);
        bool dates_allowed = op != Op::Power;
        arithmetic_operand(left, lspan, dates_allowed);
        arithmetic_operand(right, rspan, dates_allowed);
        node->kids.push_back(std::move(left));
        node->kids.push_back(std::move(right));
        return node;
      }
      case BinaryOp::Equal:
      case BinaryOp::NotEqual:
        return bind_equality(n, std::move(left), std::move(right));
      case BinaryOp::Less:
      case BinaryOp::LessEqual:
      case BinaryOp::Greater:
      case BinaryOp::GreaterEqual:
        return bind_ordering(n, std::move(left), std::move(right));
      case BinaryOp::In:
      case BinaryOp::ExactIn:
        return bind_in(n, std::move(left), std::move(right));
    }
    return left;
  }

  NodePtr bind_additive(const ast::Node& n, NodePtr left, NodePtr right) {
    bool add = n.binary_op == BinaryOp::Add;
    TypeKind lk = effective_kind(left->type), rk = effective_kind(right->type);
    // Untyped next to a date acts as a number of days.
    if (is_date_kind(lk) || is_date_kind(rk)) {
      using DA = ir::DateArith;
      std::optional<DA> arith;
      Type result = Type::number();
      auto numeric = [](TypeKind k) {
        return k == TypeKind::Number || k == TypeKind::Boolean || k == TypeKind::Text ||
               k == TypeKind::Blank || k == TypeKind::Untyped || k == TypeKind::Unknown;
      };
      bool swap = false;
      if (add) {
        if (numeric(lk) && is_date_kind(rk) && !(lk == TypeKind::Blank && rk == TypeKind::Time)) {
          swap = true;
          std::swap(lk, rk);
        }
        if (lk == TypeKind::Date && numeric(rk))
          arith = DA::DatePlusDays, result = Type::date();
        else if (lk == TypeKind::DateTime && numeric(rk))
          arith = DA::DateTimePlusDays, result = Type::datetime();
        else if (lk == TypeKind::Date && rk == TypeKind::Time)
          arith = DA::DatePlusTime, result = Type::datetime();
        else if (lk == TypeKind::Time && rk == TypeKind::Date)
          arith = DA::DatePlusTime, result = Type::datetime(), swap = !swap;
        else if (lk == TypeKind::DateTime && rk == TypeKind::Time)
          arith = DA::DateTimePlusTime, result = Type::datetime();
        else if (lk == TypeKind::Time && rk == TypeKind::DateTime)
          arith = DA::DateTimePlusTime, result = Type::datetime(), swap = !swap;
        else if (lk == TypeKind::Time && rk == TypeKind::Time)
          arith = DA::TimePlusTime, result = Type::time();
        else if (lk == TypeKind::Time && numeric(rk))
          arith = DA::TimePlusDays, result = Type::time();
        else if (lk == TypeKind::Blank && rk == TypeKind::Time)
          arith = DA::TimePlusDays, result = Type::time(), swap = true;
      } else {
        if (lk == TypeKind::Date && rk == TypeKind::Date)
          arith = DA::DateMinusDate;
        else if ((lk == TypeKind::DateTime || lk == TypeKind::Date) &&
                 (rk == TypeKind::DateTime || rk == TypeKind::Date))
          arith = DA::DateTimeMinusDateTime;
        else if (lk == TypeKind::Time && rk == TypeKind::Time)
          arith = DA::TimeMinusTime;
        else if (lk == TypeKind::Date && numeric(rk))
          arith = DA::DateMinusDays, result = Type::date();
        else if (lk == TypeKind::DateTime && numeric(rk))
          arith = DA::DateTimeMinusDays, result = Type::datetime();
        else if (lk == TypeKind::Date && rk == TypeKind::Time)
          arith = DA::DateMinusTime, result = Type::datetime();
        else if (lk == TypeKind::DateTime && rk == TypeKind::Time)
          arith = DA::DateTimeMinusTime, result = Type::datetime();
        else if (lk == TypeKind::Time && numeric(rk))
          arith = DA::TimeMinusDays, result = Type::time();
        else if (numeric(lk) && is_date_kind(rk))
          arith = DA::NumberMinusDate;
      }
      if (!arith) {
        error(n.token, msg::bad_operator_types(left->type, right->type));
        return make(Op::Constant, Type::unknown(), n.span);
      }
      if (swap) std::swap(left, right);
      // The numeric side is a number of days.
      if (!is_date_kind(effective_kind(right->type)) && !right->type.is(TypeKind::Blank))
        coerce(right, Type::number(), n.children[1]->span);
      if (!is_date_kind(effective_kind(left->type)) && !left->type.is(TypeKind::Blank))
        coerce(left, Type::number(), n.children[0]->span);
      auto node = make(Op::DateArith, result, n.span);
      node->arith = *arith;
      node->kids.push_back(std::move(left));
      node->kids.push_back(std::move(right));
      return node;
    }
    auto node = make(add ? Op::Add : Op::Sub, Type::number(), n.span);
    arithmetic_operand(left, n.children[0]->span, true);
    arithmetic_operand(right, n.children[1]->span, true);
    node->kids.push_back(std::move(left));
    node->kids.push_back(std::move(right));
    return node;
  }

  static bool is_serial_kind(TypeKind k) { return k == TypeKind::Number || is_date_kind(k); }

  NodePtr bind_equality(const ast::Node& n, NodePtr left, NodePtr right) {
    auto node = make(Op::Compare, Type::boolean(), n.span);
    node->compare = n.binary_op == BinaryOp::Equal ? ir::CompareOp::Equal : ir::CompareOp::NotEqual;
    TypeKind lk = effective_kind(left->type), rk = effective_kind(right->type);
    TypeKind kind = TypeKind::Unknown;
    bool ok = true;
    if (lk == TypeKind::Unknown || rk == TypeKind::Unknown || lk == TypeKind::Error ||
        rk == TypeKind::Error) {
      kind = TypeKind::Unknown;
    } else if (lk == TypeKind::Blank || rk == TypeKind::Blank) {
      kind = lk == TypeKind::Blank ? rk : lk;
    } else if (lk == TypeKind::Untyped && rk == TypeKind::Untyped) {
      ok = false;
    } else if (lk == TypeKind::Untyped || rk == TypeKind::Untyped) {
      // The untyped side is read as the other side's type.
      kind = lk == TypeKind::Untyped ? rk : lk;
      if (left->type.is_aggregate() || right->type.is_aggregate())
        ok = false;
      else
        coerce(lk == TypeKind::Untyped ? left : right,
               lk == TypeKind::Untyped ? right->type : left->type, n.span, false);
    } else if (lk == rk) {
      kind = lk;
      if (lk == TypeKind::Enum && left->type.enum_info() != right->type.enum_info()) ok = false;
    } else if (is_serial_kind(lk) && is_serial_kind(rk)) {
      kind = TypeKind::Number;
      coerce(left, Type::number(), n.children[0]->span, false);
      coerce(right, Type::number(), n.children[1]->span, false);
    } else {
      ok = false;
    }
    if (!ok) {
      error(n.token, msg::incompatible_comparison(left->type, right->type));
      kind = TypeKind::Unknown;
    }
    node->compare_kind = kind;
    node->kids.push_back(std::move(left));
    node->kids.push_back(std::move(right));
    return node;
  }

  NodePtr bind_ordering(const ast::Node& n, NodePtr left, NodePtr right) {
    auto node = make(Op::Compare, Type::boolean(), n.span);
    switch (n.binary_op) {
      case BinaryOp::Less:
        node->compare = ir::CompareOp::Less;
        break;
      case BinaryOp::LessEqual:
        node->compare = ir::CompareOp::LessEqual;
        break;
      case BinaryOp::Greater:
        node->compare = ir::CompareOp::Greater;
        break;
      default:
        node->compare = ir::CompareOp::GreaterEqual;
        break;
    }
    auto orderable = [](TypeKind k) {
      return k == TypeKind::Number || is_date_kind(k) || k == TypeKind::Blank ||
             k == TypeKind::Untyped || k == TypeKind::Unknown || k == TypeKind::Error;
    };
    TypeKind lk = effective_kind(left->type), rk = effective_kind(right->type);
    bool ok = true;
    if (!orderable(lk)) error(n.children[0]->span, msg::kExpectingOrderable), ok = false;
    if (!orderable(rk)) error(n.children[1]->span, msg::kExpectingOrderable), ok = false;
    if (ok && lk == TypeKind::Untyped && rk == TypeKind::Untyped) {
      error(n.token, msg::bad_operator_types(left->type, right->type));
      ok = false;
    }
    if (ok) {
      // An untyped side is read as the other side's type; then all compare as serial numbers.
      if (lk == TypeKind::Untyped && is_date_kind(rk)) coerce(left, right->type, n.span, false);
      if (rk == TypeKind::Untyped && is_date_kind(lk)) coerce(right, left->type, n.span, false);
      coerce(left, Type::number(), n.children[0]->span, false);
      coerce(right, Type::number(), n.children[1]->span, false);
    }
    node->compare_kind = ok ? TypeKind::Number : TypeKind::Unknown;
    node->kids.push_back(std::move(left));
    node->kids.push_back(std::move(right));
    return node;
  }

  NodePtr bind_in(const ast::Node& n, NodePtr left, NodePtr right) {
    bool exact = n.binary_op == BinaryOp::ExactIn;
    if (right->type.is(TypeKind::Record)) {
      error(n.children[1]->span, msg::kRecordNotAllowed);
      return make(Op::Constant, Type::boolean(), n.span);
    }
    if (right->type.is(TypeKind::Table)) {
      auto node = make(exact ? Op::ExactInTable : Op::InTable, Type::boolean(), n.span);
      if (!left->type.is_aggregate() && right->type.field_count() == 1)
        coerce(left, right->type.field_type(0), n.children[0]->span, false);
      node->kids.push_back(std::move(left));
      node->kids.push_back(std::move(right));
      return node;
    }
    auto node = make(exact ? Op::ExactInText : Op::InText, Type::boolean(), n.span);
    require_scalar_operand(left, Type::text(), n.children[0]->span);
    require_scalar_operand(right, Type::text(), n.children[1]->span);
    node->kids.push_back(std::move(left));
    node->kids.push_back(std::move(right));
    return node;
  }

  // --- records and tables -----------------------------------------------

  NodePtr bind_record(const ast::Node& n) {
    std::vector<std::pair<std::string, Type>> types;
    auto node = make(Op::MakeRecord, Type::empty_record(), n.span);
    std::unordered_set<std::string> seen;
    for (const auto& f : n.fields) {
      NodePtr value = bind(*f.value);
      if (!seen.insert(f.name.name).second) {
        error(f.name.span, msg::duplicate_field(f.name.name));
        continue;
      }
      if (value->type.is(TypeKind::Void)) error(f.value->span, msg::kVoidInRecord);
      types.emplace_back(f.name.name,
                         value->type.is(TypeKind::Blank) ? Type::blank() : value->type);
      node->names.push_back(f.name.name);
      node->kids.push_back(std::move(value));
    }
    node->type = Type::record(std::move(types));
    return node;
  }

  // The type of a table whose rows have these types, coercing where Power Fx does.
  NodePtr bind_table(const ast::Node& n) {
    auto node = make(Op::MakeTable, Type::table({}), n.span);
    std::vector<NodePtr> items;
    for (const auto& item : n.children) items.push_back(bind(*item));
    // The first item that is not Blank decides: records make a table of
    // records, anything else a one-column Value table.
    bool records = false;
    for (const auto& item : items)
      if (!item->type.is(TypeKind::Blank) && !item->type.is(TypeKind::Error)) {
        records = item->type.is(TypeKind::Record);
        break;
      }
    if (records) {
      Type row = unify_records(items, n);
      for (auto& item : items) node->kids.push_back(std::move(item));
      node->type = row.as_table();
      return node;
    }
    // A one-column table named Value.
    Type column = Type::blank();
    for (size_t i = 0; i < items.size(); ++i) {
      const Type& t = items[i]->type;
      if (t.is(TypeKind::Blank) || t.is(TypeKind::Error)) continue;
      if (t.is(TypeKind::Record)) {
        error(n.children[i]->span, msg::kTableIncompatibleType);
        continue;
      }
      if (column.is(TypeKind::Blank)) {
        column = t;
      } else if (!(column == t)) {
        if (t.is(TypeKind::Table) || column.is(TypeKind::Table) || !can_coerce(t, column))
          error(n.children[i]->span, msg::kTableIncompatibleType);
        else
          coerce(items[i], column, n.children[i]->span);
      }
    }
    node->wrap_value = true;
    for (auto& item : items) node->kids.push_back(std::move(item));
    if (!node->kids.empty()) node->type = Type::table({{"Value", column}});
    return node;
  }

  Type unify_records(std::vector<NodePtr>& items, const ast::Node& n) {
    Type row = Type::empty_record();
    for (size_t i = 0; i < items.size(); ++i) {
      const Type& t = items[i]->type;
      if (t.is(TypeKind::Blank) || t.is(TypeKind::Error) || t.is(TypeKind::Unknown)) continue;
      if (!t.is(TypeKind::Record)) {
        error(n.children[i]->span, msg::kTableIncompatibleType);
        continue;
      }
      bool ok = true;
      Type merged = union_record_type(row, items[i]->type, ok);
      if (ok)
        row = merged;
      else
        error(n.children[i]->span, msg::kTableIncompatibleType);
    }
    return row;
  }

  // --- calls -------------------------------------------------------------

  NodePtr bind_call(const ast::Node& n);
  void observe_call(const ast::Node& n, const ir::Node& node);
  NodePtr bind_user_call(const ast::Node& n, const UserFunction& fn);
  bool user_argument(NodePtr& arg, const Type& param, Span span);
  NodePtr fold_constant_call(NodePtr node);
  // Named types (Name := Type(...)) for type arguments: the block's, then the engine's.
  std::optional<Type> user_type(const std::string& name) const {
    if (engine_.resolver) return engine_.resolver->resolve_type(name);
    auto it = engine_.user_types.find(name);
    if (it == engine_.user_types.end()) return std::nullopt;
    return it->second;
  }
  NodePtr bind_arg(const ast::Node& arg, const ParamSpec& spec, const Type& scope_row,
                   const std::string& as_name, CallChecker& checker, size_t index);

  Engine::Impl& engine_;
  const CheckOptions& options_;
  const FunctionBodyScope* body_of_;
  std::vector<const UserFunction*> calls_;
  bool reads_failed_definition_ = false;
  std::vector<Diagnostic> diagnostics_;
  std::vector<Scope> scopes_;
  std::unordered_set<std::string> dependencies_;
  std::unordered_map<size_t, int> symbol_reads_;  // engine symbols read, by slot
  std::vector<Symbol> declared_;
  int chain_depth_ = 0;
};

bool CallChecker::coerce(size_t i, const Type& to) {
  const ast::Node& arg = *call_.children[i];
  bool ok = binder_.coerce(node_.kids[i], to, arg.kind == Kind::Binary ? arg.token : arg_span(i));
  if (!ok) failed = true;
  return ok;
}
void CallChecker::error(Span span, std::string message) {
  failed = true;
  binder_.error(span, std::move(message));
}
void CallChecker::warning(Span span, std::string message) {
  failed = true;
  binder_.warning(span, std::move(message));
}
const Features& CallChecker::features() const { return binder_.features(); }
CheckContext::ScopePath CallChecker::arg_scope_path(size_t i) const {
  const ir::Node& kid = *node_.kids[i];
  const ast::Node* arg = call_.children[i].get();
  if (arg->kind == Kind::As) arg = arg->children[0].get();
  if (kid.op == Op::ScopeField && kid.depth == 0) return {{kid.name}, arg->span};
  if (kid.op == Op::Field && kid.kids[0]->op == Op::ScopeField && kid.kids[0]->depth == 0 &&
      arg->kind == Kind::Dotted)
    return {{kid.kids[0]->name, kid.name}, member_span(*arg)};
  return {};
}
bool CallChecker::behavior() const { return binder_.behavior(); }

NodePtr Binder::bind_arg(const ast::Node& arg, const ParamSpec& spec, const Type& scope_row,
                         const std::string& as_name, CallChecker& checker, size_t index) {
  if (spec.letter == 'i') {
    // A column name: a text literal, or an identifier with SupportColumnNamesAsIdentifiers.
    if (arg.kind == Kind::Text) return make_constant(Value::text(arg.text), Type::text(), arg.span);
    bool identifiers = engine_.features.support_column_names_as_identifiers;
    if (arg.kind == Kind::Name && arg.name_kind == ast::NameKind::Plain && identifiers)
      return make_constant(Value::text(arg.ident.name), Type::text(), arg.span);
    // Otherwise a text formula, evaluated at run time (SortByColumns); functions
    // that need the name while checking (AddColumns ...) require arg_constant.
    NodePtr bound = bind(arg);
    if (bound->type.is(TypeKind::Unknown) || bound->type.is(TypeKind::Text)) return bound;
    if (identifiers)
      checker.error(arg.span, msg::kExpectedIdentifier);
    else
      checker.error(arg.span, msg::expected_text_literal(arg.kind == Kind::Number
                                                             ? arg.text
                                                             : msg::type_name(bound->type)));
    return bound;
  }
  if (spec.letter == 'y') {
    // A type argument (AsType, IsType, ParseJSON): not an expression, see type_args.h.
    Type type = bind_type_argument(
        arg, checker.call_span(), [&](Span span, std::string m) { checker.error(span, m); },
        [&](const std::string& name) { return user_type(name); });
    return make_constant(Value(), std::move(type), arg.span);
  }
  // A `v` argument (a variable or collection to write) binds as an expression;
  // the generic checks require it to be a place (is_place).
  if (spec.mode == ParamMode::Lambda) {
    scopes_.push_back(Scope{scope_row, as_name});
    ++chain_depth_;
    NodePtr bound = bind(arg);
    --chain_depth_;
    scopes_.pop_back();
    return bound;
  }
  ++chain_depth_;
  NodePtr bound = bind(arg);
  --chain_depth_;
  return bound;
}

NodePtr Binder::bind_call(const ast::Node& n) {
  const std::string& name = n.ident.name;
  // A user-defined function shadows a builtin of its name.
  if (const UserFunction* user = engine_.find_user_function(name)) return bind_user_call(n, *user);
  auto it = engine_.functions.find(name);
  if (it == engine_.functions.end()) {
    error(n.span, msg::unknown_function(name));
    for (const auto& arg : n.children) bind(*arg);
    return make(Op::Constant, Type::unknown(), n.span);
  }
  const auto& rows = it->second;
  size_t argc = n.children.size();

  // Arity: across all overloads.
  const FunctionDef* chosen = nullptr;
  std::vector<ParsedParams> parsed;
  parsed.reserve(rows.size());
  size_t min_arity = SIZE_MAX, max_arity = 0;
  for (const FunctionDef* row : rows) {
    parsed.push_back(parse_params(row->params));
    min_arity = std::min(min_arity, parsed.back().min_args);
    max_arity = std::max(max_arity, parsed.back().max_args);
  }
  if (argc < min_arity || argc > max_arity) {
    error(n.token, msg::invalid_args(name));
    error(n.span, msg::bad_arity(argc, min_arity, max_arity));
    for (const auto& arg : n.children) bind(*arg);
    return make(Op::Constant, Type::unknown(), n.span);
  }

  // Argument 0 is never a lambda: bind it, then pick the overload by arity and its type.
  auto node = make(Op::Call, Type::unknown(), n.span);
  std::string as_name;
  const ast::Node* first = argc ? n.children[0].get() : nullptr;
  if (first && first->kind == Kind::As) {
    as_name = first->ident.name;
    first = first->children[0].get();
  }
  NodePtr arg0;
  size_t errors_before = error_count();
  if (first) {
    size_t row_index = 0;
    for (; row_index < rows.size(); ++row_index)
      if (argc >= parsed[row_index].min_args && argc <= parsed[row_index].max_args) break;
    const ParamSpec& spec0 = parsed[row_index].at(0);
    // The REPL's Set(x, value) declares x with the value's type: a function of
    // exactly a variable and its value. Collect(x, ...) and the other mutation
    // functions (more arguments) need x to exist ("Name isn't valid").
    if (spec0.letter == 'v' && first->kind == Kind::Name && argc == 2 &&
        parsed[row_index].max_args == 2 && options_.allow_set_declarations &&
        !engine_.find(first->ident.name) && !name_in_scope(first->ident.name) &&
        std::none_of(declared_.begin(), declared_.end(),
                     [&](const Symbol& s) { return s.name == first->ident.name; })) {
      NodePtr value = bind(*n.children[1]);
      Symbol symbol;
      symbol.name = first->ident.name;
      symbol.type = value->type.is(TypeKind::Blank) ? Type::unknown() : value->type;
      declared_.push_back(std::move(symbol));
    }
    CallChecker dummy(*this, n, *node);
    arg0 = bind_arg(*first, spec0, Type(), "", dummy, 0);
  }
  const ParsedParams* params = nullptr;
  // Rows whose `match` accepts argument 0 come before rows without one, so that a
  // family may add an overload for one type (Untyped) to a function another defines.
  for (bool with_match : {true, false})
    for (size_t r = 0; r < rows.size() && !chosen; ++r) {
      if (argc < parsed[r].min_args || argc > parsed[r].max_args) continue;
      if ((rows[r]->match != nullptr) != with_match) continue;
      if (rows[r]->match && arg0 && !rows[r]->match(arg0->type)) continue;
      chosen = rows[r];
      params = &parsed[r];
    }
  if (!chosen) {
    for (size_t r = 0; r < rows.size(); ++r)
      if (argc >= parsed[r].min_args && argc <= parsed[r].max_args) {
        chosen = rows[r];
        params = &parsed[r];
        break;
      }
  }
  node->fn = chosen;
  if (chosen->behavior && !options_.behavior)
    error(n.span, body_of_ ? msg::kBehaviorInDataFunction : msg::kBehaviorOnly);

  CallChecker checker(*this, n, *node);
  Type scope_row;
  // scope_args: the arguments that are not lambdas are bound first, for the scope.
  std::vector<NodePtr> early(argc);
  auto is_lambda = [&](size_t i) {
    return params->at(i).mode == ParamMode::Lambda ||
           (i > 0 && n.children[i]->kind == Kind::As && chosen->named_args &&
            params->at(i).letter != 'T');
  };
  if (arg0 && chosen->scope_args) {
    std::vector<ScopeArg> scope_args(argc);
    for (size_t i = 0; i < argc; ++i) {
      const ast::Node* arg = n.children[i].get();
      if (arg->kind == Kind::As) scope_args[i].as_name = arg->ident.name;
      if (is_lambda(i)) {
        scope_args[i] = ScopeArg{Type::unknown(), nullptr, scope_args[i].as_name, true};
        continue;
      }
      if (i > 0) {
        if (arg->kind == Kind::As && params->at(i).letter != 'T')
          error(arg->token, msg::kAsNotAllowed);
        if (arg->kind == Kind::As) arg = arg->children[0].get();
        early[i] = bind_arg(*arg, params->at(i), Type(), "", checker, i);
      }
      const ir::Node& bound = i == 0 ? *arg0 : *early[i];
      scope_args[i].type = bound.type;
      if (bound.op == Op::Constant) scope_args[i].constant = &bound.constant;
    }
    scope_row = chosen->scope_args(scope_args);
    as_name.clear();
  } else if (arg0 && chosen->scope) {
    scope_row = chosen->scope(arg0->type);
  } else if (arg0) {
    if (arg0->type.is(TypeKind::Table))
      scope_row = arg0->type.as_record();
    else if (arg0->type.is(TypeKind::Record))
      scope_row = arg0->type;
    else
      scope_row = Type::empty_record();
  }
  for (size_t i = 0; i < argc; ++i) {
    ParamSpec spec = params->at(i);
    NodePtr bound;
    if (i == 0) {
      bound = std::move(arg0);
    } else if (early[i]) {
      bound = std::move(early[i]);
    } else {
      const ast::Node* arg = n.children[i].get();
      if (arg->kind == Kind::As) {
        // A named argument is a lambda over argument 0's rows, whatever its letter.
        if (chosen->named_args)
          spec = ParamSpec{'a', ParamMode::Lambda, false};
        else
          error(arg->token, msg::kAsNotAllowed);
        arg = arg->children[0].get();
      }
      bound = bind_arg(*arg, spec, scope_row, as_name, checker, i);
    }
    node->arg_modes.push_back(static_cast<uint8_t>(spec.mode));
    node->arg_letters.push_back(spec.letter);
    node->kids.push_back(std::move(bound));
    checker.scope_types_.push_back(spec.mode == ParamMode::Lambda ? scope_row : Type());
  }
  bool args_bad = error_count() != errors_before;

  // Generic checks from the parameter letters.
  bool has_lambda = false;
  for (size_t i = 0; i < argc; ++i)
    has_lambda = has_lambda || params->at(i).mode == ParamMode::Lambda;
  for (size_t i = 0; i < argc; ++i) {
    const ParamSpec& spec = params->at(i);
    if (node->arg_letters[i] != spec.letter) continue;  // a named argument
    ir::Node& kid = *node->kids[i];
    // An operator expression's type is reported at its operator (the `/` of 1/0).
    const ast::Node& arg = *n.children[i];
    Span span = arg.kind == Kind::Binary ? arg.token : arg.span;
    const Type& t = kid.type;
    if (t.is(TypeKind::Unknown)) continue;
    // An erroneous constant (a number literal too large) is no value of any type.
    if (t.is(TypeKind::Error) && kid.op == Op::Constant && is_scalar_letter(spec.letter)) {
      checker.error(span, msg::bad_type(type_of_letter(spec.letter), t));
      continue;
    }
    if (is_scalar_letter(spec.letter)) {
      // A table of tables or records is no candidate for the table overload of
      // a number (or other non-text) parameter: it is just a table where a
      // scalar was expected. For a text parameter, Power Fx picks the table
      // overload and reports its column instead (Hex2Dec(Table({a:[1]}))).
      bool nested = spec.letter != 's' && t.field_count() == 1 && t.field_type(0).is_aggregate();
      if (t.is(TypeKind::Table) && chosen->table_overload && !nested) {
        if (t.field_count() != 1) {
          checker.error(span, msg::kExpectingOneColumnTable);
        } else if (!can_coerce(t.field_type(0), type_of_letter(spec.letter))) {
          checker.error(span, msg::column_type(type_of_letter(spec.letter), t.field_name(0)));
        } else {
          node->tabular = true;
        }
        continue;
      }
      if (t.is_aggregate()) {
        checker.error(span, msg::bad_type(type_of_letter(spec.letter), t));
        continue;
      }
      if (!checker.coerce(i, type_of_letter(spec.letter))) continue;
    } else if (spec.letter == 'r' && !t.is(TypeKind::Record) && !t.is(TypeKind::Blank)) {
      checker.error(span, msg::bad_type(Type::empty_record(), t));
    } else if (spec.letter == 'T' && i == 0 && has_lambda && !t.is(TypeKind::Table)) {
      // The table whose rows the lambdas see must be typed (V1: not even Blank).
      checker.error(span, msg::kBadType);
    } else if (spec.letter == 'T' && !t.is(TypeKind::Table) && !t.is(TypeKind::Blank)) {
      checker.error(span, msg::bad_type(Type::table({}), t));
    } else if (spec.letter == 'u' && !t.is(TypeKind::Untyped) && !t.is(TypeKind::Blank)) {
      checker.error(span, msg::bad_type(Type::untyped(), t));
    } else if (spec.letter == 'e' && !t.is(TypeKind::Enum) && t.is_aggregate()) {
      checker.error(span, msg::bad_type(Type::untyped(), t));
    }
  }

  Type result;
  if (chosen->check && !checker.failed)
    result = chosen->check(checker);
  else if (!chosen->returns.empty())
    result = type_of_letter(chosen->returns[0]);
  else
    result = Type::unknown();
  // Set(x, value), recognized by its shape: a place and its value.
  bool assigns = params->max_args == 2 && params->at(0).letter == 'v';
  // A `v` argument must be a place; Power Fx reports that only when the
  // function's own rules (the columns Collect adds ...) found nothing wrong.
  // Clearing a Blank (Clear(Error(...)) is that error) is left to run time;
  // writing rows into one is not (Collect(Blank(), Blank())).
  for (size_t i = 0; i < argc && !checker.failed; ++i)
    if (params->at(i).letter == 'v' && node->arg_letters[i] == 'v' &&
        !node->kids[i]->type.is(TypeKind::Unknown) &&
        !(node->kids[i]->type.is(TypeKind::Blank) && argc == 1) &&
        !is_place(*node->kids[i], engine_, assigns))
      checker.error(n.children[i]->span, msg::cannot_change(name));
  // A Void argument (an If whose results don't unify): only some functions
  // take one, and only behavior formulas may ignore its value.
  for (size_t i = 0; i < argc && !checker.failed; ++i) {
    if (node->arg_letters[i] != 'a' || !node->kids[i]->type.is(TypeKind::Void)) continue;
    if (!chosen->void_args)
      checker.error(n.children[i]->span, msg::kBadType);
    else if (!behavior())
      error(n.children[i]->span, msg::kIfTypeMismatch);
  }
  if (chosen->returns == "v") result = Type::void_();
  if (node->tabular) result = Type::table({{"Value", result}});
  if ((checker.failed || args_bad) && error_count() > errors_before)
    error(n.token, msg::invalid_args(name));
  node->type = result;
  if (options_.on_call) observe_call(n, *node);
  if (checker.failed || args_bad) return node;
  return fold_constant_call(std::move(node));
}

void Binder::observe_call(const ast::Node& n, const ir::Node& node) {
  CallObservation seen;
  seen.function = n.ident.name;
  seen.span = n.span;
  for (size_t i = 0; i < node.kids.size(); ++i) {
    const ast::Node& arg = *n.children[i];
    seen.arg_types.push_back(node.kids[i]->type);
    seen.arg_spans.push_back(arg.span);
    bool plain = arg.kind == Kind::Name &&
                 (arg.name_kind == ast::NameKind::Plain || arg.name_kind == ast::NameKind::Global);
    seen.arg_names.push_back(plain ? arg.ident.name : std::string());
  }
  options_.on_call(seen);
}

// Name(args): the arguments are checked against the parameter types the way
// Power Fx checks a user-defined function's (records more tightly than
// elsewhere: no field the parameter's type does not have).
NodePtr Binder::bind_user_call(const ast::Node& n, const UserFunction& fn) {
  size_t argc = n.children.size();
  std::vector<NodePtr> args;
  ++chain_depth_;
  for (const auto& arg : n.children) args.push_back(bind(*arg));
  --chain_depth_;
  Type result = fn.returns;
  if (argc != fn.params.size()) {
    error(n.token, msg::invalid_args(fn.name));
    error(n.span, msg::bad_arity(argc, fn.params.size(), fn.params.size()));
    return make(Op::Constant, Type::unknown(), n.span);
  }
  bool ok = true;
  for (size_t i = 0; i < argc; ++i)
    ok = user_argument(args[i], fn.params[i].second, n.children[i]->span) && ok;
  if (!ok) error(n.token, msg::invalid_args(fn.name));
  if (fn.behavior && !options_.behavior)
    error(n.span, body_of_ ? msg::kBehaviorInDataFunction : msg::kBehaviorOnly);
  auto node = make(Op::UserCall, result, n.span);
  node->user = &fn;
  node->kids = std::move(args);
  calls_.push_back(&fn);
  // What the function reads, the caller reads: a player recalculates it when that changes.
  for (size_t slot : fn.reads)
    if (slot < engine_.symbols.size() && !engine_.symbols[slot].name.empty()) ++symbol_reads_[slot];
  return node;
}

bool Binder::user_argument(NodePtr& arg, const Type& param, Span span) {
  const Type& t = arg->type;
  if (t.is(TypeKind::Unknown) || param.is(TypeKind::Unknown)) return true;
  if (t.is(TypeKind::Blank) || t.is(TypeKind::Error)) {
    arg->type = param;
    return true;
  }
  if (param.is_aggregate() || t.is_aggregate()) {
    // Same kind, and every field of the argument is a field of the parameter,
    // of the type the parameter's field has.
    if (t.kind() != param.kind()) {
      error(span, msg::bad_type(param, t));
      return false;
    }
    for (size_t i = 0; i < t.field_count(); ++i) {
      const Type* expected = param.field(t.field_name(i));
      const Type& actual = t.field_type(i);
      if (!expected) {
        error(span, "Invalid argument type. Input " + msg::type_name(t) +
                        " value, contains an unexpected additional field '" + t.field_name(i) +
                        "'.");
        return false;
      }
      if (actual.kind() != expected->kind() && !actual.is(TypeKind::Blank) &&
          !actual.is(TypeKind::Unknown)) {
        error(span, "Invalid type for field '" + t.field_name(i) + "'. Expected field type of '" +
                        msg::type_name(*expected) + "'.");
        return false;
      }
    }
    return true;
  }
  return coerce(arg, param, span);
}

// A call of a pure function on constant arguments that gives a text, number
// or boolean has a value known while checking (CheckContext::arg_folded), so
// that functions needing an argument while checking (IsMatch's pattern) accept
// "a" & Char(10) or UniChar(Hex2Dec("2028")), as Power Fx does. The call stays
// a call: arg_constant still means literals only. Behavior and volatile
// functions, and calls without arguments (they may read state), are left
// alone, as are errors.
NodePtr Binder::fold_constant_call(NodePtr node) {
  const FunctionDef* fn = node->fn;
  if (!fn || fn->behavior || fn->volatile_result || node->kids.empty()) return node;
  for (const auto& kid : node->kids)
    if (kid->op != Op::Constant && !kid->folded) return node;
  TypeKind k = node->type.kind();
  if (k != TypeKind::Text && k != TypeKind::Number && k != TypeKind::Boolean) return node;
  Value v = evaluate(engine_, *node, false);
  if (!v.is_text() && !v.is_number() && !v.is_boolean()) return node;
  node->constant = std::move(v);
  node->folded = true;
  return node;
}

}  // namespace

BindResult bind(Engine::Impl& engine, const ast::Node& root, const CheckOptions& options,
                const FunctionBodyScope* body_of) {
  Binder binder(engine, options, body_of);
  return binder.run(root);
}

}  // namespace canvasfx
