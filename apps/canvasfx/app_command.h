// `canvasfx app check|run` and `canvasfx repl --app`: the player runtime
// (player/) on the command line. The cores take streams so that tests drive
// them.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "cli_options.h"

namespace CLI {
class App;
}

namespace canvasfx::cli {

struct AppCheckOptions {
  std::string path;
  bool json = false;
};

struct AppRunOptions {
  std::string path;
  std::optional<std::string> script;  // absent: steps from stdin
  bool trace = false;                 // print what each step changed
};

// Loads and checks the app; one line per diagnostic, then the counts.
// Returns 0, or 1 when there are errors (2 when nothing could be loaded).
int run_app_check(const AppCheckOptions& options, const CliOptions& cli, std::ostream& out);

// A headless player: runs the steps of a script against the app.
//   select C [ROW]         type C "text"      toggle C        set C VALUE
//   navigate SCREEN        show C.P | show C  store set NAME VALUE
//   wait 1s | wait 200ms   eval FORMULA       stats           changes
int run_app_script(const AppRunOptions& options, const CliOptions& cli, std::istream& steps,
                   std::ostream& out);
int run_app_run(const AppRunOptions& options, const CliOptions& cli);

// `canvasfx repl --app PATH`: the REPL with the app's names, after OnStart.
int run_app_repl(const std::string& path, const CliOptions& cli);

// Adds the `app` subcommand to the command line; the returned function runs
// it when it was chosen (returns -1 otherwise).
struct AppCommand {
  CLI::App* command;
  AppCheckOptions check;
  AppRunOptions run;
  CLI::App* check_command;
  CLI::App* run_command;
};
void add_app_command(CLI::App& app, AppCommand& out);
int run_app_command(const AppCommand& command, const CliOptions& cli);

}  // namespace canvasfx::cli
