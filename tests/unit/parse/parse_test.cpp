// Parser tests: literals, precedence, interpolation, spans, errors.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "parse/ast.h"

// GCC 12 warns falsely on `"literal" + std::string` in optimized builds (GCC bug 105329).
#pragma GCC diagnostic ignored "-Wrestrict"

namespace canvasfx::ast {
namespace {

std::string op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::Power:
      return "^";
    case BinaryOp::Concat:
      return "&";
    case BinaryOp::And:
      return "&&";
    case BinaryOp::Or:
      return "||";
    case BinaryOp::Equal:
      return "=";
    case BinaryOp::NotEqual:
      return "<>";
    case BinaryOp::Less:
      return "<";
    case BinaryOp::LessEqual:
      return "<=";
    case BinaryOp::Greater:
      return ">";
    case BinaryOp::GreaterEqual:
      return ">=";
    case BinaryOp::In:
      return "in";
    case BinaryOp::ExactIn:
      return "exactin";
  }
  return "?";
}

// The AST as an S-expression, for compact structural comparisons.
std::string sexpr(const Node* n) {
  if (!n) return "<null>";
  std::string s;
  auto kids = [&](std::string head) {
    for (const auto& c : n->children) head += " " + sexpr(c.get());
    return "(" + head + ")";
  };
  switch (n->kind) {
    case Kind::Number:
      return n->text;
    case Kind::Text:
      return "\"" + n->text + "\"";
    case Kind::Boolean:
      return n->boolean ? "true" : "false";
    case Kind::Interpolation:
      return kids("interp");
    case Kind::Name:
      return n->name_kind == NameKind::Global ? "[@" + n->ident.name + "]" : n->ident.name;
    case Kind::Dotted:
      return "(" + std::string(n->bang ? "!" : ".") + " " + sexpr(n->children[0].get()) + " " +
             n->ident.name + ")";
    case Kind::Unary:
      return kids(n->unary_op == UnaryOp::Negate ? "neg"
                  : n->unary_op == UnaryOp::Not  ? "not"
                                                 : "%");
    case Kind::Binary:
      return kids(op_name(n->binary_op));
    case Kind::Call:
      return kids("call " + n->ident.name);
    case Kind::Record:
      s = "(record";
      for (const auto& f : n->fields) s += " (" + f.name.name + " " + sexpr(f.value.get()) + ")";
      return s + ")";
    case Kind::Table:
      return kids("table");
    case Kind::As:
      return "(as " + sexpr(n->children[0].get()) + " " + n->ident.name + ")";
    case Kind::Chain:
      return kids("chain");
    case Kind::Empty:
      return "<empty>";
    case Kind::Error:
      return "<error>";
  }
  return "?";
}

std::string format(const Diagnostic& d) {
  return "Error " + std::to_string(d.span.min) + "-" + std::to_string(d.span.lim) + ": " +
         d.message;
}

std::string errors(const ParseResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics) {
    if (!s.empty()) s += "|";
    s += format(d);
  }
  return s;
}

// Parses `text`, expecting no diagnostics, and returns the S-expression.
std::string P(std::string_view text, ParseOptions options = {}) {
  ParseResult r = parse(text, options);
  EXPECT_EQ(errors(r), "") << text;
  return sexpr(r.root.get());
}

std::string chained(std::string_view text) {
  ParseOptions o;
  o.allow_chaining = true;
  return P(text, o);
}

std::string text_first(std::string_view text) {
  ParseOptions o;
  o.text_first = true;
  return P(text, o);
}

// Diagnostics in the conformance suite's form.
std::string E(std::string_view text, ParseOptions options = {}) {
  return errors(parse(text, options));
}

const std::string kOperand =
    "Expected an operand. The formula or expression expects a valid operand. For example, you "
    "can add the operand '2' to the expression ' 1 +_' so that the result is '3'. Or, you can add "
    "the operand \"there\" to the expression '\"Hi \"& _ ' so that the result is 'Hi there'.";
const std::string kOperator =
    "Expected operator. We expect an operator such as +, *, or & at this point in the formula.";
const std::string kColon = "Expected colon. We expect a colon (:) at this point in the formula.";
const std::string kBadToken =
    "Unexpected characters. Characters are used in the formula in an unexpected way.";

TEST(ParseLiterals, Numbers) {
  EXPECT_EQ(P("1"), "1");
  for (const char* text : {"1.5", ".5", "1.", "1e10", "1.5E-3", "2e+2", "007"}) {
    ParseResult r = parse(text);
    ASSERT_TRUE(r.diagnostics.empty()) << text;
    ASSERT_EQ(r.root->kind, Kind::Number);
    EXPECT_EQ(r.root->text, text);
    EXPECT_DOUBLE_EQ(r.root->number, std::stod(text)) << text;
  }
  EXPECT_EQ(parse("1e999").root->number, std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse("1e-999").root->number, 0.0);
}

TEST(ParseLiterals, TextAndBooleans) {
  ParseResult r = parse(R"("The ""quoted"" text")");
  ASSERT_EQ(r.root->kind, Kind::Text);
  EXPECT_EQ(r.root->text, "The \"quoted\" text");
  EXPECT_EQ(P(R"("")"), R"("")");
  EXPECT_EQ(P("\"a // not a comment\""), "\"a // not a comment\"");
  EXPECT_EQ(P("true"), "true");
  EXPECT_EQ(P("false"), "false");
}

TEST(ParseLiterals, Identifiers) {
  ParseResult r = parse("'it''s a name'");
  ASSERT_EQ(r.root->kind, Kind::Name);
  EXPECT_EQ(r.root->ident.name, "it's a name");
  EXPECT_TRUE(r.root->ident.quoted);
  EXPECT_EQ(P("Ünïcødé_1 + 名前"), "(+ Ünïcødé_1 名前)");
  EXPECT_EQ(P("[@x]"), "[@x]");
  EXPECT_EQ(P("T[@col]"), "(. T col)");
  EXPECT_EQ(P("a.b.c"), "(. (. a b) c)");
  EXPECT_EQ(P("a!b"), "(! a b)");
  EXPECT_EQ(parse("ThisRecord.x").root->children[0]->name_kind, NameKind::ThisRecord);
  EXPECT_EQ(parse("ThisItem").root->name_kind, NameKind::ThisItem);
  EXPECT_EQ(parse("Self").root->name_kind, NameKind::Self);
  EXPECT_EQ(parse("Parent").root->name_kind, NameKind::Parent);
  EXPECT_EQ(parse("'Self'").root->name_kind, NameKind::Plain);
  EXPECT_EQ(P("Andy + Order + Nothing"), "(+ (+ Andy Order) Nothing)");
}

TEST(ParseLiterals, RecordsTablesCalls) {
  EXPECT_EQ(P("{a: 1, 'b c': \"x\"}"), "(record (a 1) (b c \"x\"))");
  EXPECT_EQ(P("{}"), "(record)");
  EXPECT_EQ(P("[1, 2]"), "(table 1 2)");
  EXPECT_EQ(P("[]"), "(table)");
  EXPECT_EQ(P("F()"), "(call F)");
  EXPECT_EQ(P("F(a, 1+2)"), "(call F a (+ 1 2))");
  EXPECT_EQ(P("Ns.F(a)"), "(call Ns.F a)");
  EXPECT_EQ(P("Not(true)"), "(call Not true)");
  EXPECT_EQ(P("And(a, b)"), "(call And a b)");
  EXPECT_EQ(P("ForAll(T As x, x.a)"), "(call ForAll (as T x) (. x a))");
}

TEST(ParsePrecedence, Operators) {
  EXPECT_EQ(P("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(P("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(P("2 ^ 3 ^ 2"), "(^ (^ 2 3) 2)");
  EXPECT_EQ(P("-2^2"), "(neg (^ 2 2))");
  EXPECT_EQ(P("2^-1"), "(^ 2 (neg 1))");
  EXPECT_EQ(P("-2%"), "(neg (% 2))");
  EXPECT_EQ(P("2^50%"), "(^ 2 (% 50))");
  EXPECT_EQ(P("a & b = c & d"), "(= (& a b) (& c d))");
  EXPECT_EQ(P("1 + 2 & 3"), "(& (+ 1 2) 3)");
  EXPECT_EQ(P("a < b && c >= d || e <> f"), "(|| (&& (< a b) (>= c d)) (<> e f))");
  EXPECT_EQ(P("a Or b And c"), "(|| a (&& b c))");
  EXPECT_EQ(P("Not a And !b"), "(&& (not a) (not b))");
  EXPECT_EQ(P("\"a\" in b = false"), "(in \"a\" (= b false))");
  EXPECT_EQ(P("x exactin y || z"), "(|| (exactin x y) z)");
  EXPECT_EQ(P("(1 + 2) * 3"), "(* (+ 1 2) 3)");
  EXPECT_EQ(P("- - 1"), "(neg (neg 1))");
  EXPECT_EQ(P("a.b!c%"), "(% (! (. a b) c))");
}

TEST(ParseChaining, WhereAllowed) {
  EXPECT_EQ(chained("a; b; c"), "(chain a b c)");
  EXPECT_EQ(chained("a;"), "(chain a)");
  EXPECT_EQ(chained("If(c, a; b, d)"), "(call If c (chain a b) d)");
  EXPECT_EQ(E("1;2"), "Error 1-2: " + kOperator);
  // Power Fx does not chain inside parentheses.
  ParseOptions o;
  o.allow_chaining = true;
  EXPECT_EQ(E("(1;2)", o),
            "Error 2-3: Unexpected characters. The formula contains 'Semicolon' where "
            "'ParenClose' is expected.|Error 4-5: " +
                kBadToken);
}

TEST(ParseInterpolation, Nested) {
  EXPECT_EQ(P("$\"a{x}b\""), "(interp \"a\" x \"b\")");
  EXPECT_EQ(P("$\"{{{\"has\"}}}\""), "(interp \"{\" \"has\" \"}\")");
  EXPECT_EQ(P("$\"q\"\"{1}\""), "(interp \"q\"\" 1)");
  EXPECT_EQ(P("$\"{ {a: 1}.a }\""), "(interp (. (record (a 1)) a))");
  EXPECT_EQ(P("$\"x{$\"y{z}\"}\""), "(interp \"x\" (interp \"y\" z))");
  EXPECT_EQ(P("$\"\""), "(interp)");
  EXPECT_EQ(P("$\"{1}{2}{{3\""), "(interp 1 2 \"{3\")");
}

TEST(ParseTextFirst, Modes) {
  EXPECT_EQ(text_first("3 ${3+3}"), "(interp \"3 \" (+ 3 3))");
  EXPECT_EQ(text_first("They\"re {here} $$}"), "\"They\"re {here} $$}\"");
  EXPECT_EQ(text_first(""), "\"\"");
  EXPECT_EQ(text_first("=1+1"), "(+ 1 1)");
  EXPECT_EQ(text_first("a $${1} $$"), "\"a ${1} $$\"");
  EXPECT_EQ(text_first("$${${3}}"), "(interp \"${\" 3 \"}\")");
  EXPECT_EQ(text_first("${$\"{1+1}\"}"), "(interp (interp (+ 1 1)))");
  ParseOptions o;
  o.text_first = true;
  // `==`: the second `=` cannot start an operand.
  EXPECT_EQ(E("==", o), "Error 1-2: " + kBadToken);
}

TEST(ParseComments, Skipped) {
  EXPECT_EQ(P("1 /* c */ + // line\n 2"), "(+ 1 2)");
  EXPECT_EQ(P("/* a\n*/ 1 // end"), "1");
  EXPECT_EQ(E("1 + /* open"),
            "Error 4-11: Missing end-comment identifier. The block comment has no "
            "end-comment identifier.|Error 11-11: " +
                kOperand);
}

// A formula of only comments and whitespace is Blank (the reference's BlankNode).
TEST(ParseComments, OnlyCommentsIsEmpty) {
  for (const char* text : {"", "   ", "// Rand()", "/* old */", "\n// a\n/* b */\t"})
    EXPECT_EQ(P(text), "<empty>") << text;
  EXPECT_EQ(E("/* never closed"),
            "Error 0-15: " + std::string("Missing end-comment identifier. The block comment has no "
                                         "end-comment identifier."));
}

// After `.` or `!` a keyword or reserved word is a field name.
TEST(ParseLiterals, KeywordsAreFieldNamesAfterADot) {
  EXPECT_EQ(P("a.none"), "(. a none)");
  EXPECT_EQ(P("a.blank + b!Is"), "(+ (. a blank) (! b Is))");
  EXPECT_EQ(P("r.in.true.As"), "(. (. (. r in) true) As)");
  EXPECT_EQ(P("r.And"), "(. r And)");
  EXPECT_NE(E("none.a"), "");  // still no identifier on its own
}

TEST(ParseWhitespace, UnicodeClasses) {
  EXPECT_EQ(P("1\u00A0+\u2003\u20282\u0085\t\v\f\r"), "(+ 1 2)");
}

TEST(ParseSpans, Utf16) {
  // The emoji is two UTF-16 code units, so `+` is at 6, not 5.
  ParseResult r = parse("\"😀\" + 1");
  ASSERT_EQ(r.root->kind, Kind::Binary);
  EXPECT_EQ(r.root->token.min, 5);
  EXPECT_EQ(r.root->span.min, 0);
  EXPECT_EQ(r.root->span.lim, 8);
  EXPECT_EQ(E("\"😀\" + "), "Error 7-7: " + kOperand);
  EXPECT_EQ(r.utf16.size(), 8u);
}

TEST(ParseSpans, Tokens) {
  ParseResult r = parse("Ns.Fn(a,  {x: 1})");
  const Node& call = *r.root;
  EXPECT_EQ(call.span.min, 0);
  EXPECT_EQ(call.span.lim, 17);
  EXPECT_EQ(call.token.min, 0);
  EXPECT_EQ(call.token.lim, 5);
  EXPECT_EQ(call.open_paren.min, 5);
  EXPECT_EQ(call.close_paren.min, 16);
  EXPECT_EQ(call.children[1]->token.min, 10);  // `{`
  EXPECT_EQ(call.children[1]->span.lim, 16);
  ParseResult d = parse("a.'b c'");
  EXPECT_EQ(d.root->token.min, 2);
  EXPECT_EQ(d.root->token.lim, 7);
  ParseResult u = parse("1 + -x");
  EXPECT_EQ(u.root->children[1]->token.min, 4);
  EXPECT_EQ(u.root->children[1]->span.lim, 6);
}

// Malformed inputs from the Power Fx conformance suite.
TEST(ParseErrors, Conformance) {
  EXPECT_EQ(E("Text(1234567,89; \"[$-fr-FR]# ###,## €\")"), "Error 15-16: " + kOperator);
  // `.3` stands for the missing operator; its right operand is missing.
  EXPECT_EQ(E("1.2.3"), "Error 3-5: " + kOperator + "|Error 5-5: " + kOperand);
  EXPECT_EQ(E("Blank("), "Error 6-6: " + kOperand +
                             "|Error 6-6: Unexpected characters. The formula contains 'Eof' "
                             "where 'ParenClose' is expected.");
  ParseOptions chaining;
  chaining.allow_chaining = true;
  EXPECT_EQ(E("(1;(2;7));3;4", chaining).substr(0, 98),
            "Error 2-3: Unexpected characters. The formula contains 'Semicolon' where "
            "'ParenClose' is expected.");
  // In an unterminated interpolated string the end of the formula is a bad token.
  EXPECT_EQ(E("$\"{\""), "Error 3-4: " + kBadToken + "|Error 4-4: " + kBadToken);
  EXPECT_EQ(E("$\"{\" & \"\""), "Error 3-9: " + kBadToken + "|Error 9-9: " + kBadToken);
  EXPECT_EQ(E("$\"{"), "Error 3-3: " + kBadToken);
  EXPECT_EQ(E("$\"}\" & \"\""), "Error 2-2: " + kBadToken);
}

TEST(ParseErrors, Malformed) {
  EXPECT_EQ(E("1 +"), "Error 3-3: " + kOperand);
  EXPECT_EQ(E(""), "");  // an empty formula is Blank (BlankNode)
  EXPECT_EQ(E("1 + )"), "Error 4-5: " + kOperand);
  EXPECT_EQ(E("1 # 2"), "Error 2-3: " + kBadToken);
  EXPECT_EQ(E("\"abc"), "Error 0-4: " + kBadToken);
  EXPECT_EQ(E("'abc"),
            "Error 0-4: Expected closing of identifier. We expect a closing (') at this point in "
            "the formula.");
  EXPECT_EQ(E("{a 1}"),
            "Error 3-4: Unexpected characters. The formula contains 'NumLit' where 'Colon' is "
            "expected.|Error 3-4: " +
                kColon);
  // Every bracket still open at the end is reported, innermost first.
  EXPECT_EQ(E("F([1"),
            "Error 4-4: Unexpected characters. The formula contains 'Eof' where 'BracketClose' "
            "is expected.|Error 4-4: Unexpected characters. The formula contains 'Eof' where "
            "'ParenClose' is expected.");
  EXPECT_EQ(E("[1, 2"),
            "Error 5-5: Unexpected characters. The formula contains 'Eof' where 'BracketClose' is "
            "expected.");
  EXPECT_EQ(E("a."),
            "Error 2-2: Unexpected characters. The formula contains 'Eof' where 'Ident' is "
            "expected.");
}

std::string field_name_errors(std::string_view found, std::string_view at,
                              std::string_view next_at) {
  std::string expected_found =
      "Unexpected characters. The formula contains '" + std::string(found) + "' where '";
  std::string head = "Error " + std::string(at) + ": ";
  return head + expected_found + "Ident' is expected.|" + head + expected_found +
         "Colon' is expected.|" + head + kColon + "|Error " + std::string(next_at) +
         ": Unexpected characters. The formula contains 'Colon' where 'CurlyClose' is "
         "expected.|Error " +
         std::string(next_at) + ": " + kBadToken;
}

TEST(ParseErrors, ReservedKeywords) {
  EXPECT_EQ(E("{blank   :1}"), field_name_errors("Error", "1-6", "9-10"));
  EXPECT_EQ(E("{Children:1}"), field_name_errors("Error", "1-9", "9-10"));
  EXPECT_EQ(E("{As :1}"), field_name_errors("As", "1-3", "4-5"));
  EXPECT_EQ(E("null"), "Error 0-4: " + kBadToken);
  EXPECT_EQ(E("3 Is 4"), "Error 2-4: " + kBadToken);
  // Longer identifiers and quoted names are fine.
  EXPECT_EQ(P("{'none': Childs, blanks: IsBlank(x)}"),
            "(record (none Childs) (blanks (call IsBlank x)))");
  ParseOptions off;
  off.reserved_keywords = false;
  EXPECT_EQ(P("{blank: null}", off), "(record (blank null))");
  EXPECT_EQ(E("3 Is 4", off), "Error 2-4: " + kOperator);
}

TEST(ParseErrors, RecoveredTreeHasErrorNodes) {
  ParseResult r = parse("F(1 +, 2)");
  ASSERT_TRUE(r.root);
  EXPECT_EQ(errors(r), "Error 5-6: " + kOperand);
  EXPECT_EQ(r.root->kind, Kind::Call);
  EXPECT_EQ(sexpr(parse("{a: }").root.get()), "(record (a <error>))");
}

}  // namespace
}  // namespace canvasfx::ast
