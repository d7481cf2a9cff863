// The exit statuses of `canvasfx`, one meaning each across every command.
// `canvasfx --help` and the README list them (exit_status_help()); keep the
// three in step.
#pragma once

namespace canvasfx::cli {

inline constexpr int kExitOk = 0;
// The input is wrong or a check failed: a formula does not check (diagnostics),
// a conformance case failed or the ratchet went down, a profile breaks a rule,
// a store command got a value it does not accept.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInvalidFormula = kExitFailure;
// The command line is wrong: unknown command or option, missing argument
// (CLI11's parse errors are mapped to this).
inline constexpr int kExitUsage = 2;
// The sync store cannot be opened: not a canvasfx store, corrupt, a newer schema.
inline constexpr int kExitStore = 3;
// `eval` or a script: the formula checked but its value is an error (1/0).
inline constexpr int kExitErrorValue = 4;
// Refused because data would be lost: `profile apply` on a store with pending
// changes or unresolved sync errors (--discard-pending overrides).
inline constexpr int kExitRefused = 5;
// `canvasfx test`: the suite folder does not exist (ctest reports "skipped").
inline constexpr int kExitSuiteMissing = 77;
// A bug or a host fault that reached the command line.
inline constexpr int kExitInternal = 70;

// The table above, for --help.
inline const char* exit_status_help() {
  return "Exit status:\n"
         "  0   success\n"
         "  1   the input is wrong or a check failed (formula diagnostics, failed tests,\n"
         "      profile rule violations, a value a store command does not accept)\n"
         "  2   the command line is wrong (unknown command or option, missing argument)\n"
         "  3   the sync store cannot be opened (not a canvasfx store, corrupt, newer)\n"
         "  4   eval: the formula's value is an error (e.g. 1/0)\n"
         "  5   refused to lose data (profile apply with pending changes or sync errors)\n"
         "  70  internal error\n"
         "  77  test: the suite folder does not exist\n"
         "  130 interrupted (Ctrl-C outside the REPL)\n";
}

}  // namespace canvasfx::cli
