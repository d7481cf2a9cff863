#include "parse/error_strategy.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "PowerFxLexer.h"
#include "PowerFxParser.h"

namespace canvasfx::ast::internal {
namespace {

using L = canvasfx_grammar::PowerFxLexer;
using P = canvasfx_grammar::PowerFxParser;

bool contains_any(const antlr4::misc::IntervalSet& set, std::initializer_list<size_t> types) {
  for (size_t t : types)
    if (set.contains(t)) return true;
  return false;
}

// Tokens the lexer produces for characters it cannot place.
bool is_bad_token(size_t type) {
  return type == L::ERROR_CHAR || type == L::UNTERMINATED_STRING || type == L::RESERVED ||
         type == L::UNTERMINATED_QUOTED_IDENT || type == L::INTERP_STRAY_CLOSE;
}

bool starts_operand(size_t type) {
  switch (type) {
    case L::NUMBER:
    case L::STRING:
    case L::INTERP_START:
    case L::QUOTED_IDENT:
    case L::TRUE:
    case L::FALSE:
    case L::IDENT:
    case L::PAREN_OPEN:
    case L::GLOBAL_OPEN:
    case L::BRACKET_OPEN:
    case L::CURLY_OPEN:
    case L::NOT_KW:
    case L::AS:
    case L::IN:
    case L::EXACTIN:
    case L::AND_KW:
    case L::OR_KW:
      return true;
    default:
      return false;
  }
}

// Closers and separators: an operand missing before one of them is reported as
// missing; any other token where an operand belongs is itself the error.
bool ends_operand_list(size_t type) {
  switch (type) {
    case L::PAREN_CLOSE:
    case L::BRACKET_CLOSE:
    case L::CURLY_CLOSE:
    case L::COMMA:
    case L::SEMICOLON:
    case L::COLON:
    case L::INTERP_END:
    case antlr4::Token::EOF:
      return true;
    default:
      return false;
  }
}

// The parser's tokens (the stream is filled before parsing).
std::vector<antlr4::Token*> all_tokens(antlr4::Parser* parser) {
  return static_cast<antlr4::BufferedTokenStream*>(parser->getTokenStream())->getTokens();
}

// The first default-channel token after `t` (EOF at the end).
antlr4::Token* next_token(antlr4::Parser* parser, antlr4::Token* t) {
  std::vector<antlr4::Token*> tokens = all_tokens(parser);
  size_t i = t->getTokenIndex();
  if (i == INVALID_INDEX) return nullptr;
  for (++i; i < tokens.size(); ++i)
    if (tokens[i]->getChannel() == antlr4::Token::DEFAULT_CHANNEL) return tokens[i];
  return nullptr;
}

// The token that closes a bracket opened by `type`.
size_t closer_of(size_t type) {
  switch (type) {
    case L::PAREN_OPEN:
      return L::PAREN_CLOSE;
    case L::BRACKET_OPEN:
    case L::GLOBAL_OPEN:
      return L::BRACKET_CLOSE;
    case L::INTERP_START:
      return L::INTERP_END;
    default:
      return L::CURLY_CLOSE;  // `{`, and the `{` / `${` of an island
  }
}

// The brackets left open at the end of the formula, innermost last.
std::vector<size_t> open_brackets(antlr4::Parser* parser) {
  std::vector<size_t> open;
  for (antlr4::Token* t : all_tokens(parser)) {
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    size_t type = t->getType();
    switch (type) {
      case L::PAREN_OPEN:
      case L::BRACKET_OPEN:
      case L::GLOBAL_OPEN:
      case L::CURLY_OPEN:
      case L::INTERP_START:
      case L::INTERP_ISLAND_OPEN:
      case L::TF_ISLAND_OPEN:
        open.push_back(type);
        break;
      case L::PAREN_CLOSE:
      case L::BRACKET_CLOSE:
      case L::CURLY_CLOSE:
      case L::INTERP_END:
        if (!open.empty() && closer_of(open.back()) == type) open.pop_back();
        break;
      default:
        break;
    }
  }
  return open;
}

antlr4::RuleContext* parent_rule(antlr4::RuleContext* ctx) {
  return dynamic_cast<antlr4::RuleContext*>(ctx->parent);
}

// Whether the rule `ctx` is the formula's expression itself, not nested in a
// bracket or an argument: the reference parser then reports tokens left over.
bool at_top_level(antlr4::RuleContext* ctx) {
  for (antlr4::RuleContext* c = parent_rule(ctx); c; c = parent_rule(c)) {
    if (dynamic_cast<P::FormulaContext*>(c) || dynamic_cast<P::EqualsFormulaContext*>(c) ||
        dynamic_cast<P::DefinitionContext*>(c))
      return true;
    if (!dynamic_cast<P::ExprContext*>(c) && !dynamic_cast<P::ChainContext*>(c)) return false;
  }
  return false;
}

// The record whose field name is expected at the error, if any.
P::RecordContext* record_expecting_field(antlr4::RuleContext* ctx) {
  if (dynamic_cast<P::IdentifierContext*>(ctx)) ctx = parent_rule(ctx);
  if (dynamic_cast<P::FieldContext*>(ctx)) ctx = parent_rule(ctx);
  return dynamic_cast<P::RecordContext*>(ctx);
}

}  // namespace

void PowerFxErrorStrategy::reportNoViableAlternative(antlr4::Parser* parser,
                                                     const antlr4::NoViableAltException& e) {
  report(parser, e.getOffendingToken(), parser->getExpectedTokens());
}

void PowerFxErrorStrategy::reportInputMismatch(antlr4::Parser* parser,
                                               const antlr4::InputMismatchException& e) {
  report(parser, e.getOffendingToken(), e.getExpectedTokens());
}

void PowerFxErrorStrategy::reportFailedPredicate(antlr4::Parser* parser,
                                                 const antlr4::FailedPredicateException& e) {
  report(parser, e.getOffendingToken(), parser->getExpectedTokens());
}

void PowerFxErrorStrategy::reportUnwantedToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  report(parser, parser->getCurrentToken(), getExpectedTokens(parser));
}

void PowerFxErrorStrategy::reportMissingToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  report(parser, parser->getCurrentToken(), getExpectedTokens(parser));
}

void PowerFxErrorStrategy::report(antlr4::Parser* parser, antlr4::Token* found,
                                  const antlr4::misc::IntervalSet& expected) {
  size_t type = found ? found->getType() : antlr4::Token::EOF;
  if (type == antlr4::Token::EOF) return report_at_end(parser, &expected);
  Span span = spans_.token(found);
  if (span.min < 0) span = {spans_.end(), spans_.end()};
  // The reference lexer ends the text before a stray `}` with an empty error token.
  if (type == L::INTERP_STRAY_CLOSE) span.lim = span.min;
  antlr4::RuleContext* ctx = parser->getContext();
  if (expected.contains(size_t{L::IDENT}) && record_expecting_field(ctx))
    return report_bad_field_name(parser, found);
  std::string text = message(found, expected);
  reporter_.error(span, text);
  if (dynamic_cast<P::FieldContext*>(ctx) && expected.contains(size_t{L::COLON})) {
    // TexlParser takes the token in the colon's place.
    reporter_.error(span, kErrColonExpected);
  } else if (text == kErrOperatorExpected) {
    // TexlParser takes the token for the missing operator; its right operand follows.
    antlr4::Token* next = next_token(parser, found);
    if (!next || next->getType() == antlr4::Token::EOF)
      reporter_.error({spans_.end(), spans_.end()}, kErrOperandExpected);
  }
}

// `{blank: 1}`: TexlParser misses the name and the colon, takes the token as the
// colon, then expects the record to end, and at top level reports what is left.
void PowerFxErrorStrategy::report_bad_field_name(antlr4::Parser* parser, antlr4::Token* found) {
  Span span = spans_.token(found);
  std::string_view kind = token_kind_name(found->getType());
  reporter_.error(span, expected_found_message(kind, token_kind_name(L::IDENT)));
  reporter_.error(span, expected_found_message(kind, token_kind_name(L::COLON)));
  reporter_.error(span, kErrColonExpected);
  antlr4::Token* next = next_token(parser, found);
  size_t next_type = next ? next->getType() : antlr4::Token::EOF;
  if (next_type == L::COMMA || next_type == L::CURLY_CLOSE) return;
  Span next_span = next ? spans_.token(next) : Span{spans_.end(), spans_.end()};
  if (next_span.min < 0) next_span = {spans_.end(), spans_.end()};
  reporter_.error(next_span, expected_found_message(token_kind_name(next_type),
                                                    token_kind_name(L::CURLY_CLOSE)));
  antlr4::RuleContext* record = record_expecting_field(parser->getContext());
  if (next_type != antlr4::Token::EOF && at_top_level(record))
    reporter_.error(next_span, kErrBadToken);
}

// At the end of the formula TexlParser reports the missing operand (or token),
// then every bracket still open, innermost first. In an unterminated
// interpolated string its lexer produces an error token instead.
void PowerFxErrorStrategy::report_at_end(antlr4::Parser* parser,
                                         const antlr4::misc::IntervalSet* expected) {
  if (reported_end_) return;
  reported_end_ = true;
  Span end{spans_.end(), spans_.end()};
  std::vector<size_t> open = open_brackets(parser);
  for (size_t type : open) {
    if (type == L::INTERP_START) {
      reporter_.error(end, kErrBadToken);
      return;
    }
  }
  std::string first;
  if (expected) {
    first = message(nullptr, *expected);
    reporter_.error(end, first);
  }
  for (size_t i = open.size(); i-- > 0;) {
    std::string missing = expected_found_message(token_kind_name(antlr4::Token::EOF),
                                                 token_kind_name(closer_of(open[i])));
    if (missing != first) reporter_.error(end, missing);
  }
}

void PowerFxErrorStrategy::finish(antlr4::Parser* parser) {
  if (!reporter_.count()) return;
  report_at_end(parser, nullptr);
}

std::string PowerFxErrorStrategy::message(antlr4::Token* found,
                                          const antlr4::misc::IntervalSet& expected) const {
  size_t type = found ? found->getType() : antlr4::Token::EOF;
  if (type == L::UNTERMINATED_QUOTED_IDENT) return std::string(kErrClosingIdentifierExpected);
  if (is_bad_token(type)) return std::string(kErrBadToken);
  // An operand was required here (an identifier alone is not enough: after `.`).
  if (contains_any(expected, {L::NUMBER, L::PAREN_OPEN}))
    return std::string(ends_operand_list(type) ? kErrOperandExpected : kErrBadToken);
  // A complete operand is followed by another operand, or by `;` where chaining
  // is off: the reference parser reports a missing operator. In parentheses a
  // `;` is reported as such (below), as Power Fx does.
  bool list_or_end = contains_any(expected, {L::COMMA, antlr4::Token::EOF});
  bool after_operand = list_or_end || contains_any(expected, {L::PAREN_CLOSE, L::BRACKET_CLOSE,
                                                              L::CURLY_CLOSE, L::PLUS});
  if ((starts_operand(type) && after_operand) || (type == L::SEMICOLON && list_or_end))
    return std::string(kErrOperatorExpected);
  for (size_t closer : {L::PAREN_CLOSE, L::BRACKET_CLOSE, L::CURLY_CLOSE, L::INTERP_END, L::COLON,
                        L::IDENT, L::COMMA}) {
    if (expected.contains(closer))
      return expected_found_message(token_kind_name(type), token_kind_name(closer));
  }
  return std::string(kErrBadToken);
}

}  // namespace canvasfx::ast::internal
