// The REPL's line editor in a terminal: libedit (BSD licence) through its own
// API rather than its readline emulation, because the REPL needs three things
// the emulation does not give reliably:
//
//   - Ctrl-C at the prompt drops the line being typed and keeps the session.
//     The terminal's ISIG is off while editing, so Ctrl-C arrives as a key
//     bound to our function, not as a signal racing with libedit's handlers.
//     (While a formula runs the terminal is in its normal mode and Ctrl-C is a
//     SIGINT: see run_repl.)
//   - Tab asks the REPL for completions (functions, names, enum members,
//     columns), not file names.
//   - History is saved after every entry, so a killed session keeps it.
//
// UTF-8 input needs a UTF-8 LC_CTYPE before the editor starts: use_utf8_locale().
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "repl_help.h"

struct editline;
struct history;

namespace canvasfx::cli {

// Sets LC_CTYPE from the environment, or C.UTF-8 when that is not UTF-8 (the
// REPL reads and writes UTF-8 whatever the environment says). Only LC_CTYPE:
// number formatting must not follow the user's locale.
void use_utf8_locale();

// $XDG_STATE_HOME/canvasfx/history, else ~/.local/state/canvasfx/history
// (its folder created); "" when neither variable is set.
std::string default_history_path();

class LineEditor {
 public:
  using Completer = std::function<Completion(std::string_view before_cursor)>;
  // `history_path` may be "" (no history file).
  LineEditor(std::string history_path, Completer completer);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  enum class Status { Line, Interrupted, EndOfInput };
  struct Input {
    Status status = Status::EndOfInput;
    std::string line;  // without the final newline
  };
  Input read(const std::string& prompt);

  // Adds an entry (several lines for a multi-line formula) and saves the file.
  void remember(const std::string& entry);

 private:
  static char* prompt_callback(editline* el);
  static unsigned char interrupt_key(editline* el, int ch);
  static unsigned char complete_key(editline* el, int ch);

  editline* el_ = nullptr;
  history* history_ = nullptr;
  std::string history_path_;
  Completer completer_;
  std::string prompt_;
  bool interrupted_ = false;
};

}  // namespace canvasfx::cli
