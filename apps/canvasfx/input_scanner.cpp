#include "input_scanner.h"

namespace canvasfx::cli {

void InputScanner::feed(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    Ctx top = stack_.empty() ? Ctx::Paren : stack_.back();
    bool code = stack_.empty() || top == Ctx::Paren || top == Ctx::Bracket || top == Ctx::Brace ||
                top == Ctx::Hole;
    if (code) {
      bool comment = c == '/' && (next == '/' || next == '*');
      if (!comment && c != ' ' && c != '\t' && c != '\r' && c != '\n') has_code_ = true;
      switch (c) {
        case '(':
          stack_.push_back(Ctx::Paren);
          break;
        case '[':
          stack_.push_back(Ctx::Bracket);
          break;
        case '{':
          stack_.push_back(Ctx::Brace);
          break;
        case ')':
        case ']':
        case '}':
          // A stray closer at depth 0 is the parser's to report.
          if (!stack_.empty()) stack_.pop_back();
          break;
        case '"':
          stack_.push_back(Ctx::String);
          break;
        case '\'':
          stack_.push_back(Ctx::Ident);
          break;
        case '$':
          if (next == '"') {
            stack_.push_back(Ctx::Interp);
            ++i;
          }
          break;
        case '/':
          if (next == '/') {
            stack_.push_back(Ctx::LineComment);
            ++i;
          } else if (next == '*') {
            stack_.push_back(Ctx::BlockComment);
            ++i;
          }
          break;
        default:
          break;
      }
      continue;
    }
    switch (top) {
      case Ctx::String:
        if (c == '"') {
          if (next == '"')
            ++i;  // "" is a quote inside the string
          else
            stack_.pop_back();
        }
        break;
      case Ctx::Ident:
        if (c == '\'') {
          if (next == '\'')
            ++i;
          else
            stack_.pop_back();
        }
        break;
      case Ctx::Interp:
        if (c == '"') {
          if (next == '"')
            ++i;
          else
            stack_.pop_back();
        } else if (c == '{') {
          if (next == '{')
            ++i;  // {{ is a literal brace
          else
            stack_.push_back(Ctx::Hole);
        } else if (c == '}' && next == '}') {
          ++i;
        }
        break;
      case Ctx::BlockComment:
        if (c == '*' && next == '/') {
          stack_.pop_back();
          ++i;
        }
        break;
      case Ctx::LineComment:
        if (c == '\n') stack_.pop_back();
        break;
      default:
        break;
    }
  }
}

}  // namespace canvasfx::cli
