// canvasfx::ast::parse: UTF-8 decoding, the nesting pre-scan, and driving the
// ANTLR lexer/parser (SLL first, LL with error reporting on failure).
#include <string>

#include "PowerFxLexer.h"
#include "PowerFxParser.h"
#include "antlr4-runtime.h"
#include "parse/ast.h"
#include "parse/ast_builder.h"
#include "parse/error_strategy.h"
#include "parse/parse_internal.h"

namespace canvasfx::ast {
namespace internal {

std::string expected_found_message(std::string_view found, std::string_view expected) {
  std::string s = "Unexpected characters. The formula contains '";
  s += found;
  s += "' where '";
  s += expected;
  s += "' is expected.";
  return s;
}

std::string too_deep_message(int max_depth) {
  return "Expression nesting too deep. An expression in your formula is nested more than " +
         std::to_string(max_depth) + " levels.";
}

Span SpanMap::token(const antlr4::Token* t) const {
  if (!t || t->getStartIndex() == INVALID_INDEX) return {-1, -1};
  size_t start = t->getStartIndex();
  size_t stop = t->getStopIndex();
  size_t lim = (stop == INVALID_INDEX || stop + 1 < start) ? start : stop + 1;
  return {at(start), at(lim)};
}

void Reporter::error(Span span, std::string_view message) {
  if (out_.size() >= kMaxDiagnostics) throw TooManyDiagnostics();
  out_.push_back({span, Severity::Error, std::string(message)});
}

std::string_view token_kind_name(size_t type) {
  using L = canvasfx_grammar::PowerFxLexer;
  switch (type) {
    case L::NUMBER:
      return "NumLit";
    case L::STRING:
      return "StrLit";
    case L::INTERP_START:
      return "StrInterpStart";
    case L::INTERP_END:
      return "StrInterpEnd";
    case L::INTERP_TEXT:
    case L::TF_TEXT:
      return "StrLit";
    case L::INTERP_ISLAND_OPEN:
    case L::TF_ISLAND_OPEN:
      return "IslandStart";
    case L::QUOTED_IDENT:
    case L::IDENT:
      return "Ident";
    case L::TRUE:
      return "True";
    case L::FALSE:
      return "False";
    case L::AND_KW:
    case L::AMPAMP:
      return "And";
    case L::OR_KW:
    case L::BARBAR:
      return "Or";
    case L::NOT_KW:
      return "Not";
    case L::IN:
      return "In";
    case L::EXACTIN:
      return "Exactin";
    case L::AS:
      return "As";
    case L::PAREN_OPEN:
      return "ParenOpen";
    case L::PAREN_CLOSE:
      return "ParenClose";
    case L::GLOBAL_OPEN:
    case L::BRACKET_OPEN:
      return "BracketOpen";
    case L::BRACKET_CLOSE:
      return "BracketClose";
    case L::CURLY_OPEN:
      return "CurlyOpen";
    case L::CURLY_CLOSE:
      return "CurlyClose";
    case L::COMMA:
      return "Comma";
    case L::SEMICOLON:
      return "Semicolon";
    case L::COLON:
      return "Colon";
    case L::DOT:
      return "Dot";
    case L::BANG:
      return "Bang";
    case L::PERCENT:
      return "PercentSign";
    case L::CARET:
      return "Caret";
    case L::STAR:
      return "Mul";
    case L::SLASH:
      return "Div";
    case L::PLUS:
      return "Add";
    case L::MINUS:
      return "Sub";
    case L::AMP:
      return "Ampersand";
    case L::LE:
      return "LssEqu";
    case L::NE:
      return "LssGrt";
    case L::LT:
      return "Lss";
    case L::GE:
      return "GrtEqu";
    case L::GT:
      return "Grt";
    case L::EQ:
      return "Equ";
    case antlr4::Token::EOF:
      return "Eof";
    default:
      return "Error";
  }
}

}  // namespace internal

namespace {

using internal::Reporter;
using internal::SpanMap;
using L = canvasfx_grammar::PowerFxLexer;
using P = canvasfx_grammar::PowerFxParser;

// The formula as code points for ANTLR, plus UTF-16 offsets for spans.
struct Decoded {
  std::u32string code_points;
  std::vector<int32_t> utf16_offsets;  // one per code point, plus the end
  std::u16string utf16;
  bool valid = true;
};

// Strict UTF-8 decoding (no overlongs, surrogates or values past U+10FFFF). We
// decode ourselves because the ANTLR runtime throws on malformed input; on the
// first bad byte, decoding stops and `valid` is false (the offsets then cover
// the good prefix).
Decoded decode_utf8(std::string_view s) {
  Decoded d;
  d.code_points.reserve(s.size());
  d.utf16_offsets.reserve(s.size() + 1);
  d.utf16.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = byte(i);
    char32_t cp;
    size_t len;
    if (b0 < 0x80) {
      cp = b0;
      len = 1;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      cp = b0 & 0x1F;
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      cp = b0 & 0x0F;
      len = 3;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      cp = b0 & 0x07;
      len = 4;
    } else {
      d.valid = false;
      break;
    }
    if (i + len > s.size()) {
      d.valid = false;
      break;
    }
    bool ok = true;
    for (size_t k = 1; k < len; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (!ok || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      d.valid = false;
      break;
    }
    d.utf16_offsets.push_back(static_cast<int32_t>(d.utf16.size()));
    d.code_points.push_back(cp);
    if (cp >= 0x10000) {
      d.utf16.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      d.utf16.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      d.utf16.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  d.utf16_offsets.push_back(static_cast<int32_t>(d.utf16.size()));
  return d;
}

// An ANTLR char stream over already-decoded code points.
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  explicit CodePointStream(std::u32string data) {
    _data = std::move(data);
    p = 0;
  }
};

// Collects lexer errors; the lexer has a catch-all rule, so this is a backstop.
class LexerErrors : public antlr4::BaseErrorListener {
 public:
  explicit LexerErrors(Reporter& reporter, const SpanMap& spans)
      : reporter_(reporter), spans_(spans) {}
  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token*, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    auto* lexer = static_cast<antlr4::Lexer*>(recognizer);
    int32_t at = spans_.at(lexer->tokenStartCharIndex);
    reporter_.error({at, at + 1}, internal::kErrBadToken);
  }

 private:
  Reporter& reporter_;
  const SpanMap& spans_;
};

// Tokens after which `-` and `!` are binary (minus, dot-like bang), not prefix.
bool ends_operand(size_t type) {
  switch (type) {
    case L::NUMBER:
    case L::STRING:
    case L::QUOTED_IDENT:
    case L::IDENT:
    case L::TRUE:
    case L::FALSE:
    case L::PAREN_CLOSE:
    case L::BRACKET_CLOSE:
    case L::CURLY_CLOSE:
    case L::INTERP_END:
    case L::PERCENT:
      return true;
    default:
      return false;
  }
}

bool opens(size_t type) {
  return type == L::PAREN_OPEN || type == L::BRACKET_OPEN || type == L::GLOBAL_OPEN ||
         type == L::CURLY_OPEN || type == L::INTERP_START || type == L::INTERP_ISLAND_OPEN ||
         type == L::TF_ISLAND_OPEN;
}

bool closes(size_t type) {
  return type == L::PAREN_CLOSE || type == L::BRACKET_CLOSE || type == L::CURLY_CLOSE ||
         type == L::INTERP_END;
}

// Reports lexical problems the parser does not see (unterminated block comments)
// and rejects formulas whose parse would recurse deeper than max_depth: bracket
// nesting plus pending prefix operators. A prefix operator stays pending until
// an operator binding looser than it (anything but ^ . ! %) ends its operand,
// as in `-2^-2^-2...`, which nests. Returns false when too deep.
bool prescan(const std::vector<antlr4::Token*>& tokens, const SpanMap& spans, int max_depth,
             Reporter& reporter) {
  struct Level {
    int depth;
    int pending_prefix;
  };
  std::vector<Level> outer;  // per open bracket: the state outside it
  int depth = 0;             // open brackets and pending prefix operators
  int pending_prefix = 0;    // prefix operators pending at this bracket level
  size_t previous = antlr4::Token::EOF;
  for (antlr4::Token* token : tokens) {
    size_t type = token->getType();
    if (type == L::BLOCK_COMMENT) {
      std::string text = token->getText();
      if (text.size() < 4 || text.compare(text.size() - 2, 2, "*/") != 0)
        reporter.error(spans.token(token), internal::kErrMissingEndOfBlockComment);
      continue;
    }
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    bool prefix =
        type == L::NOT_KW || ((type == L::MINUS || type == L::BANG) && !ends_operand(previous));
    if (prefix) {
      ++pending_prefix;
      ++depth;
    } else if (opens(type)) {
      outer.push_back({depth, pending_prefix});
      pending_prefix = 0;
      ++depth;
    } else if (closes(type) && !outer.empty()) {
      // The prefix operators pending before the bracket are pending again.
      depth = outer.back().depth;
      pending_prefix = outer.back().pending_prefix;
      outer.pop_back();
    } else if (!ends_operand(type) && type != L::CARET && type != L::DOT && type != L::BANG &&
               type != L::INTERP_TEXT && type != L::IDENT) {
      // A looser binary operator or separator ends the pending prefix operands.
      depth -= pending_prefix;
      pending_prefix = 0;
    }
    if (depth > max_depth) {
      reporter.error(spans.token(token), internal::too_deep_message(max_depth));
      return false;
    }
    previous = type;
  }
  return true;
}

// No token but EOF on the default channel.
bool only_trivia(const std::vector<antlr4::Token*>& tokens) {
  for (antlr4::Token* t : tokens)
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL && t->getType() != antlr4::Token::EOF)
      return false;
  return true;
}

enum class Entry { Formula, TextFirst, Equals, Definitions };

antlr4::ParserRuleContext* run_entry(P& parser, Entry entry) {
  switch (entry) {
    case Entry::TextFirst:
      return parser.textFirstFormula();
    case Entry::Equals:
      return parser.equalsFormula();
    case Entry::Definitions:
      return parser.definitions();
    default:
      return parser.formula();
  }
}

NodePtr build(internal::AstBuilder& builder, antlr4::ParserRuleContext* tree, Entry entry) {
  switch (entry) {
    case Entry::TextFirst:
      return builder.text_first_formula(static_cast<P::TextFirstFormulaContext*>(tree));
    case Entry::Equals:
      return builder.equals_formula(static_cast<P::EqualsFormulaContext*>(tree));
    default:
      return builder.formula(static_cast<P::FormulaContext*>(tree));
  }
}

struct DriverOptions {
  Entry entry = Entry::Formula;
  bool allow_chaining = false;
  bool reserved_keywords = true;
  int max_depth = 400;
};

// Lexes and parses `decoded` from `entry` (SLL first, then LL with Power Fx
// error reporting) and hands the tree to `use` while the ANTLR objects live.
// `trivia` runs instead when the text has no token at all. Returns false when
// the text is too deeply nested or has too many errors to build anything.
template <typename Use, typename Trivia>
bool drive(Decoded& decoded, const DriverOptions& options, std::vector<Diagnostic>& diagnostics,
           Use&& use, Trivia&& trivia) {
  SpanMap spans(std::move(decoded.utf16_offsets));
  Reporter reporter(diagnostics);
  CodePointStream input(std::move(decoded.code_points));
  L lexer(&input);
  lexer.removeErrorListeners();
  LexerErrors lexer_errors(reporter, spans);
  lexer.addErrorListener(&lexer_errors);
  if (options.entry == Entry::TextFirst) lexer.setMode(L::TEXT_FIRST);
  lexer.reserved_keywords = options.reserved_keywords;
  antlr4::CommonTokenStream tokens(&lexer);
  try {
    tokens.fill();
    if (!prescan(tokens.getTokens(), spans, options.max_depth, reporter)) return false;
    if (options.entry != Entry::TextFirst && only_trivia(tokens.getTokens())) {
      trivia(spans);
      return true;
    }
    P parser(&tokens);
    parser.removeErrorListeners();
    parser.allow_chaining = options.allow_chaining;
    // Fast path: SLL prediction, bailing out at the first error.
    auto* interpreter = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
    interpreter->setPredictionMode(antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    antlr4::ParserRuleContext* tree = nullptr;
    try {
      tree = run_entry(parser, options.entry);
    } catch (const antlr4::ParseCancellationException&) {
      // Full LL with Power Fx error reporting and recovery.
      tokens.seek(0);
      parser.reset();
      interpreter->setPredictionMode(antlr4::atn::PredictionMode::LL);
      auto strategy = std::make_shared<internal::PowerFxErrorStrategy>(spans, reporter);
      parser.setErrorHandler(strategy);
      tree = run_entry(parser, options.entry);
      strategy->finish(&parser);
    }
    internal::AstBuilder builder(spans, reporter, options.max_depth);
    use(builder, tree, spans);
    return true;
  } catch (const internal::TooManyDiagnostics&) {
    return false;
  }
}

void parse_decoded(Decoded& decoded, const ParseOptions& options, ParseResult& result) {
  Span whole{0, decoded.utf16_offsets.back()};
  auto root_of_kind = [&](Kind kind) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->span = node->token = whole;
    return node;
  };
  DriverOptions driver;
  if (options.text_first)
    driver.entry = !decoded.code_points.empty() && decoded.code_points[0] == U'='
                       ? Entry::Equals
                       : Entry::TextFirst;
  driver.allow_chaining = options.allow_chaining;
  driver.reserved_keywords = options.reserved_keywords;
  driver.max_depth = options.max_depth;
  bool built = drive(
      decoded, driver, result.diagnostics,
      [&](internal::AstBuilder& builder, antlr4::ParserRuleContext* tree, const SpanMap&) {
        result.root = build(builder, tree, driver.entry);
      },
      // Whitespace and comments only (a property commented out): Blank, as the
      // reference parser's BlankNode.
      [&](const SpanMap&) { result.root = root_of_kind(Kind::Empty); });
  if (!built) result.root = root_of_kind(Kind::Error);
}

}  // namespace

ParseResult parse(std::string_view text, const ParseOptions& options) {
  ParseResult result;
  try {
    Decoded decoded = decode_utf8(text);
    result.utf16 = decoded.utf16;
    if (!decoded.valid) {
      int32_t at = decoded.utf16_offsets.back();
      result.diagnostics.push_back(
          {{at, at + 1}, Severity::Error, std::string(internal::kErrInvalidUtf8)});
      return result;
    }
    parse_decoded(decoded, options, result);
  } catch (const std::exception& e) {
    // A bug, not a property of the input; still never escapes to callers.
    result.root.reset();
    result.diagnostics.push_back({{0, static_cast<int32_t>(result.utf16.size())},
                                  Severity::Error,
                                  std::string("Internal parser error: ") + e.what()});
  }
  return result;
}

DefinitionsResult parse_definitions(std::string_view text, const DefinitionsOptions& options) {
  DefinitionsResult result;
  try {
    Decoded decoded = decode_utf8(text);
    if (!decoded.valid) {
      int32_t at = decoded.utf16_offsets.back();
      result.diagnostics.push_back(
          {{at, at + 1}, Severity::Error, std::string(internal::kErrInvalidUtf8)});
      return result;
    }
    DriverOptions driver;
    driver.entry = Entry::Definitions;
    driver.allow_chaining = true;  // behavior function bodies; `;` also ends a definition
    driver.reserved_keywords = options.reserved_keywords;
    driver.max_depth = options.max_depth;
    drive(
        decoded, driver, result.diagnostics,
        [&](internal::AstBuilder& builder, antlr4::ParserRuleContext* tree, const SpanMap&) {
          result.definitions = builder.definitions(static_cast<P::DefinitionsContext*>(tree),
                                                   options.final_semicolon_optional);
        },
        [](const SpanMap&) {});
  } catch (const std::exception& e) {
    result.definitions.clear();
    result.diagnostics.push_back(
        {{0, 0}, Severity::Error, std::string("Internal parser error: ") + e.what()});
  }
  return result;
}

bool starts_with_definition(std::string_view text) {
  try {
    Decoded decoded = decode_utf8(text);
    if (!decoded.valid) return false;
    CodePointStream input(std::move(decoded.code_points));
    L lexer(&input);
    lexer.removeErrorListeners();
    std::vector<size_t> types;  // the first default-channel tokens
    for (auto token = lexer.nextToken();
         token->getType() != antlr4::Token::EOF && types.size() < 64; token = lexer.nextToken())
      if (token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) types.push_back(token->getType());
    auto at = [&](size_t i) { return i < types.size() ? types[i] : size_t{antlr4::Token::EOF}; };
    if (at(0) != L::IDENT && at(0) != L::QUOTED_IDENT) return false;
    if (at(1) == L::EQ) return true;                       // Name = ...
    if (at(1) == L::COLON && at(2) == L::EQ) return true;  // Name := ...
    if (at(1) != L::PAREN_OPEN) return false;
    // Name( ... ) followed by `:`: a function's signature. `Len(s) = 3` stays a
    // comparison (a definition without its return type would be an error anyway).
    size_t i = 2;
    while (i < types.size() && types[i] != L::PAREN_CLOSE) {
      if (types[i] != L::IDENT && types[i] != L::QUOTED_IDENT && types[i] != L::COLON &&
          types[i] != L::COMMA)
        return false;
      ++i;
    }
    return at(i) == L::PAREN_CLOSE && at(i + 1) == L::COLON;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace canvasfx::ast
