// The conformance suite's .txt format and its judging rules (CONFORMANCE.md,
// FORMAT.md), as pure functions: reading a file, reading its #SETUP tokens,
// turning them into an engine configuration, and deciding pass or fail from
// what the engine produced. Running cases lives in runner.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/engine.h"

namespace canvasfx::cli {

struct TestCase {
  int line = 0;               // 1-based line of the `>>`
  std::string input;          // continuation lines joined with "\r\n"
  std::string expected;       // trimmed
  std::string override_from;  // "file:line" when an #OVERRIDE file replaced `expected`
  bool disabled_net = false;  // a #DISABLE.NET directive that names us (see parse_test_file)
};

struct TestFile {
  std::string path;   // as given on the command line plus the part below it
  std::string setup;  // all #SETUP texts, joined with ","
  std::optional<std::string> override_target;  // #OVERRIDE: file name
  std::vector<std::string> disables;           // #DISABLE: file names
  std::vector<TestCase> cases;
  std::vector<std::string> parse_errors;  // "line N: ..." — each counts as a failure
  bool mutation = false;                  // in a folder named `mutation`: one session per file
};

// Parses the text of a test file. Tolerates BOMs (even two) and CRLF line ends.
// `#DISABLE.NET: versions` before a case skips it when the list names "70"
// (canvasfx follows current .NET behaviour; "462" is the old .NET Framework).
TestFile parse_test_file(std::string_view content, std::string path);

// One #SETUP token: `disable:`? name `(argument)`?
struct SetupToken {
  bool disable = false;
  std::string name;
  std::optional<std::string> argument;  // inside the parentheses, quotes removed
};

// Tokens of a #SETUP text, by the regex `(disable:)?(([\w]+|//)(\([^\)]*\))?)`;
// a `//` token ends the list.
std::vector<SetupToken> parse_setup(std::string_view setup);

// What a file's tokens ask of the engine.
struct FileConfig {
  // Judged with the reference's configuration, not the engine's canvas defaults.
  Features features = Features::conformance();
  std::vector<SetupToken> handlers;  // supported handlers, to apply to each engine
  std::string skip_reason;           // non-empty: the whole file is skipped
  bool skipped() const { return !skip_reason.empty(); }
};

// Features switched on by name (`StronglyTypedBuiltinEnums` ...). Sets the
// flag and returns true when `name` is a feature.
bool set_feature(Features& f, std::string_view name, bool on);
// Features fixed by the canvas configuration; `disable:` of one skips the file.
bool is_canvas_feature(std::string_view name);

// Applies tokens to the canvas defaults. Handlers are looked up in the table
// of setup_handlers.h; an unknown one skips the file.
FileConfig configure(const std::vector<SetupToken>& tokens);

// --- Judging ---------------------------------------------------------------

// What running one case produced.
struct Outcome {
  bool check_ok = false;
  std::vector<std::string> diagnostics;  // format_diagnostic of each
  std::string printed;                   // print_value of the result (when check_ok)
  bool is_number = false;                // the result was a Number
  double number = 0;
  bool no_value = false;  // Void result (a definition without a value)
  std::string exception;  // non-empty: evaluation threw
};

enum class Verdict { Pass, Fail, Skip };

bool is_skip_expectation(std::string_view expected);
// Expected errors: every "Errors: " removed, split on `|` outside double quotes.
std::vector<std::string> split_expected_errors(std::string_view expected);
// |a-b| < 1e-5 or |a-b|/|b| < 1e-14, b being the expected value.
bool numbers_close(double actual, double expected);
// Parses the whole text as a number ("1E+17", "-0.5"); nullopt otherwise.
std::optional<double> parse_number(std::string_view text);

// The verdict for one case, and when it fails the text to show as "actual".
struct Judgement {
  Verdict verdict = Verdict::Fail;
  std::string actual;
};
Judgement judge(std::string_view expected, const Outcome& outcome);

// Runs one formula on an engine and records what it produced; never throws.
Outcome run_formula(Engine& engine, std::string_view input, const CheckOptions& options);

}  // namespace canvasfx::cli
