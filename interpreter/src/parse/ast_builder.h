// Converts an ANTLR parse tree (possibly with error-recovery holes) into
// canvasfx::ast nodes. Recursion depth is bounded by max_depth: left-recursive
// operator chains (`1+1+...`) are walked iteratively and reported when the tree
// they would build is too deep.
#pragma once

#include "PowerFxParser.h"
#include "parse/ast.h"
#include "parse/parse_internal.h"

namespace canvasfx::ast::internal {

class AstBuilder {
 public:
  AstBuilder(const SpanMap& spans, Reporter& reporter, int max_depth)
      : spans_(spans), reporter_(reporter), max_depth_(max_depth) {}

  NodePtr formula(canvasfx_grammar::PowerFxParser::FormulaContext* ctx);
  NodePtr equals_formula(canvasfx_grammar::PowerFxParser::EqualsFormulaContext* ctx);
  NodePtr text_first_formula(canvasfx_grammar::PowerFxParser::TextFirstFormulaContext* ctx);
  std::vector<Definition> definitions(canvasfx_grammar::PowerFxParser::DefinitionsContext* ctx,
                                      bool final_semicolon_optional);

 private:
  using P = canvasfx_grammar::PowerFxParser;

  NodePtr chain(P::ChainContext* ctx, int depth);
  NodePtr expr(P::ExprContext* ctx, int depth);
  NodePtr leaf(P::ExprContext* ctx, int depth);
  NodePtr wrap(P::ExprContext* ctx, NodePtr left, int depth);
  NodePtr primary(P::PrimaryContext* ctx, int depth);
  NodePtr call(P::CallContext* ctx, int depth);
  NodePtr arg(P::ArgContext* ctx, int depth);
  NodePtr interpolation(P::InterpLitContext* ctx, int depth);
  // `exprs` joined by `;` (the ChainContext or ArgContext children after `from`).
  NodePtr chain_children(antlr4::ParserRuleContext* ctx, size_t from, NodePtr first, int depth);

  Definition definition(P::DefinitionContext* ctx);
  NodePtr function_body(P::FunctionBodyContext* ctx, Definition& d);
  Identifier identifier(P::IdentifierContext* ctx);
  Identifier field_name(P::FieldNameContext* ctx);
  Span span(antlr4::ParserRuleContext* ctx) const;
  Span token(antlr4::Token* t, Span fallback) const;
  NodePtr make(Kind kind, Span span, Span token) const;
  NodePtr error_node(Span span) const { return make(Kind::Error, span, span); }
  bool too_deep(int depth, Span where);

  const SpanMap& spans_;
  Reporter& reporter_;
  int max_depth_;
  bool reported_too_deep_ = false;
};

}  // namespace canvasfx::ast::internal
