// `canvasfx eval` and `canvasfx repl`. The cores (eval_formula, ReplSession,
// run_script) take streams and engines so that tests can drive them.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "canvasfx/engine.h"
#include "cli_options.h"

namespace canvasfx::cli {

struct EvalOptions {
  std::optional<std::string> formula;        // "-" or absent (stdin not a terminal): read stdin
  bool data_flow = false;                    // check as a data-flow formula (no behavior functions)
  std::optional<std::string> formulas_file;  // App.Formulas text defined before the formula
};

struct EvalOutput {
  int exit_code = 0;
  std::string out;  // the value, canonically printed
  std::string err;  // diagnostics with caret lines
};

// Checks and evaluates; diagnostics that stop the formula give exit code 1.
EvalOutput eval_formula(Engine& engine, std::string_view formula, const CheckOptions& options,
                        bool colour);
int run_eval(const EvalOptions& options, const CliOptions& cli);
// Defines App.Formulas text (`--formulas FILE`); diagnostics go to `err`, named
// after `source`. Returns false when it has errors.
bool define_formulas(Engine& engine, std::string_view text, std::string_view source,
                     std::string& err, bool colour);

// One REPL: behavior context, Set declares variables, Help() and Exit().
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

 private:
  Reply define(std::string_view input);
  Engine& engine_;
  bool colour_;
  CheckOptions options_;
};

// Script mode (stdin not a terminal): multi-line inputs as in the REPL, each
// result printed on its own, no prompts; the incomplete input left at the end
// is still submitted. Returns 0, or 1 when any input had errors.
int run_script(std::istream& in, std::ostream& out, ReplSession& session);

int run_repl(const CliOptions& cli);
// The REPL on an engine someone else prepared (`repl --app`: the app's names).
int run_repl_on(Engine& engine);

}  // namespace canvasfx::cli
