// Power Fx expression parser. See /work/shared/reference/power-fx-lang/expression-grammar.md.
//
// Operator precedence comes from the order of the `expr` alternatives (tightest
// first); all binary operators are left-associative. The parse tree is converted
// to canvasfx::ast nodes by interpreter/src/parse/, never used directly.
parser grammar PowerFxParser;

options { tokenVocab = PowerFxLexer; }

@parser::members {
  // `a; b` chains at top level and in call arguments (behavior formulas).
  bool allow_chaining = false;
}

formula : chain EOF ;

// TextFirst: literal text with ${expr} islands, or `=` followed by a formula.
textFirstFormula : (TF_TEXT | TF_ISLAND_OPEN expr CURLY_CLOSE)* EOF ;
equalsFormula : EQ chain EOF ;

chain : expr ({ allow_chaining }? SEMICOLON expr?)* ;

// App.Formulas: named formulas, user-defined functions and user-defined types,
// each ending with `;`. Parts the reference requires are optional here so that
// the AST builder can report their absence with the reference's own messages
// ("Named formula must end with a semicolon." ...).
definitions : definition* EOF ;

definition
  : identifier COLON EQ expr? SEMICOLON?                                  # TypeDefinition
  | identifier PAREN_OPEN (parameter (COMMA parameter)*)? PAREN_CLOSE
      (COLON identifier?)? EQ functionBody? SEMICOLON?                     # FunctionDefinition
  | identifier EQ expr? SEMICOLON?                                         # FormulaDefinition
  ;

parameter : identifier (COLON identifier?)? ;

// A body in braces is a behavior function's: `;` chains its formulas.
functionBody
  : CURLY_OPEN expr? (SEMICOLON expr?)* CURLY_CLOSE                       # BehaviorBody
  | expr                                                                   # ExpressionBody
  ;

expr
  : primary                                            # PrimaryExpr
  | expr op=(DOT | BANG) fieldName                     # DottedExpr
  | expr GLOBAL_OPEN identifier BRACKET_CLOSE          # ColumnExpr
  | expr op=PERCENT                                    # PercentExpr
  | expr op=CARET expr                                 # BinaryExpr
  | op=(MINUS | BANG | NOT_KW) expr                    # PrefixExpr
  | expr op=(STAR | SLASH) expr                        # BinaryExpr
  | expr op=(PLUS | MINUS) expr                        # BinaryExpr
  | expr op=AMP expr                                   # BinaryExpr
  | expr op=(EQ | NE | LT | LE | GT | GE) expr         # BinaryExpr
  | expr op=(IN | EXACTIN) expr                        # BinaryExpr
  | expr op=(AMPAMP | AND_KW) expr                     # BinaryExpr
  | expr op=(BARBAR | OR_KW) expr                      # BinaryExpr
  ;

primary
  : NUMBER                                                        # NumberLit
  | STRING                                                        # StringLit
  | (TRUE | FALSE)                                                # BoolLit
  | INTERP_START (INTERP_TEXT | INTERP_ISLAND_OPEN expr CURLY_CLOSE)* INTERP_END
                                                                  # InterpLit
  | identifier (DOT identifier)* PAREN_OPEN (arg (COMMA arg)*)? PAREN_CLOSE
                                                                  # Call
  | identifier                                                    # Name
  | GLOBAL_OPEN identifier BRACKET_CLOSE                          # GlobalName
  | PAREN_OPEN expr PAREN_CLOSE                                   # Paren
  | CURLY_OPEN (field (COMMA field)*)? CURLY_CLOSE                # Record
  | BRACKET_OPEN (expr (COMMA expr)*)? BRACKET_CLOSE              # Table
  ;

// `F(x As name)`; with chaining on, `If(c, a; b)`.
arg : expr (AS identifier)? ({ allow_chaining }? SEMICOLON expr?)* ;

field : identifier COLON expr ;

identifier : IDENT | QUOTED_IDENT ;

// After `.` a name is always a field name, so keywords and reserved words name
// fields too (`a.none`, `r.in`).
fieldName
  : identifier | RESERVED | TRUE | FALSE | IN | EXACTIN | AS | AND_KW | OR_KW | NOT_KW
  ;
