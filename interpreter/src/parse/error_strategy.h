// Maps ANTLR's syntax errors to Power Fx diagnostics (message texts and spans as
// the reference parser reports them) while keeping ANTLR's recovery, so that the
// AST builder still gets a tree with holes to turn into Error nodes.
//
// The reference parser (TexlParser, recursive descent) reports a few errors
// more than ANTLR where its recovery differs, and those are added here from the
// token stream: at the end of the formula every bracket still open is reported
// as missing, a token taken for a missing operator is then followed by an
// operand, and a bad field name is skipped as if it were the field's colon.
#pragma once

#include "antlr4-runtime.h"
#include "parse/parse_internal.h"

namespace canvasfx::ast::internal {

class PowerFxErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  PowerFxErrorStrategy(const SpanMap& spans, Reporter& reporter)
      : spans_(spans), reporter_(reporter) {}

  // After the parse: the brackets a formula with errors leaves open.
  void finish(antlr4::Parser* parser);

 protected:
  void reportNoViableAlternative(antlr4::Parser* parser,
                                 const antlr4::NoViableAltException& e) override;
  void reportInputMismatch(antlr4::Parser* parser,
                           const antlr4::InputMismatchException& e) override;
  void reportFailedPredicate(antlr4::Parser* parser,
                             const antlr4::FailedPredicateException& e) override;
  void reportUnwantedToken(antlr4::Parser* parser) override;
  void reportMissingToken(antlr4::Parser* parser) override;

 private:
  // `found` appeared where one of `expected` was needed.
  void report(antlr4::Parser* parser, antlr4::Token* found,
              const antlr4::misc::IntervalSet& expected);
  // The main message for `found`; returns it so that follow-ups can avoid repeating it.
  std::string message(antlr4::Token* found, const antlr4::misc::IntervalSet& expected) const;
  // `expected` is null when the parse ended without an error at the end.
  void report_at_end(antlr4::Parser* parser, const antlr4::misc::IntervalSet* expected);
  void report_bad_field_name(antlr4::Parser* parser, antlr4::Token* found);

  const SpanMap& spans_;
  Reporter& reporter_;
  bool reported_end_ = false;
};

}  // namespace canvasfx::ast::internal
