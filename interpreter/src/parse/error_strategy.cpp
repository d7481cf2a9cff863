#include "parse/error_strategy.h"

#include <initializer_list>

#include "PowerFxLexer.h"

namespace canvasfx::ast::internal {
namespace {

using L = canvasfx_grammar::PowerFxLexer;

bool contains_any(const antlr4::misc::IntervalSet& set, std::initializer_list<size_t> types) {
  for (size_t t : types)
    if (set.contains(t)) return true;
  return false;
}

// Tokens the lexer produces for characters it cannot place.
bool is_bad_token(size_t type) {
  return type == L::ERROR_CHAR || type == L::UNTERMINATED_STRING ||
         type == L::UNTERMINATED_QUOTED_IDENT || type == L::INTERP_STRAY_CLOSE;
}

bool starts_operand(size_t type) {
  switch (type) {
    case L::NUMBER: case L::STRING: case L::INTERP_START: case L::QUOTED_IDENT:
    case L::TRUE: case L::FALSE: case L::IDENT: case L::PAREN_OPEN: case L::GLOBAL_OPEN:
    case L::BRACKET_OPEN: case L::CURLY_OPEN: case L::NOT_KW: case L::AS: case L::IN:
    case L::EXACTIN: case L::AND_KW: case L::OR_KW:
      return true;
    default:
      return false;
  }
}

}  // namespace

void PowerFxErrorStrategy::reportNoViableAlternative(antlr4::Parser* parser,
                                                     const antlr4::NoViableAltException& e) {
  report(e.getOffendingToken(), parser->getExpectedTokens());
}

void PowerFxErrorStrategy::reportInputMismatch(antlr4::Parser* /*parser*/,
                                               const antlr4::InputMismatchException& e) {
  report(e.getOffendingToken(), e.getExpectedTokens());
}

void PowerFxErrorStrategy::reportFailedPredicate(antlr4::Parser* parser,
                                                 const antlr4::FailedPredicateException& e) {
  report(e.getOffendingToken(), parser->getExpectedTokens());
}

void PowerFxErrorStrategy::reportUnwantedToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  report(parser->getCurrentToken(), getExpectedTokens(parser));
}

void PowerFxErrorStrategy::reportMissingToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  report(parser->getCurrentToken(), getExpectedTokens(parser));
}

void PowerFxErrorStrategy::report(antlr4::Token* found,
                                  const antlr4::misc::IntervalSet& expected) {
  size_t type = found ? found->getType() : antlr4::Token::EOF;
  Span span = spans_.token(found);
  if (span.min < 0) span = {spans_.end(), spans_.end()};

  if (type == L::UNTERMINATED_QUOTED_IDENT) {
    reporter_.error(span, kErrClosingIdentifierExpected);
    return;
  }
  if (is_bad_token(type)) {
    reporter_.error(span, kErrBadToken);
    return;
  }
  // An operand was required here (an identifier alone is not enough: after `.`).
  if (contains_any(expected, {L::NUMBER, L::PAREN_OPEN})) {
    reporter_.error(span, kErrOperandExpected);
    return;
  }
  // A complete operand is followed by another operand, or by `;` where chaining
  // is off: the reference parser reports a missing operator. In parentheses a
  // `;` is reported as such (below), as Power Fx does.
  bool list_or_end = contains_any(expected, {L::COMMA, antlr4::Token::EOF});
  bool after_operand = list_or_end || contains_any(expected, {L::PAREN_CLOSE, L::BRACKET_CLOSE,
                                                              L::CURLY_CLOSE, L::PLUS});
  if ((starts_operand(type) && after_operand) || (type == L::SEMICOLON && list_or_end)) {
    reporter_.error(span, kErrOperatorExpected);
    return;
  }
  for (size_t closer : {L::PAREN_CLOSE, L::BRACKET_CLOSE, L::CURLY_CLOSE, L::INTERP_END,
                        L::COLON, L::IDENT, L::COMMA}) {
    if (expected.contains(closer)) {
      reporter_.error(span, expected_found_message(token_kind_name(type),
                                                   token_kind_name(closer)));
      return;
    }
  }
  reporter_.error(span, kErrBadToken);
}

}  // namespace canvasfx::ast::internal
