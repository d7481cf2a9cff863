#include "parse/ast_builder.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "PowerFxLexer.h"

namespace canvasfx::ast::internal {
namespace {

using P = canvasfx_grammar::PowerFxParser;
using L = canvasfx_grammar::PowerFxLexer;

// Replaces each doubled `quote` (the escape) by a single one.
std::string undouble(std::string_view s, char quote) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (s[i] == quote && i + 1 < s.size() && s[i + 1] == quote) ++i;
  }
  return out;
}

// Interpolated text: `""`, `{{` and `}}` are escapes.
std::string unescape_interp(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    bool doubled =
        (s[i] == '"' || s[i] == '{' || s[i] == '}') && i + 1 < s.size() && s[i + 1] == s[i];
    if (doubled) ++i;
  }
  return out;
}

// TextFirst text: `$${` is the escape of `${`.
std::string unescape_text_first(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 3) == "$${") ++i;
    out += s[i];
  }
  return out;
}

bool is_left_recursive(P::ExprContext* ctx) {
  return dynamic_cast<P::BinaryExprContext*>(ctx) || dynamic_cast<P::DottedExprContext*>(ctx) ||
         dynamic_cast<P::ColumnExprContext*>(ctx) || dynamic_cast<P::PercentExprContext*>(ctx);
}

P::ExprContext* left_child(P::ExprContext* ctx) { return ctx->getRuleContext<P::ExprContext>(0); }

BinaryOp binary_op(size_t type) {
  switch (type) {
    case L::CARET:
      return BinaryOp::Power;
    case L::STAR:
      return BinaryOp::Mul;
    case L::SLASH:
      return BinaryOp::Div;
    case L::PLUS:
      return BinaryOp::Add;
    case L::MINUS:
      return BinaryOp::Sub;
    case L::AMP:
      return BinaryOp::Concat;
    case L::EQ:
      return BinaryOp::Equal;
    case L::NE:
      return BinaryOp::NotEqual;
    case L::LT:
      return BinaryOp::Less;
    case L::LE:
      return BinaryOp::LessEqual;
    case L::GT:
      return BinaryOp::Greater;
    case L::GE:
      return BinaryOp::GreaterEqual;
    case L::IN:
      return BinaryOp::In;
    case L::EXACTIN:
      return BinaryOp::ExactIn;
    case L::AMPAMP:
    case L::AND_KW:
      return BinaryOp::And;
    default:
      return BinaryOp::Or;
  }
}

antlr4::Token* terminal(antlr4::tree::ParseTree* child) {
  auto* t = dynamic_cast<antlr4::tree::TerminalNode*>(child);
  return t ? t->getSymbol() : nullptr;
}

}  // namespace

NodePtr AstBuilder::make(Kind kind, Span span, Span token) const {
  auto node = std::make_unique<Node>();
  node->kind = kind;
  node->span = span;
  node->token = token;
  return node;
}

Span AstBuilder::span(antlr4::ParserRuleContext* ctx) const {
  Span start = token(ctx->start, {spans_.end(), spans_.end()});
  Span stop = token(ctx->stop, start);
  if (stop.lim < start.min) return {start.min, start.min};  // empty rule
  return {start.min, stop.lim};
}

Span AstBuilder::token(antlr4::Token* t, Span fallback) const {
  Span s = spans_.token(t);
  return s.min < 0 ? fallback : s;
}

bool AstBuilder::too_deep(int depth, Span where) {
  if (depth <= max_depth_) return false;
  if (!reported_too_deep_) reporter_.error(where, too_deep_message(max_depth_));
  reported_too_deep_ = true;
  return true;
}

Identifier AstBuilder::identifier(P::IdentifierContext* ctx) {
  Identifier id;
  if (!ctx || !ctx->start) return id;
  id.span = span(ctx);
  antlr4::Token* t = ctx->start;
  std::string text = t->getText();
  if (t->getType() == L::QUOTED_IDENT && text.size() >= 2) {
    id.name = undouble(std::string_view(text).substr(1, text.size() - 2), '\'');
    id.quoted = true;
  } else if (t->getType() == L::IDENT) {
    id.name = std::move(text);
  }
  return id;
}

Identifier AstBuilder::field_name(P::FieldNameContext* ctx) {
  if (!ctx || !ctx->start) return {};
  if (ctx->identifier()) return identifier(ctx->identifier());
  Identifier id;  // a keyword or reserved word, taken as it is written
  id.span = span(ctx);
  id.name = ctx->start->getText();
  return id;
}

NodePtr AstBuilder::formula(P::FormulaContext* ctx) {
  if (!ctx || !ctx->chain()) return error_node({0, spans_.end()});
  return chain(ctx->chain(), 1);
}

NodePtr AstBuilder::equals_formula(P::EqualsFormulaContext* ctx) {
  if (!ctx || !ctx->chain()) return error_node({0, spans_.end()});
  return chain(ctx->chain(), 1);
}

NodePtr AstBuilder::text_first_formula(P::TextFirstFormulaContext* ctx) {
  Span whole{0, spans_.end()};
  auto node = make(Kind::Interpolation, whole, whole);
  bool has_island = false;
  for (auto* child : ctx->children) {
    if (auto* e = dynamic_cast<P::ExprContext*>(child)) {
      node->children.push_back(expr(e, 2));
      has_island = true;
    } else if (antlr4::Token* t = terminal(child); t && t->getType() == L::TF_TEXT) {
      Span s = token(t, whole);
      auto text = make(Kind::Text, s, s);
      text->text = unescape_text_first(t->getText());
      node->children.push_back(std::move(text));
    }
  }
  if (has_island) return node;
  // Plain text: a single Text node (possibly empty).
  auto text = make(Kind::Text, whole, whole);
  if (!node->children.empty()) text->text = std::move(node->children[0]->text);
  return text;
}

NodePtr AstBuilder::chain(P::ChainContext* ctx, int depth) {
  if (ctx->children.empty()) return error_node(span(ctx));
  auto* first = dynamic_cast<P::ExprContext*>(ctx->children[0]);
  return chain_children(ctx, 1, expr(first, depth), depth);
}

NodePtr AstBuilder::chain_children(antlr4::ParserRuleContext* ctx, size_t from, NodePtr first,
                                   int depth) {
  bool chained = false;
  Span first_semicolon;
  std::vector<NodePtr> items;
  items.push_back(std::move(first));
  for (size_t i = from; i < ctx->children.size(); ++i) {
    antlr4::tree::ParseTree* child = ctx->children[i];
    if (auto* e = dynamic_cast<P::ExprContext*>(child)) {
      items.push_back(expr(e, depth));
    } else if (antlr4::Token* t = terminal(child); t && t->getType() == L::SEMICOLON) {
      if (!chained) first_semicolon = token(t, span(ctx));
      chained = true;
    }
  }
  if (!chained) return std::move(items[0]);
  auto node = make(Kind::Chain, span(ctx), first_semicolon);
  node->children = std::move(items);
  return node;
}

NodePtr AstBuilder::expr(P::ExprContext* ctx, int depth) {
  if (!ctx) return error_node({spans_.end(), spans_.end()});
  // Walk the left spine of `a + b + c ...` iteratively; only the right operands recurse.
  std::vector<P::ExprContext*> spine;
  P::ExprContext* cur = ctx;
  while (cur && is_left_recursive(cur)) {
    if (too_deep(depth + static_cast<int>(spine.size()), span(cur))) return error_node(span(ctx));
    spine.push_back(cur);
    cur = left_child(cur);
  }
  int leaf_depth = depth + static_cast<int>(spine.size());
  NodePtr node = cur ? leaf(cur, leaf_depth) : error_node({spans_.end(), spans_.end()});
  for (size_t i = spine.size(); i-- > 0;)
    node = wrap(spine[i], std::move(node), depth + static_cast<int>(i));
  return node;
}

NodePtr AstBuilder::wrap(P::ExprContext* ctx, NodePtr left, int depth) {
  Span whole = span(ctx);
  if (auto* b = dynamic_cast<P::BinaryExprContext*>(ctx)) {
    auto node = make(Kind::Binary, whole, token(b->op, whole));
    node->binary_op = binary_op(b->op ? b->op->getType() : size_t{L::PLUS});
    node->children.push_back(std::move(left));
    P::ExprContext* right = b->getRuleContext<P::ExprContext>(1);
    node->children.push_back(right ? expr(right, depth + 1) : error_node({whole.lim, whole.lim}));
    return node;
  }
  if (auto* d = dynamic_cast<P::DottedExprContext*>(ctx)) {
    auto node = make(Kind::Dotted, whole, whole);
    node->ident = field_name(d->fieldName());
    node->token = d->fieldName() ? node->ident.span : Span{whole.lim, whole.lim};
    node->bang = d->op && d->op->getType() == L::BANG;
    node->children.push_back(std::move(left));
    return node;
  }
  if (auto* c = dynamic_cast<P::ColumnExprContext*>(ctx)) {
    auto node = make(Kind::Dotted, whole, whole);
    node->ident = identifier(c->identifier());
    node->token = c->identifier() ? node->ident.span : Span{whole.lim, whole.lim};
    node->column_syntax = true;
    node->children.push_back(std::move(left));
    return node;
  }
  auto* p = static_cast<P::PercentExprContext*>(ctx);
  auto node = make(Kind::Unary, whole, token(p->op, whole));
  node->unary_op = UnaryOp::Percent;
  node->children.push_back(std::move(left));
  return node;
}

NodePtr AstBuilder::leaf(P::ExprContext* ctx, int depth) {
  Span whole = span(ctx);
  if (too_deep(depth, whole)) return error_node(whole);
  if (auto* p = dynamic_cast<P::PrimaryExprContext*>(ctx))
    return p->primary() ? primary(p->primary(), depth) : error_node(whole);
  if (auto* u = dynamic_cast<P::PrefixExprContext*>(ctx)) {
    auto node = make(Kind::Unary, whole, token(u->op, whole));
    node->unary_op = u->op && u->op->getType() == L::MINUS ? UnaryOp::Negate : UnaryOp::Not;
    node->children.push_back(u->expr() ? expr(u->expr(), depth + 1)
                                       : error_node({whole.lim, whole.lim}));
    return node;
  }
  return error_node(whole);
}

NodePtr AstBuilder::primary(P::PrimaryContext* ctx, int depth) {
  Span whole = span(ctx);
  Span first = token(ctx->start, whole);
  if (dynamic_cast<P::NumberLitContext*>(ctx)) {
    auto node = make(Kind::Number, whole, first);
    node->text = ctx->start->getText();
    const char* b = node->text.data();
    const char* e = b + node->text.size();
    auto [ptr, ec] = std::from_chars(b, e, node->number);
    // Out of range: overflow or underflow by the exponent's sign. The binder
    // reports too-large values from the source text.
    if (ec == std::errc::result_out_of_range) {
      bool underflow =
          node->text.find("e-") != std::string::npos || node->text.find("E-") != std::string::npos;
      node->number = underflow ? 0.0 : std::numeric_limits<double>::infinity();
    }
    return node;
  }
  if (dynamic_cast<P::StringLitContext*>(ctx)) {
    auto node = make(Kind::Text, whole, first);
    std::string text = ctx->start->getText();
    node->text = undouble(std::string_view(text).substr(1, text.size() - 2), '"');
    return node;
  }
  if (dynamic_cast<P::BoolLitContext*>(ctx)) {
    auto node = make(Kind::Boolean, whole, first);
    node->boolean = ctx->start->getType() == L::TRUE;
    return node;
  }
  if (auto* i = dynamic_cast<P::InterpLitContext*>(ctx)) return interpolation(i, depth);
  if (auto* c = dynamic_cast<P::CallContext*>(ctx)) return call(c, depth);
  if (auto* n = dynamic_cast<P::NameContext*>(ctx)) {
    auto node = make(Kind::Name, whole, whole);
    node->ident = identifier(n->identifier());
    if (!node->ident.quoted) {
      const std::string& s = node->ident.name;
      if (s == "ThisRecord")
        node->name_kind = NameKind::ThisRecord;
      else if (s == "ThisItem")
        node->name_kind = NameKind::ThisItem;
      else if (s == "Self")
        node->name_kind = NameKind::Self;
      else if (s == "Parent")
        node->name_kind = NameKind::Parent;
    }
    return node;
  }
  if (auto* g = dynamic_cast<P::GlobalNameContext*>(ctx)) {
    auto node = make(Kind::Name, whole, whole);
    node->ident = identifier(g->identifier());
    if (g->identifier()) node->token = node->ident.span;
    node->name_kind = NameKind::Global;
    return node;
  }
  if (auto* p = dynamic_cast<P::ParenContext*>(ctx))
    return p->expr() ? expr(p->expr(), depth + 1) : error_node(whole);
  if (auto* r = dynamic_cast<P::RecordContext*>(ctx)) {
    auto node = make(Kind::Record, whole, first);
    for (P::FieldContext* f : r->field()) {
      RecordField field;
      field.name = identifier(f->identifier());
      Span fs = span(f);
      field.value = f->expr() ? expr(f->expr(), depth + 1) : error_node({fs.lim, fs.lim});
      node->fields.push_back(std::move(field));
    }
    return node;
  }
  if (auto* t = dynamic_cast<P::TableContext*>(ctx)) {
    auto node = make(Kind::Table, whole, first);
    for (P::ExprContext* e : t->expr()) node->children.push_back(expr(e, depth + 1));
    return node;
  }
  return error_node(whole);
}

NodePtr AstBuilder::call(P::CallContext* ctx, int depth) {
  Span whole = span(ctx);
  auto node = make(Kind::Call, whole, whole);
  std::vector<P::IdentifierContext*> names = ctx->identifier();
  for (size_t i = 0; i < names.size(); ++i) {
    Identifier part = identifier(names[i]);
    if (i == 0) {
      node->ident = std::move(part);
    } else {
      node->ident.name += "." + part.name;
      node->ident.span.lim = part.span.lim;
    }
  }
  node->token = node->ident.span;
  Span at_end{whole.lim, whole.lim};
  node->open_paren = token(ctx->PAREN_OPEN() ? ctx->PAREN_OPEN()->getSymbol() : nullptr, at_end);
  node->close_paren = token(ctx->PAREN_CLOSE() ? ctx->PAREN_CLOSE()->getSymbol() : nullptr, at_end);
  for (P::ArgContext* a : ctx->arg()) node->children.push_back(arg(a, depth + 1));
  return node;
}

NodePtr AstBuilder::arg(P::ArgContext* ctx, int depth) {
  Span whole = span(ctx);
  if (ctx->children.empty()) return error_node(whole);
  auto* first = dynamic_cast<P::ExprContext*>(ctx->children[0]);
  if (!first) return error_node(whole);
  NodePtr value = expr(first, depth);
  if (ctx->AS()) {
    Span as_token = token(ctx->AS()->getSymbol(), whole);
    auto node = make(Kind::As, {whole.min, value->span.lim}, as_token);
    node->ident = identifier(ctx->identifier());
    if (ctx->identifier()) node->span.lim = node->ident.span.lim;
    node->children.push_back(std::move(value));
    value = std::move(node);
  }
  return chain_children(ctx, 1, std::move(value), depth);
}

NodePtr AstBuilder::interpolation(P::InterpLitContext* ctx, int depth) {
  Span whole = span(ctx);
  auto node = make(Kind::Interpolation, whole, token(ctx->start, whole));
  for (auto* child : ctx->children) {
    if (auto* e = dynamic_cast<P::ExprContext*>(child)) {
      node->children.push_back(expr(e, depth + 1));
    } else if (antlr4::Token* t = terminal(child); t && t->getType() == L::INTERP_TEXT) {
      Span s = token(t, whole);
      auto text = make(Kind::Text, s, s);
      text->text = unescape_interp(t->getText());
      node->children.push_back(std::move(text));
    }
  }
  return node;
}

std::vector<Definition> AstBuilder::definitions(P::DefinitionsContext* ctx,
                                                bool final_semicolon_optional) {
  std::vector<Definition> out;
  if (!ctx) return out;
  std::vector<P::DefinitionContext*> items = ctx->definition();
  for (size_t i = 0; i < items.size(); ++i) {
    P::DefinitionContext* item = items[i];
    Definition d = definition(item);
    if (d.name.name.empty()) continue;  // the parser already reported what it could not read
    bool last = i + 1 == items.size();
    if (!item->getToken(L::SEMICOLON, 0) && !(last && final_semicolon_optional))
      reporter_.error({d.span.lim, d.span.lim}, kErrNamedFormulaMissingSemicolon);
    out.push_back(std::move(d));
  }
  return out;
}

Definition AstBuilder::definition(P::DefinitionContext* ctx) {
  Definition d;
  d.span = span(ctx);
  Span at_end{d.span.lim, d.span.lim};
  // `Name = expr` and `Name := expr`: the expression, or the reference's message for its absence.
  auto named_expression = [&](DefinitionKind kind, auto* c, std::string_view missing) {
    d.kind = kind;
    d.name = identifier(c->identifier());
    if (c->expr())
      d.body = expr(c->expr(), 1);
    else if (!d.name.name.empty())
      reporter_.error(token(c->EQ() ? c->EQ()->getSymbol() : nullptr, at_end), missing);
  };
  if (auto* f = dynamic_cast<P::FormulaDefinitionContext*>(ctx)) {
    named_expression(DefinitionKind::Formula, f, kErrNamedFormulaMissingValue);
  } else if (auto* t = dynamic_cast<P::TypeDefinitionContext*>(ctx)) {
    named_expression(DefinitionKind::Type, t, kErrNamedTypeMissingTypeExpression);
  } else if (auto* u = dynamic_cast<P::FunctionDefinitionContext*>(ctx)) {
    d.kind = DefinitionKind::Function;
    std::vector<P::IdentifierContext*> names = u->identifier();
    if (names.empty()) return d;
    d.name = identifier(names[0]);
    if (d.name.name.empty()) return d;
    for (P::ParameterContext* p : u->parameter()) {
      Parameter param;
      std::vector<P::IdentifierContext*> parts = p->identifier();
      if (!parts.empty()) param.name = identifier(parts[0]);
      if (parts.size() > 1) param.type = identifier(parts[1]);
      if (param.type.name.empty()) reporter_.error(param.name.span, kErrUdfMissingParamType);
      d.params.push_back(std::move(param));
    }
    if (names.size() > 1) d.return_type = identifier(names[1]);
    Span close = token(u->PAREN_CLOSE() ? u->PAREN_CLOSE()->getSymbol() : nullptr, at_end);
    if (d.return_type.name.empty()) reporter_.error(close, kErrUdfMissingReturnType);
    if (u->functionBody())
      d.body = function_body(u->functionBody(), d);
    else
      reporter_.error(token(u->EQ() ? u->EQ()->getSymbol() : nullptr, at_end),
                      kErrUdfMissingFunctionBody);
  }
  return d;
}

NodePtr AstBuilder::function_body(P::FunctionBodyContext* ctx, Definition& d) {
  if (auto* e = dynamic_cast<P::ExpressionBodyContext*>(ctx))
    return e->expr() ? expr(e->expr(), 1) : error_node(span(ctx));
  auto* b = static_cast<P::BehaviorBodyContext*>(ctx);
  d.behavior = true;
  Span whole = span(ctx);
  std::vector<P::ExprContext*> parts = b->expr();
  if (parts.empty()) return make(Kind::Empty, whole, whole);
  if (parts.size() == 1 && !b->getToken(L::SEMICOLON, 0)) return expr(parts[0], 1);
  Span first_semicolon = token(
      b->getToken(L::SEMICOLON, 0) ? b->getToken(L::SEMICOLON, 0)->getSymbol() : nullptr, whole);
  auto node = make(Kind::Chain, whole, first_semicolon);
  for (P::ExprContext* part : parts) node->children.push_back(expr(part, 1));
  return node;
}

}  // namespace canvasfx::ast::internal
