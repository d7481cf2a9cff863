// canvasfx: the command line. Wiring only; every command lives in canvasfx_cli.
//
//   canvasfx [--store FILE] [repl]            interactive, or a script on stdin
//   canvasfx [--store FILE] run FILE          a script file
//   canvasfx [--store FILE] [--explain] eval [--data-flow] [--formulas FILE] [--format F]
//                                               FORMULA|-
//   canvasfx [--store FILE] store status|set|sync ...    (store_command.cpp)
//   canvasfx [--store FILE] profile check|apply FILE      (profile_command.cpp)
//   canvasfx [--store FILE] app check [--json] PATH       (app_command.cpp)
//   canvasfx [--store FILE] app run PATH [--script FILE]
//   canvasfx [--store FILE] repl --app PATH
//   canvasfx server ... | sync ... | profile publish ...  (sync_commands.cpp)
//   canvasfx [--store FILE] play PATH [--port N] [--open]     (play_command.cpp)
//   canvasfx test [--json FILE] [--ratchet FILE | --update-ratchet FILE]
//                 [--suite-root DIR] [-v] PATH...
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "app_command.h"
#include "canvasfx/version.h"
#include "cli_options.h"
#include "commands.h"
#include "exit_codes.h"
#include "play_command.h"
#include "profile_command.h"
#include "runner.h"
#include "setup_handlers.h"
#include "store_command.h"
#include "sync_commands.h"

namespace {

int run(int argc, char** argv) {
  using namespace canvasfx::cli;
  CLI::App app{"canvasfx: a Power Fx interpreter for canvas apps"};
  app.set_version_flag("--version", std::string("canvasfx ") + CANVASFX_VERSION_STRING);
  app.footer(exit_status_help());
  app.fallthrough();
  app.require_subcommand(0, 1);
  CliOptions cli;
  app.add_option("--store", cli.store, "The host's sync store (SQLite file)");
  app.add_flag("--explain", cli.explain, "Print the SQL that data sources run (stderr)");
  app.add_option("--time-limit", cli.time_limit_s,
                 "Seconds an evaluation may run before it is a Timeout error (0: no limit)")
      ->capture_default_str();
  app.add_option("--memory-budget", cli.memory_budget_mb,
                 "MB the values of one evaluation may hold before it is an InsufficientMemory "
                 "error (0: no budget)")
      ->capture_default_str();
  app.add_option("--max-formula-length", cli.max_formula_length,
                 "Characters a formula may have (0: no limit)")
      ->capture_default_str();
  app.add_option("--max-literal-length", cli.max_literal_length,
                 "Characters a text literal may have (0: no limit)")
      ->capture_default_str();
  app.add_option("--max-rows", cli.max_rows,
                 "Rows of a table shown (0: all; default 10 at the REPL, all elsewhere)");
#ifdef CANVASFX_HAVE_HOST
  HostCommand host_commands[] = {add_store_command(app, cli), add_profile_command(app, cli),
                                 add_play_command(app, cli)};
  AppCommand app_command;
  add_app_command(app, app_command);
#endif
#ifdef CANVASFX_HAVE_SYNC
  HostCommand sync_commands[] = {add_profile_publish_command(app), add_server_command(app),
                                 add_sync_command(app, cli)};
#endif

  TestOptions test;
  bool no_fork = false, list_handlers = false;
  auto* test_cmd =
      app.add_subcommand("test", "Run conformance test files (the Power Fx suite's .txt format)");
  test_cmd->add_option("paths", test.paths, "Test files, or folders searched for *.txt");
  test_cmd->add_option("--json", test.json_path, "Write the results as JSON to FILE");
  auto* ratchet = test_cmd->add_option("--ratchet", test.ratchet_path,
                                       "Fail when a file passes fewer cases than this TSV records");
  test_cmd
      ->add_option("--update-ratchet", test.update_ratchet_path,
                   "Rewrite this TSV with the counts (never lowering one)")
      ->excludes(ratchet);
  test_cmd->add_option("--suite-root", test.suite_root, "Ratchet paths are relative to DIR");
  test_cmd->add_flag("-v,--verbose", test.verbose, "Print every failure");
  test_cmd->add_option("--timeout", test.case_timeout_s, "Seconds a case may run (default 10)");
  test_cmd->add_option("--memory-limit", test.memory_limit_mb,
                       "MB of address space per test process (0: none)");
  test_cmd->add_flag("--no-fork", no_fork,
                     "Run in this process (no crash isolation, no time limit)");
  test_cmd->add_flag("--list-handlers", list_handlers,
                     "List the #SETUP handlers this runner supports");

  EvalOptions eval;
  auto* eval_cmd =
      app.add_subcommand("eval", "Evaluate one formula (use -- before a formula starting with -)");
  eval_cmd->add_option("formula", eval.formula, "The formula, or - to read it from stdin");
  eval_cmd->add_flag("--data-flow", eval.data_flow,
                     "Check as a data-flow formula (no behavior functions)");
  eval_cmd->add_option("--formulas", eval.formulas_file,
                       "Define named formulas, functions and types (App.Formulas text) first");
  std::string format = "fx";
  eval_cmd
      ->add_option("--format", format, "fx (Power Fx, the default), table (a grid), json or csv")
      ->check(CLI::IsMember({"fx", "table", "json", "csv"}));

  std::string script;
  auto* run_cmd = app.add_subcommand(
      "run", "Run a script file: formulas one after the other, as typed at the REPL");
  run_cmd->add_option("file", script, "The script (- reads stdin)")->required();

  auto* repl_cmd = app.add_subcommand("repl", "Interactive session (the default)");
  std::string repl_app;
  repl_cmd->add_option("--app", repl_app,
                       "An app whose names (controls, collections) the REPL sees");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every parse error is a usage error, whatever
    // number CLI11 gives it.
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (*test_cmd) {
    if (list_handlers) {
      for (const auto& h : setup_handlers())
        std::printf("%.*s\t%.*s\n", int(h.name.size()), h.name.data(), int(h.what.size()),
                    h.what.data());
      return 0;
    }
    if (test.paths.empty()) {
      std::fprintf(stderr, "canvasfx test: give at least one file or folder\n");
      return kExitUsage;
    }
    test.isolate = !no_fork;
    return run_test_command(test, cli);
  }
  if (*eval_cmd) {
    eval.format = parse_output_format(format).value_or(OutputFormat::Fx);
    return run_eval(eval, cli);
  }
  if (*run_cmd) return run_file_script(script, cli);
#ifdef CANVASFX_HAVE_SYNC
  // Before the host commands: `profile publish` is also a `profile` command.
  for (const HostCommand& c : sync_commands)
    if (*c.command) return c.run();
#endif
#ifdef CANVASFX_HAVE_HOST
  for (const HostCommand& c : host_commands)
    if (*c.command) return c.run();
  if (int status = run_app_command(app_command, cli); status >= 0) return status;
  if (!repl_app.empty()) return run_app_repl(repl_app, cli);
#endif
  (void)repl_cmd;
  return run_repl(cli);
}

}  // namespace

int main(int argc, char** argv) {
  // Every failure a command expects is reported with its own message and exit
  // status; this is the net under a bug, so that nothing ends in std::terminate.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "canvasfx: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "canvasfx: internal error\n");
  }
  return canvasfx::cli::kExitInternal;
}
