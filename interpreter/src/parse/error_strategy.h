// Maps ANTLR's syntax errors to Power Fx diagnostics (message texts and spans as
// the reference parser reports them) while keeping ANTLR's recovery, so that the
// AST builder still gets a tree with holes to turn into Error nodes.
#pragma once

#include "antlr4-runtime.h"
#include "parse/parse_internal.h"

namespace canvasfx::ast::internal {

class PowerFxErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  PowerFxErrorStrategy(const SpanMap& spans, Reporter& reporter)
      : spans_(spans), reporter_(reporter) {}

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
  void report(antlr4::Token* found, const antlr4::misc::IntervalSet& expected);

  const SpanMap& spans_;
  Reporter& reporter_;
};

}  // namespace canvasfx::ast::internal
