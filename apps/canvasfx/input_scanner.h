// Knows whether REPL input is finished: no bracket, string, quoted name,
// string interpolation or comment left open. Incremental — feed it line by
// line — so a huge unclosed input costs linear time, and iterative (an
// explicit stack), so 100,000 open brackets cannot overflow anything.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace canvasfx::cli {

class InputScanner {
 public:
  void feed(std::string_view text);
  bool complete() const { return stack_.empty(); }
  size_t depth() const { return stack_.size(); }
  // Whether anything but whitespace and comments was fed (a comment-only
  // input is not worth submitting).
  bool has_code() const { return has_code_; }
  void reset() {
    stack_.clear();
    has_code_ = false;
  }

 private:
  enum class Ctx : uint8_t {
    Paren,
    Bracket,
    Brace,
    Hole,
    String,
    Interp,
    Ident,
    BlockComment,
    LineComment
  };
  std::vector<Ctx> stack_;
  bool has_code_ = false;
};

}  // namespace canvasfx::cli
