#include <editline/readline.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "display.h"
#include "input_scanner.h"

namespace canvasfx::cli {
namespace {

std::string_view trim(std::string_view s) {
  constexpr std::string_view ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

}  // namespace

ReplSession::ReplSession(Engine& engine, bool colour) : engine_(engine), colour_(colour) {
  options_.behavior = true;
  options_.allow_set_declarations = true;
}

std::string ReplSession::help() const {
  std::string out =
      "Commands:\n"
      "  Help()   this list\n"
      "  Exit()   quit (or Ctrl-D)\n"
      "Set(name, value) declares or changes a variable; `;` chains formulas;\n"
      "name = formula defines a named formula, F(p: Number): Number = p * 2 a function;\n"
      "an open bracket, string or comment continues the input on the next line.\n";
  auto names = engine_.function_names();
  out += fmt::format("Functions ({}):\n", names.size());
  std::string line = " ";
  for (const auto& n : names) {
    if (line.size() + n.size() + 1 > 78) {
      out += line + "\n";
      line = " ";
    }
    line += " " + n;
  }
  if (line.size() > 1) out += line + "\n";
  out.pop_back();
  return out;
}

ReplSession::Reply ReplSession::submit(std::string_view input) {
  std::string_view t = trim(input);
  if (t.empty()) return {};
  if (t == "Exit()") return {"", false, true};
  if (t == "Help()") return {help(), false, false};
  if (Engine::is_definition(input)) return define(input);
  Reply reply;
  try {
    CheckResult checked = engine_.check(input, options_);
    std::string diagnostics = render_diagnostics(input, checked.diagnostics, colour_);
    if (!diagnostics.empty()) diagnostics.pop_back();
    if (!checked.ok()) return {diagnostics, true, false};
    reply.text = diagnostics;  // warnings
    auto add = [&](const std::string& s) {
      if (!reply.text.empty()) reply.text += "\n";
      reply.text += s;
    };
    Value v = checked.formula->eval(engine_);
    const std::string& set_name = !checked.declared.empty() ? checked.declared : checked.assigned;
    if (!set_name.empty() && !v.is_error()) {
      Value now = engine_.value(set_name);
      std::string shown = render_value(now);
      std::string name = paint(set_name, Colour::Cyan, colour_);
      add(now.is_table() && shown.find('\n') != std::string::npos ? name + ":\n" + shown
                                                                  : name + ": " + shown);
    } else if (!v.is_void()) {
      add(paint(render_value(v), v.is_error() ? Colour::Red : Colour::None, colour_));
      reply.error = v.is_error();
    }
  } catch (const std::exception& e) {
    return {paint(fmt::format("internal error: {}", sanitize(e.what())), Colour::Red, colour_),
            true, false};
  }
  return reply;
}

// `x = 1 + 2`, `Add(a: Number, b: Number): Number = a + b;`, `T := Type(...)`:
// handed to the engine as App.Formulas text; a redefinition replaces.
ReplSession::Reply ReplSession::define(std::string_view input) {
  Reply reply;
  try {
    DefineResult defined = engine_.define(input, {.final_semicolon_optional = true});
    reply.text = render_diagnostics(input, defined.diagnostics, colour_);
    if (!reply.text.empty()) reply.text.pop_back();
    reply.error = !defined.ok();
    for (const DefinedName& d : defined.defined) {
      std::string line;
      if (d.kind == DefinitionKind::Formula) {
        // Shown as a variable is after Set; evaluating it now is the REPL's choice.
        Value v = engine_.formula_value(d.name);
        std::string shown = render_value(v);
        line = paint(d.name, Colour::Cyan, colour_) +
               (shown.find('\n') != std::string::npos ? " =\n" : " = ") + shown;
      } else if (d.kind == DefinitionKind::Function) {
        line = paint(engine_.user_function_signature(d.name), Colour::Cyan, colour_);
      } else {
        line = paint(d.name, Colour::Cyan, colour_) + " := Type(" +
               engine_.user_type(d.name).value_or(Type::unknown()).schema() + ")";
      }
      if (!reply.text.empty()) reply.text += "\n";
      reply.text += line;
    }
  } catch (const std::exception& e) {
    return {paint(fmt::format("internal error: {}", sanitize(e.what())), Colour::Red, colour_),
            true, false};
  }
  return reply;
}

namespace {

// Lines collected until their brackets, strings and comments close: one
// formula may span several lines, in a script as at the prompt.
class PendingInput {
 public:
  // Adds a line; true when what was collected is complete (a formula, or blank).
  bool add(const std::string& line) {
    if (started_) text_ += "\n";
    text_ += line;
    started_ = true;
    scanner_.feed(line);
    scanner_.feed("\n");
    return scanner_.complete();
  }
  bool started() const { return started_; }
  bool has_code() const { return scanner_.has_code(); }
  const std::string& text() const { return text_; }
  // Hands over what was collected and starts afresh.
  std::string take() {
    std::string text = std::move(text_);
    text_.clear();
    started_ = false;
    scanner_.reset();
    return text;
  }

 private:
  InputScanner scanner_;
  std::string text_;
  bool started_ = false;
};

}  // namespace

int run_script(std::istream& in, std::ostream& out, ReplSession& session) {
  PendingInput pending;
  std::string line;
  bool any_error = false;
  auto submit = [&]() -> bool {
    auto reply = session.submit(pending.take());
    any_error |= reply.error;
    if (!reply.text.empty()) out << reply.text << "\n" << std::flush;
    return reply.exit;
  };
  while (std::getline(in, line)) {
    if (!pending.add(line)) continue;
    if (!pending.has_code()) {  // blank or only comments
      pending.take();
      continue;
    }
    if (submit()) return any_error ? 1 : 0;
  }
  if (pending.started() && pending.has_code()) submit();  // left open by an unclosed bracket
  return any_error ? 1 : 0;
}

namespace {

std::string history_path() {
  namespace fs = std::filesystem;
  fs::path dir;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    dir = fs::path(xdg) / "canvasfx";
  else if (const char* home = std::getenv("HOME"); home && *home)
    dir = fs::path(home) / ".local/share/canvasfx";
  else
    return {};
  std::error_code ec;
  fs::create_directories(dir, ec);
  return (dir / "history").string();
}

}  // namespace

int run_repl(const CliOptions& cli) {
  Engine engine;
  configure_engine(engine, cli);
  return run_repl_on(engine);
}

int run_repl_on(Engine& engine) {
  if (!::isatty(STDIN_FILENO)) {
    ReplSession session(engine, false);
    return run_script(std::cin, std::cout, session);
  }

  const char* term = std::getenv("TERM");
  bool colour = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") &&
                !(term && std::string_view(term) == "dumb");
  ReplSession session(engine, colour);
  std::string history = history_path();
  using_history();
  stifle_history(1000);
  if (!history.empty()) read_history(history.c_str());

  fmt::print(
      "canvasfx — Power Fx for canvas apps. Help() lists commands and functions, Exit() quits.\n");
  PendingInput pending;
  for (;;) {
    char* raw = readline(pending.started() ? ".. " : ">> ");
    if (!raw) {  // Ctrl-D
      if (pending.started() && pending.has_code()) {
        auto reply = session.submit(pending.take());
        if (!reply.text.empty()) fmt::print("{}\n", reply.text);
      }
      fmt::print("\n");
      break;
    }
    std::string line(raw);
    std::free(raw);
    if (!pending.add(line)) continue;
    if (!trim(pending.text()).empty()) add_history(pending.text().c_str());
    if (!pending.has_code()) {
      pending.take();
      continue;
    }
    auto reply = session.submit(pending.take());
    if (!reply.text.empty()) fmt::print("{}\n", reply.text);
    std::fflush(stdout);
    if (reply.exit) break;
  }
  if (!history.empty()) write_history(history.c_str());
  return 0;
}

}  // namespace canvasfx::cli
