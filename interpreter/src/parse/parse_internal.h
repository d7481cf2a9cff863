// Private pieces of the parse layer shared by parse.cpp, the error strategy and
// the AST builder. Only src/parse/ includes this (it pulls in ANTLR headers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/diagnostic.h"

namespace antlr4 {
class Token;
}

namespace canvasfx::ast::internal {

// Power Fx en-US texts (PowerFxResources.en-US.resx).
inline constexpr std::string_view kErrOperandExpected =
    "Expected an operand. The formula or expression expects a valid operand. For example, you "
    "can add the operand '2' to the expression ' 1 +_' so that the result is '3'. Or, you can add "
    "the operand \"there\" to the expression '\"Hi \"& _ ' so that the result is 'Hi there'.";
inline constexpr std::string_view kErrOperatorExpected =
    "Expected operator. We expect an operator such as +, *, or & at this point in the formula.";
inline constexpr std::string_view kErrBadToken =
    "Unexpected characters. Characters are used in the formula in an unexpected way.";
inline constexpr std::string_view kErrMissingEndOfBlockComment =
    "Missing end-comment identifier. The block comment has no end-comment identifier.";
inline constexpr std::string_view kErrClosingIdentifierExpected =
    "Expected closing of identifier. We expect a closing (') at this point in the formula.";
inline constexpr std::string_view kErrColonExpected =
    "Expected colon. We expect a colon (:) at this point in the formula.";
inline constexpr std::string_view kErrNamedFormulaMissingSemicolon =
    "Named formula must end with a semicolon.";
inline constexpr std::string_view kErrNamedFormulaMissingValue =
    "Named formula must be an expression.";
inline constexpr std::string_view kErrNamedTypeMissingTypeExpression =
    "A named type declaration must be a valid type expression.";
inline constexpr std::string_view kErrUdfMissingFunctionBody =
    "User-defined function must have a body.";
inline constexpr std::string_view kErrUdfMissingReturnType =
    "Missing function return type, for example the \":Number\" in \"FindMonth( d:Text ):Number = "
    "Month( DateParse( d ));\"";
inline constexpr std::string_view kErrUdfMissingParamType =
    "Missing function argument type, for example the \":Text\" in \"FindMonth( d:Text ):Number = "
    "Month( DateParse( d ))\"";
inline constexpr std::string_view kErrInvalidUtf8 =
    "Unexpected characters. The formula is not valid UTF-8.";

// ErrExpectedFound_Ex_Fnd: "... contains '{found}' where '{expected}' is expected."
std::string expected_found_message(std::string_view found, std::string_view expected);
// ErrRuleNestedTooDeeply, with the actual limit.
std::string too_deep_message(int max_depth);

// Maps code point indexes (ANTLR's positions) to UTF-16 offsets.
class SpanMap {
 public:
  explicit SpanMap(std::vector<int32_t> utf16_offsets) : offsets_(std::move(utf16_offsets)) {}

  int32_t at(size_t code_point_index) const {
    return offsets_[code_point_index < offsets_.size() ? code_point_index : offsets_.size() - 1];
  }
  int32_t end() const { return offsets_.back(); }
  // The token's source range; conjured tokens (error recovery) have none: min < 0.
  Span token(const antlr4::Token* t) const;

 private:
  std::vector<int32_t> offsets_;  // size = code points + 1
};

// Thrown by the reporter once the diagnostic cap is reached: parsing stops.
struct TooManyDiagnostics : std::exception {};

class Reporter {
 public:
  static constexpr size_t kMaxDiagnostics = 100;

  explicit Reporter(std::vector<Diagnostic>& out) : out_(out) {}

  void error(Span span, std::string_view message);
  size_t count() const { return out_.size(); }

 private:
  std::vector<Diagnostic>& out_;
};

// Power Fx's TokKind name of a token type, as used in ErrExpectedFound_Ex_Fnd.
std::string_view token_kind_name(size_t token_type);

}  // namespace canvasfx::ast::internal
