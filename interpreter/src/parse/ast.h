// The abstract syntax tree: what the parser hands the binder.
//
// The ANTLR parse tree is converted to these nodes at once and freed (it costs
// ~10x the memory). Every node carries two spans, as Power Fx's own nodes do:
// `span`, the complete source range, and `token`, the node's main token
// (operator of a binary/unary node, function name of a call, identifier of a
// name, `{`/`[` of a literal). Diagnostics pick whichever the reference
// implementation reports for that error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "canvasfx/diagnostic.h"

namespace canvasfx::ast {

enum class Kind : uint8_t {
  Number,         // 12.5e3
  Text,           // "a""b"
  Boolean,        // true / false
  Interpolation,  // $"a{x}b": parts are Text nodes and expressions
  Name,           // x, 'x y', [@x], ThisRecord, Self, Parent, ThisItem
  Dotted,         // left.ident or left!ident (also T[@col])
  Unary,          // -x, !x, Not x, x%
  Binary,         // x + y, x && y, x in y, ...
  Call,           // F(a, b) or Ns.F(a, b)
  Record,         // {a: 1, b: 2}
  Table,          // [1, 2, 3]
  As,             // expr As name
  Chain,          // a; b; c
  Empty,          // a formula of only whitespace and comments: Blank
  Error,          // placeholder where the parser recovered from an error
};

enum class NameKind : uint8_t { Plain, Global /* [@x] */, ThisRecord, ThisItem, Self, Parent };

enum class UnaryOp : uint8_t { Negate, Not, Percent };

enum class BinaryOp : uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  Power,
  Concat,
  And,
  Or,
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  In,
  ExactIn,
};

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Identifier {
  std::string name;  // unescaped: 'a''b' -> a'b
  Span span;
  bool quoted = false;  // written as 'quoted identifier'
};

struct RecordField {
  Identifier name;
  NodePtr value;
};

struct Node {
  Kind kind;
  Span span;   // complete source range
  Span token;  // main token (see header comment)

  // Literals: number value (and its source text), text value, boolean.
  double number = 0;
  std::string text;  // Text: unescaped value; Number: source text
  bool boolean = false;

  // Name / Dotted (ident) / As (ident) / Call (function name: "Left", or "Ns.F")
  Identifier ident;
  NameKind name_kind = NameKind::Plain;
  bool bang = false;           // Dotted written with `!`
  bool column_syntax = false;  // Dotted written `T[@Column]` (row scope disambiguation)

  UnaryOp unary_op = UnaryOp::Negate;
  BinaryOp binary_op = BinaryOp::Add;

  // Dotted: children[0] = left. Unary: children[0]. Binary: children[0..1].
  // Call: args. Table: items. Interpolation: parts. Chain: the chained
  // expressions. As: children[0] = the expression named.
  std::vector<NodePtr> children;
  std::vector<RecordField> fields;  // Record

  // Call only: the `;`-chained arguments are already Chain nodes in children.
  Span open_paren;  // Call: span of "(", used by some arity diagnostics
  Span close_paren;
};

struct ParseResult {
  NodePtr root;  // null only when the text could not be parsed at all
  std::vector<Diagnostic> diagnostics;
  std::u16string utf16;  // the text, for span arithmetic by later stages
};

struct ParseOptions {
  bool allow_chaining = false;  // `a; b` at top level (behavior formulas, REPL)
  bool text_first = false;      // formula is text with ${expr} islands
  // Power Fx V1's reserved words (blank, null, Is, Child ...) are no identifiers;
  // off with the DisableReservedKeywords feature.
  bool reserved_keywords = true;
  // Maximum nesting (brackets, prefix operators and operator chains). Deeper
  // input gets a diagnostic instead of a stack overflow.
  int max_depth = 400;
};

// Never throws and never crashes on any byte sequence: invalid UTF-8 is
// reported as a diagnostic.
ParseResult parse(std::string_view text, const ParseOptions& options = {});

// --- Definitions (App.Formulas) ------------------------------------------

enum class DefinitionKind : uint8_t {
  Formula,   // Name = expression;
  Function,  // Name(p: Type, ...): Type = expression;  or  = { a; b };
  Type,      // Name := Type(...);
};

struct Parameter {
  Identifier name;
  Identifier type;  // name empty when missing
};

struct Definition {
  DefinitionKind kind = DefinitionKind::Formula;
  Identifier name;
  Span span;  // the whole definition
  // Formula: the expression. Function: the body (a Chain or Empty node for a
  // `{ ... }` body). Type: the type expression. Null when missing.
  NodePtr body;
  std::vector<Parameter> params;
  Identifier return_type;  // name empty when missing
  bool behavior = false;   // Function with a `{ ... }` body
};

struct DefinitionsResult {
  std::vector<Definition> definitions;  // those that parsed
  std::vector<Diagnostic> diagnostics;
};

struct DefinitionsOptions {
  bool reserved_keywords = true;
  // The REPL: the last definition may end without `;`.
  bool final_semicolon_optional = false;
  int max_depth = 400;
};

DefinitionsResult parse_definitions(std::string_view text, const DefinitionsOptions& options = {});

// Whether the text starts like a definition (`Name =`, `Name :=`,
// `Name(p: T, ...) :`) rather than an expression: how the REPL tells
// `x = 1 + 2` (a named formula) from a formula to evaluate.
bool starts_with_definition(std::string_view text);

}  // namespace canvasfx::ast
