// `canvasfx eval`, `canvasfx run` and `canvasfx repl`. The cores
// (eval_formula, ReplSession, run_script) take streams and engines so that
// tests can drive them; the terminal front end is in repl.cpp.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "canvasfx/engine.h"
#include "cli_options.h"
#include "display.h"

namespace canvasfx::cli {

// How `eval` prints its result.
enum class OutputFormat {
  Fx,     // Power Fx, canonical, errors with their messages (the default)
  Table,  // tables as an aligned grid, the rest as Fx
  Json,   // JSON for tools (json_value.h)
  Csv,    // a table (or a record, or a value) as RFC 4180 CSV with a header line
};
std::optional<OutputFormat> parse_output_format(std::string_view name);

struct EvalOptions {
  std::optional<std::string> formula;        // "-" or absent (stdin not a terminal): read stdin
  bool data_flow = false;                    // check as a data-flow formula (no behavior functions)
  std::optional<std::string> formulas_file;  // App.Formulas text defined before the formula
  OutputFormat format = OutputFormat::Fx;
};

struct EvalOutput {
  int exit_code = 0;
  std::string out;  // the value, in the chosen format
  std::string err;  // diagnostics with caret lines
};

// Checks and evaluates. Exit codes (exit_codes.h): kExitInvalidFormula when
// diagnostics stop the formula, kExitErrorValue when its value is an error.
EvalOutput eval_formula(Engine& engine, std::string_view formula, const CheckOptions& options,
                        bool colour, OutputFormat format = OutputFormat::Fx,
                        const ValueDisplay& display = {.max_rows = 0, .max_cell = 0});
int run_eval(const EvalOptions& options, const CliOptions& cli);
// Defines App.Formulas text (`--formulas FILE`); diagnostics go to `err`, named
// after `source`. Returns false when it has errors.
bool define_formulas(Engine& engine, std::string_view text, std::string_view source,
                     std::string& err, bool colour);

// A value as CSV: a table's columns (sorted) as the header, one line per row;
// a record as one row; anything else as a one-cell "Value" table. Cells are
// text as Text() would show it, numbers canonically, nested values as Fx.
std::string to_csv(const Value& v, const std::string& time_zone);

// One REPL: behavior context, Set declares variables, Help() and Exit(), the
// `:` commands (Help() lists them), "did you mean" after unknown names.
class ReplSession {
 public:
  ReplSession(Engine& engine, bool colour);
  struct Reply {
    std::string text;  // to print, without the final newline; empty prints nothing
    bool error = false;
    bool exit = false;
  };
  Reply submit(std::string_view input);
  std::string help() const;
  // How values are shown (rows, cell and terminal widths); `:set max-rows N`.
  ValueDisplay& display() { return display_; }

 private:
  // Exit(), Help(...), bare `help`/`exit`/`quit` and the `:` commands; nullopt
  // for a formula.
  std::optional<Reply> command(std::string_view input);
  Reply help_command(std::string_view argument) const;
  Reply tables_command();
  Reply schema_command(std::string_view name) const;
  Reply type_command(std::string_view formula);
  Reply set_command(std::string_view setting);
  // `x = 1 + 2`, `F(p: Number): Number = p * 2`, `T := Type(...)`.
  Reply define(std::string_view input);

  Engine& engine_;
  bool colour_;
  CheckOptions options_;
  ValueDisplay display_;
};

// Script mode (stdin not a terminal, `canvasfx run FILE`): multi-line inputs
// as in the REPL, each result printed on its own, whole tables, no prompts;
// the incomplete input left at the end is still submitted. Returns 0, or
// kExitInvalidFormula when any input had errors.
int run_script(std::istream& in, std::ostream& out, ReplSession& session);

int run_repl(const CliOptions& cli);
// The REPL on an engine someone else prepared (`repl --app`: the app's names).
int run_repl_on(Engine& engine, const CliOptions& cli);
// `canvasfx run FILE`: the file as a script ("-" reads stdin).
int run_file_script(const std::string& path, const CliOptions& cli);

}  // namespace canvasfx::cli
