#include "line_editor.h"

#include <histedit.h>
#include <langinfo.h>

#include <cctype>
#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "display.h"

namespace canvasfx::cli {

void use_utf8_locale() {
  const char* set = std::setlocale(LC_CTYPE, "");
  bool utf8 = set && std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
  if (!utf8) std::setlocale(LC_CTYPE, "C.UTF-8");
}

std::string default_history_path() {
  namespace fs = std::filesystem;
  fs::path dir;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg)
    dir = fs::path(xdg) / "canvasfx";
  else if (const char* home = std::getenv("HOME"); home && *home)
    dir = fs::path(home) / ".local/state/canvasfx";
  else
    return {};
  std::error_code ec;
  fs::create_directories(dir, ec);
  return (dir / "history").string();
}

namespace {

LineEditor* editor_of(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<LineEditor*>(data);
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The longest prefix all candidates share, ignoring letter case (in the first one's case).
std::string common_prefix(const std::vector<std::string>& candidates) {
  std::string prefix = candidates.front();
  for (const auto& c : candidates) {
    size_t n = 0;
    while (n < prefix.size() && n < c.size() &&
           std::tolower(static_cast<unsigned char>(prefix[n])) ==
               std::tolower(static_cast<unsigned char>(c[n])))
      ++n;
    prefix.resize(n);
  }
  // Never stop inside a UTF-8 sequence.
  while (!prefix.empty() && (static_cast<unsigned char>(prefix.back()) & 0xC0) == 0x80)
    prefix.pop_back();
  if (!prefix.empty() && static_cast<unsigned char>(prefix.back()) >= 0xC0) prefix.pop_back();
  return prefix;
}

// Candidates in columns, as a shell lists them.
void list_candidates(const std::vector<std::string>& candidates) {
  size_t width = terminal_width();
  if (width == 0) width = 80;
  size_t column = 0;
  for (const auto& c : candidates) column = std::max(column, display_width(c) + 2);
  size_t per_line = std::max<size_t>(1, width / column);
  std::string out = "\n";
  for (size_t i = 0; i < candidates.size(); ++i) {
    bool last_in_line = (i + 1) % per_line == 0 || i + 1 == candidates.size();
    out += candidates[i];
    if (!last_in_line) out += std::string(column - display_width(candidates[i]), ' ');
    if (last_in_line) out += "\n";
  }
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace

LineEditor::LineEditor(std::string history_path, Completer completer)
    : history_path_(std::move(history_path)), completer_(std::move(completer)) {
  el_ = el_init("canvasfx", stdin, stdout, stderr);
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_PROMPT, &LineEditor::prompt_callback);
  el_set(el_, EL_SIGNAL, 1);  // window size changes, suspend and resume
  // Ctrl-C while editing is a key, not a signal: see the header.
  el_set(el_, EL_SETTY, "-d", "-isig", nullptr);
  el_set(el_, EL_ADDFN, "canvasfx-interrupt", "Drop the line being typed",
         &LineEditor::interrupt_key);
  el_set(el_, EL_BIND, "^C", "canvasfx-interrupt", nullptr);
  el_set(el_, EL_ADDFN, "canvasfx-complete", "Complete a name", &LineEditor::complete_key);
  el_set(el_, EL_BIND, "^I", "canvasfx-complete", nullptr);
  el_source(el_, nullptr);  // the user's ~/.editrc, as other libedit programs do

  history_ = history_init();
  HistEvent event;
  history(history_, &event, H_SETSIZE, 1000);
  history(history_, &event, H_SETUNIQUE, 1);
  if (!history_path_.empty()) history(history_, &event, H_LOAD, history_path_.c_str());
  el_set(el_, EL_HIST, history, history_);
}

LineEditor::~LineEditor() {
  if (el_) el_end(el_);  // restores the terminal
  if (history_) history_end(history_);
}

char* LineEditor::prompt_callback(EditLine* el) {
  return const_cast<char*>(editor_of(el)->prompt_.c_str());
}

unsigned char LineEditor::interrupt_key(EditLine* el, int) {
  editor_of(el)->interrupted_ = true;
  return CC_EOF;  // el_gets returns at once; read() reports Interrupted
}

unsigned char LineEditor::complete_key(EditLine* el, int) {
  LineEditor* self = editor_of(el);
  const LineInfo* line = el_line(el);
  std::string before(line->buffer, line->cursor);
  Completion c = self->completer_(before);
  if (c.candidates.empty()) return CC_REFRESH_BEEP;
  std::string typed = before.substr(c.start);
  std::string replacement =
      c.candidates.size() == 1 ? c.candidates.front() : common_prefix(c.candidates);
  if (replacement.size() > typed.size() ||
      (replacement.size() == typed.size() && replacement != typed && !replacement.empty())) {
    el_deletestr(el, static_cast<int>(code_points(typed)));
    el_insertstr(el, replacement.c_str());
    return CC_REFRESH;
  }
  list_candidates(c.candidates);
  return CC_REDISPLAY;
}

LineEditor::Input LineEditor::read(const std::string& prompt) {
  prompt_ = prompt;
  interrupted_ = false;
  int count = 0;
  errno = 0;
  const char* raw = el_gets(el_, &count);
  Input input;
  if (interrupted_) {
    std::fputs("^C\n", stdout);
    std::fflush(stdout);
    input.status = Status::Interrupted;
    return input;
  }
  if (!raw || count <= 0) {
    // A signal interrupted the read (a SIGINT sent by another process, or a
    // Ctrl-C typed before the editor had the terminal): like Ctrl-C.
    input.status = errno == EINTR ? Status::Interrupted : Status::EndOfInput;
    if (input.status == Status::Interrupted) std::fputs("\n", stdout);
    return input;
  }
  input.status = Status::Line;
  input.line.assign(raw, static_cast<size_t>(count));
  while (!input.line.empty() && (input.line.back() == '\n' || input.line.back() == '\r'))
    input.line.pop_back();
  return input;
}

void LineEditor::remember(const std::string& entry) {
  HistEvent event;
  history(history_, &event, H_ENTER, entry.c_str());
  if (!history_path_.empty()) history(history_, &event, H_SAVE, history_path_.c_str());
}

}  // namespace canvasfx::cli
