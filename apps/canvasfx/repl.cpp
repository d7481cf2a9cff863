// The REPL: ReplSession (what an input does, testable without a terminal),
// script mode, and the terminal front end (line editor, Ctrl-C, history).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "canvasfx/version.h"
#include "commands.h"
#include "display.h"
#include "input_scanner.h"
#include "line_editor.h"
#include "repl_help.h"

namespace canvasfx::cli {
namespace {

std::string_view trim(std::string_view s) {
  constexpr std::string_view ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// "Help(Filter)" → "Filter"; nullopt when the input is not a Help call.
std::optional<std::string_view> help_argument(std::string_view t) {
  if (!t.starts_with("Help(") || !t.ends_with(")")) return std::nullopt;
  std::string_view arg = trim(t.substr(5, t.size() - 6));
  if (arg.size() >= 2 && (arg.front() == '"' || arg.front() == '\'') && arg.back() == arg.front())
    arg = arg.substr(1, arg.size() - 2);
  return arg;
}

}  // namespace

ReplSession::ReplSession(Engine& engine, bool colour) : engine_(engine), colour_(colour) {
  options_.behavior = true;
  options_.allow_set_declarations = true;
}

std::string ReplSession::help() const { return help_overview(engine_); }

std::optional<ReplSession::Reply> ReplSession::command(std::string_view t) {
  if (t == "Exit()") return Reply{"", false, true};
  if (auto argument = help_argument(t)) return help_command(*argument);
  if (t.starts_with(':')) {
    std::string_view rest = t.substr(1);
    std::string_view name = rest.substr(0, rest.find_first_of(" \t\r\n"));
    std::string_view argument = trim(rest.substr(name.size()));
    if (name == "tables") return tables_command();
    if (name == "schema") return schema_command(argument);
    if (name == "type") return type_command(argument);
    if (name == "set") return set_command(argument);
    if (name == "help") return help_command("");
    return Reply{fmt::format("Unknown command :{}. Help() lists the commands.", name), true};
  }
  // What people type in other REPLs: a hint rather than "name isn't valid".
  if (!engine_.find_symbol(t)) {
    if (t == "help" || t == "help()" || t == "?" || t == "Help")
      return Reply{"Help() lists the commands and functions; Help(Filter) explains a function."};
    if (t == "exit" || t == "quit" || t == "exit()" || t == "quit()" || t == "Quit()" ||
        t == "Exit")
      return Reply{"Exit() quits (or Ctrl-D)."};
  }
  return std::nullopt;
}

ReplSession::Reply ReplSession::help_command(std::string_view argument) const {
  if (argument.empty()) return {help()};
  if (auto text = help_for(engine_, argument)) return {*text};
  std::string reply = fmt::format("Help: '{}' is not a function, name or enum.", argument);
  auto similar = similar_names(engine_, argument, false);
  if (!similar.empty()) reply += fmt::format(" Did you mean {}?", similar.front());
  return {reply, true};
}

ReplSession::Reply ReplSession::tables_command() {
  std::vector<std::pair<std::string, std::string>> lines;  // name, what it holds
  size_t width = 0;
  for (size_t id = 0; id < engine_.symbol_count(); ++id) {
    if (!engine_.symbol_type(id).is(TypeKind::Table)) continue;
    std::string name = formula_name(engine_.symbol_name(id));
    // CountRows runs as SQL on a data source: no rows are read.
    Value rows = engine_.eval("CountRows(" + name + ")");
    lines.emplace_back(name, fmt::format("{} rows, {} columns",
                                         rows.is_number() ? print_number(rows.as_number()) : "?",
                                         engine_.symbol_type(id).field_count()));
    width = std::max(width, display_width(name));
  }
  if (lines.empty()) return {"No tables. Collect(name, {…}) creates a collection."};
  std::string out;
  for (const auto& [name, what] : lines)
    out += fmt::format("{}{}  {}\n", name, std::string(width - display_width(name), ' '), what);
  out.pop_back();
  return {out};
}

ReplSession::Reply ReplSession::schema_command(std::string_view name) const {
  if (name.size() >= 2 && name.front() == '\'' && name.back() == '\'')
    name = name.substr(1, name.size() - 2);
  auto id = engine_.find_symbol(name);
  if (!id) return {fmt::format(":schema: no table named '{}'. :tables lists them.", name), true};
  const Type& type = engine_.symbol_type(*id);
  if (!type.is(TypeKind::Table) && !type.is(TypeKind::Record))
    return {fmt::format("{}: {}", formula_name(name), type_text(type))};
  std::vector<std::pair<std::string, std::string>> columns;
  size_t width = 0;
  for (size_t i = 0; i < type.field_count(); ++i) {
    columns.emplace_back(formula_name(type.field_name(i)), type_text(type.field_type(i)));
    width = std::max(width, display_width(columns.back().first));
  }
  std::string out =
      fmt::format("{} ({}):", formula_name(name), type.is(TypeKind::Table) ? "table" : "record");
  for (const auto& [column, column_type] : columns)
    out += fmt::format("\n  {}{}  {}", column, std::string(width - display_width(column), ' '),
                       column_type);
  return {out};
}

ReplSession::Reply ReplSession::type_command(std::string_view formula) {
  if (formula.empty())
    return {":type FORMULA shows the formula's type without evaluating it.", true};
  CheckOptions options = options_;
  options.allow_set_declarations = false;  // only a look: declares nothing
  CheckResult checked = engine_.check(formula, options);
  if (!checked.ok()) {
    std::string text = render_diagnostics(formula, checked.diagnostics, colour_) +
                       did_you_mean(engine_, checked.diagnostics);
    text.pop_back();
    return {text, true};
  }
  return {type_text(checked.type)};
}

ReplSession::Reply ReplSession::set_command(std::string_view setting) {
  std::string_view name = setting.substr(0, setting.find_first_of(" \t"));
  std::string_view value = trim(setting.substr(name.size()));
  if (name.empty()) return {fmt::format("max-rows {}", display_.max_rows)};
  if (name == "max-rows") {
    size_t rows = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), rows);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty())
      return {":set max-rows N: N is a number of rows, 0 for all.", true};
    display_.max_rows = rows;
    return {};
  }
  return {fmt::format(":set: unknown setting '{}' (max-rows).", name), true};
}

ReplSession::Reply ReplSession::submit(std::string_view input) {
  std::string_view t = trim(input);
  if (t.empty()) return {};
  if (auto reply = command(t)) return *reply;
  if (Engine::is_definition(input)) return define(input);
  Reply reply;
  try {
    CheckResult checked = engine_.check(input, options_);
    std::string diagnostics = render_diagnostics(input, checked.diagnostics, colour_) +
                              did_you_mean(engine_, checked.diagnostics);
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
      std::string shown = render_value(now, display_);
      std::string name = paint(set_name, Colour::Cyan, colour_);
      add(now.is_table() && shown.find('\n') != std::string::npos ? name + ":\n" + shown
                                                                  : name + ": " + shown);
    } else if (!v.is_void()) {
      add(paint(render_value(v, display_), v.is_error() ? Colour::Red : Colour::None, colour_));
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
        std::string shown = render_value(v, display_);
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
    if (submit()) return any_error ? kExitFailure : kExitOk;
  }
  if (pending.started() && pending.has_code()) submit();  // left open by an unclosed bracket
  return any_error ? kExitFailure : kExitOk;
}

namespace {

// A script shows whole tables and cells: its output is read by a program or a
// file, not by a terminal of some width.
ValueDisplay script_display(const CliOptions& cli) {
  return ValueDisplay{.max_rows = cli.max_rows.value_or(0), .max_cell = 0, .width = 0};
}

// The engine whose formula is running, for the SIGINT handler: Ctrl-C while a
// formula runs (the terminal is in its normal mode then) cancels it.
std::atomic<Engine*> running_engine{nullptr};
volatile std::sig_atomic_t interrupted = 0;

void on_interrupt(int) {
  interrupted = 1;
  if (Engine* engine = running_engine.load()) engine->cancel();
}

}  // namespace

namespace {

int run_script_on(Engine& engine, std::istream& in, const CliOptions& cli) {
  ReplSession session(engine, false);
  session.display() = script_display(cli);
  return run_script(in, std::cout, session);
}

}  // namespace

int run_file_script(const std::string& path, const CliOptions& cli) {
  Engine engine;
  configure_engine(engine, cli);
  if (path == "-") return run_script_on(engine, std::cin, cli);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "canvasfx run: cannot read {}\n", path);
    return kExitUsage;
  }
  return run_script_on(engine, in, cli);
}

int run_repl(const CliOptions& cli) {
  Engine engine;
  configure_engine(engine, cli);
  return run_repl_on(engine, cli);
}

int run_repl_on(Engine& engine, const CliOptions& cli) {
  if (!::isatty(STDIN_FILENO)) return run_script_on(engine, std::cin, cli);

  use_utf8_locale();
  const char* term = std::getenv("TERM");
  bool colour = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") &&
                !(term && std::string_view(term) == "dumb");
  ReplSession session(engine, colour);
  session.display().max_rows = cli.max_rows.value_or(10);

  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: an interrupted read returns
  sigaction(SIGINT, &action, nullptr);

  LineEditor editor(default_history_path(),
                    [&](std::string_view before) { return complete(engine, before); });
  fmt::print(
      "canvasfx {} — Power Fx for canvas apps. Help() lists commands and functions, "
      "Exit() quits.\n",
      CANVASFX_VERSION_STRING);
  std::fflush(stdout);
  PendingInput pending;
  for (;;) {
    running_engine = nullptr;  // Ctrl-C at the prompt is the editor's
    auto input = editor.read(pending.started() ? ".. " : ">> ");
    // From here until the result is shown, Ctrl-C (a SIGINT: the editor gave
    // the terminal back) cancels what this line runs, checking included.
    interrupted = 0;
    running_engine = &engine;
    if (input.status == LineEditor::Status::Interrupted) {
      pending.take();  // Ctrl-C drops the input being typed, not the session
      continue;
    }
    if (input.status == LineEditor::Status::EndOfInput) {
      if (pending.started() && pending.has_code()) {
        auto reply = session.submit(pending.take());
        if (!reply.text.empty()) fmt::print("{}\n", reply.text);
      }
      fmt::print("\n");
      break;
    }
    if (!pending.add(input.line)) continue;
    if (!trim(pending.text()).empty()) editor.remember(pending.text());
    if (!pending.has_code()) {
      pending.take();
      continue;
    }
    session.display().width = terminal_width();
    auto reply = session.submit(pending.take());
    running_engine = nullptr;
    if (interrupted && reply.error)
      reply.text = paint("Cancelled (Ctrl-C).", Colour::Yellow, colour);
    if (!reply.text.empty()) fmt::print("{}\n", reply.text);
    std::fflush(stdout);
    if (reply.exit) break;
  }
  return kExitOk;
}

}  // namespace canvasfx::cli
