// `canvasfx test`: finds the suite's files, runs every case, reports per file,
// writes JSON, and holds results to the ratchet.
//
// Isolation: by default each file runs in a forked child process that
// reports each case to the parent over a pipe as it finishes. A case that
// crashes the child or runs past the per-case time limit is recorded as a
// failure ("crashed: SIGSEGV", "timed out after 10 s") and a new child resumes
// with the next case (a mutation session first replays the cases before it),
// so one pathological case never takes down the run.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli_options.h"
#include "conformance.h"

namespace canvasfx::cli {

struct TestOptions {
  std::vector<std::string> paths;
  std::optional<std::string> json_path;
  std::optional<std::string> ratchet_path;
  std::optional<std::string> update_ratchet_path;
  std::optional<std::string> suite_root;
  bool verbose = false;
  bool isolate = true;            // fork a child per file (--no-fork turns it off)
  double case_timeout_s = 10;     // per case, only with isolation
  size_t memory_limit_mb = 4096;  // address-space limit of each child; 0 = none
};

struct CaseFailure {
  int line = 0;
  std::string input;
  std::string expected;
  std::string actual;
};

struct FileResult {
  std::string path;      // as given on the command line plus the part below it
  std::string relative;  // the ratchet key: path under --suite-root
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::string skip_reason;
  std::vector<CaseFailure> failures;
};

struct RunSummary {
  std::vector<FileResult> files;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

// A file found on the command line, read and configured.
struct LoadedFile {
  TestFile file;
  FileConfig config;
  std::string relative;
};

// Walks the paths (directories for *.txt, sorted). A missing path sets `missing`.
std::vector<LoadedFile> load_files(const TestOptions& options, std::string* missing);
// Applies #OVERRIDE and #DISABLE across the loaded files.
void apply_overrides(std::vector<LoadedFile>& files);

// The case verdicts of one file, index-aligned with file.cases.
struct CaseResult {
  Verdict verdict = Verdict::Fail;
  std::string actual;
};
// Runs cases in this process. Cases before `first` are skipped, or in a
// mutation session replayed without reporting; `poisoned` cases are not run.
void execute_cases(const LoadedFile& file, size_t first, const std::set<size_t>& poisoned,
                   const std::function<void(size_t)>& started,
                   const std::function<void(size_t, const CaseResult&)>& finished);

using CaseExecutor =
    std::function<void(const LoadedFile&, size_t first, const std::set<size_t>& poisoned,
                       const std::function<void(size_t)>& started,
                       const std::function<void(size_t, const CaseResult&)>& finished)>;

// Runs a file's cases (isolated in child processes unless options.isolate is
// off). `executor` defaults to execute_cases; tests pass one that misbehaves.
FileResult run_file(const LoadedFile& file, const TestOptions& options,
                    const CaseExecutor& executor = {});
// Counts, failures and parse errors of a file from its case results.
FileResult summarize(const LoadedFile& file, const std::vector<std::optional<CaseResult>>& results);

std::string summary_json(const RunSummary& summary);
std::string file_line(const FileResult& r);    // "PASS path  3 passed, 0 failed, 1 skipped"
std::string totals_line(const RunSummary& s);  // "N passed, N failed, N skipped"

// The whole command; returns the exit code (77 when a path does not exist).
int run_test_command(const TestOptions& options, const CliOptions& cli);

}  // namespace canvasfx::cli
