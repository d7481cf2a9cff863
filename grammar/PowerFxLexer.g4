// Power Fx lexer. See /work/shared/reference/power-fx-lang/expression-grammar.md.
//
// Modes: DEFAULT_MODE lexes expressions; INTERP lexes the text of $"..." strings;
// TEXT_FIRST lexes TextFirst formulas (literal text with ${expr} islands). Every `{`
// pushes DEFAULT_MODE and every `}` pops it, so the `}` closing an island returns
// to the text mode that opened it while record braces inside islands nest.
// Every mode ends in a catch-all rule, so lexing never fails: unknown characters
// become ERROR_CHAR tokens for the parser to report.
lexer grammar PowerFxLexer;

@lexer::members {
  // `And`, `Or` and `Not` are operators only when followed by whitespace (or the
  // end of the formula); `Not(x)` and `And(a, b)` are function calls.
  bool KeywordEndsHere() {
    size_t c = _input->LA(1);
    return c == static_cast<size_t>(-1) || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
           c == 0x0B || c == 0x0C || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
  }
  // Power Fx V1 reserves words for future use (TexlLexer's reserved keywords);
  // the DisableReservedKeywords feature makes them identifiers again.
  bool reserved_keywords = true;
  // A `}` with no open `{` in this formula is left for the parser to report.
  void PopModeIfOpen() {
    if (!modeStack.empty()) popMode();
  }
}

WS : [\p{Zs}\p{Zl}\p{Zp}\t\n\u000B\f\r\u0085]+ -> channel(HIDDEN) ;
LINE_COMMENT : '//' ~[\n\r\u0085\u2028\u2029]* -> channel(HIDDEN) ;
// An unterminated comment runs to the end; the parse layer reports it.
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN) ;

NUMBER
  : DIGITS ('.' DIGITS?)? EXPONENT?
  | '.' DIGITS EXPONENT?
  ;
STRING : '"' (~'"' | '""')* '"' ;
UNTERMINATED_STRING : '"' (~'"' | '""')* EOF ;
INTERP_START : '$"' -> pushMode(INTERP) ;
QUOTED_IDENT : '\'' (~'\'' | '\'\'')* '\'' ;
UNTERMINATED_QUOTED_IDENT : '\'' (~'\'' | '\'\'')* EOF ;

TRUE : 'true' ;
FALSE : 'false' ;
AND_KW : 'And' { KeywordEndsHere() }? ;
OR_KW : 'Or' { KeywordEndsHere() }? ;
NOT_KW : 'Not' { KeywordEndsHere() }? ;
IN : 'in' ;
EXACTIN : 'exactin' ;
AS : 'As' ;
// Reserved words are no identifiers: the parser reports them where one is expected.
RESERVED
  : ( 'blank' | 'null' | 'empty' | 'none' | 'nothing' | 'undefined' | 'This' | 'Is' | 'Child'
    | 'Children' | 'Siblings' ) { reserved_keywords }?
  ;
IDENT : IDENT_START IDENT_CONTINUE* ;

PAREN_OPEN : '(' ;
PAREN_CLOSE : ')' ;
GLOBAL_OPEN : '[@' ;
BRACKET_OPEN : '[' ;
BRACKET_CLOSE : ']' ;
CURLY_OPEN : '{' -> pushMode(DEFAULT_MODE) ;
CURLY_CLOSE : '}' { PopModeIfOpen(); } ;
COMMA : ',' ;
SEMICOLON : ';' ;
COLON : ':' ;
DOT : '.' ;
BANG : '!' ;
PERCENT : '%' ;
CARET : '^' ;
STAR : '*' ;
SLASH : '/' ;
PLUS : '+' ;
MINUS : '-' ;
AMPAMP : '&&' ;
AMP : '&' ;
BARBAR : '||' ;
LE : '<=' ;
NE : '<>' ;
LT : '<' ;
GE : '>=' ;
GT : '>' ;
EQ : '=' ;
ERROR_CHAR : . ;

fragment DIGITS : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
fragment IDENT_START : [\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Nl}_] ;
fragment IDENT_CONTINUE : [\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Nl}_\p{Nd}\p{Pc}\p{Mn}\p{Mc}\p{Cf}] ;

// Inside $"...": `""`, `{{` and `}}` are escapes, `{` opens an island.
mode INTERP;
INTERP_TEXT : (~["{}] | '""' | '{{' | '}}')+ ;
INTERP_ISLAND_OPEN : '{' -> pushMode(DEFAULT_MODE) ;
INTERP_END : '"' -> popMode ;
INTERP_STRAY_CLOSE : '}' ;

// TextFirst formulas: everything is text except `${` islands; `$${` is the text `${`.
mode TEXT_FIRST;
TF_TEXT : (~'$' | '$${' | '$' { _input->LA(1) != '{' }? )+ ;
TF_ISLAND_OPEN : '${' -> pushMode(DEFAULT_MODE) ;
