// The runner's bookkeeping: finding files, #OVERRIDE/#DISABLE, counting, JSON.
#include "runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

namespace canvasfx::cli {
namespace {
namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("canvasfx_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path_ / rel).parent_path());
    std::ofstream(path_ / rel, std::ios::binary) << text;
  }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

LoadedFile loaded(std::string path, std::string text) {
  LoadedFile lf;
  lf.file = parse_test_file(text, path);
  lf.config = configure(parse_setup(lf.file.setup));
  lf.relative = path;
  return lf;
}

TEST(Runner, LoadFilesWalksSortedAndFindsMutationFolders) {
  TempDir dir;
  dir.write("expressions/b.txt", ">> 1\n1\n");
  dir.write("expressions/a.txt", ">> 1\n1\n");
  dir.write("mutation/m.txt", ">> Set(x, 1)\n1\n");
  dir.write("README.md", "not a test");
  TestOptions o;
  o.paths = {dir.path().string()};
  std::string missing;
  auto files = load_files(o, &missing);
  EXPECT_TRUE(missing.empty());
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].relative, "expressions/a.txt");
  EXPECT_EQ(files[1].relative, "expressions/b.txt");
  EXPECT_EQ(files[2].relative, "mutation/m.txt");
  EXPECT_EQ(files[0].file.path, (dir.path() / "expressions/a.txt").generic_string());
  EXPECT_FALSE(files[0].file.mutation);
  EXPECT_TRUE(files[2].file.mutation);

  // With --suite-root, ratchet keys stay relative to the root.
  o.paths = {(dir.path() / "expressions").string()};
  o.suite_root = dir.path().string();
  files = load_files(o, &missing);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].relative, "expressions/a.txt");

  o.paths = {(dir.path() / "nope").string()};
  files = load_files(o, &missing);
  EXPECT_TRUE(files.empty());
  EXPECT_EQ(missing, o.paths[0]);
}

TEST(Runner, OverrideReplacesExpectationsOfTheNamedFile) {
  std::vector<LoadedFile> files;
  files.push_back(loaded("e/Base.txt", ">> 1\n1\n\n>> 2\n2\n"));
  files.push_back(loaded("i/Base_Overrides.txt", "#OVERRIDE: base.txt\n>> 2\n#skip\n\n>> 3\n3\n"));
  files.push_back(
      loaded("i/Skipped_Overrides.txt",
             "#OVERRIDE: Base.txt\n#SETUP: disable:PowerFxV1CompatibilityRules\n>> 1\n7\n"));
  apply_overrides(files);
  EXPECT_EQ(files[0].file.cases[0].expected, "1");  // the skipped file changes nothing
  EXPECT_EQ(files[0].file.cases[1].expected, "#skip");
  EXPECT_EQ(files[0].file.cases[1].override_from, "i/Base_Overrides.txt:2");
  ASSERT_EQ(files[1].file.cases.size(), 1u);  // not in Base: stays its own case
  EXPECT_EQ(files[1].file.cases[0].input, "3");
}

TEST(Runner, DisableSkipsTheNamedFile) {
  std::vector<LoadedFile> files;
  files.push_back(loaded("Old.txt", ">> 1\n1\n"));
  files.push_back(loaded("New.txt", "#DISABLE: Old.txt\n>> 1\n1\n"));
  apply_overrides(files);
  EXPECT_TRUE(files[0].config.skipped());
  EXPECT_NE(files[0].config.skip_reason.find("New.txt"), std::string::npos);
  EXPECT_FALSE(files[1].config.skipped());
}

TEST(Runner, SummarizeCountsCases) {
  auto lf = loaded("f.txt", ">> 1\n1\n>> 2\n#skip\n>> 3\n3\n>> 4\n4\n");
  std::vector<std::optional<CaseResult>> results(4);
  results[0] = CaseResult{Verdict::Pass, ""};
  results[1] = CaseResult{Verdict::Skip, ""};
  results[2] = CaseResult{Verdict::Fail, "5"};
  auto r = summarize(lf, results);  // case 4 has no result: counted failed ("not run")
  EXPECT_EQ(r.passed, 1);
  EXPECT_EQ(r.skipped, 1);
  EXPECT_EQ(r.failed, 2);
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_EQ(r.failures[0].line, 5);
  EXPECT_EQ(r.failures[0].input, "3");
  EXPECT_EQ(r.failures[0].expected, "3");
  EXPECT_EQ(r.failures[0].actual, "5");
  EXPECT_EQ(r.failures[1].actual, "not run");
  EXPECT_EQ(file_line(r), "FAIL f.txt  1 passed, 2 failed, 1 skipped");

  auto skipped = loaded("s.txt", "#SETUP: Blob\n>> 1\n1\n>> 2\n2\n");
  auto s = summarize(skipped, {});
  EXPECT_EQ(s.skipped, 2);
  EXPECT_EQ(s.failed, 0);
  EXPECT_EQ(file_line(s),
            "SKIP s.txt  0 passed, 0 failed, 2 skipped (unsupported setup handler Blob)");

  auto broken = loaded("b.txt", ">> 1\n");
  auto b = summarize(broken, {});
  EXPECT_EQ(b.failed, 1);
  EXPECT_EQ(b.failures[0].line, 1);
}

TEST(Runner, JsonShape) {
  RunSummary s;
  FileResult f;
  f.path = "suite/a.txt";
  f.passed = 2;
  f.failed = 1;
  f.skipped = 3;
  f.failures.push_back({7, "1/0", "1", "Error({Kind:ErrorKind.Div0})"});
  s.files.push_back(f);
  FileResult g;
  g.path = "suite/b.txt";
  g.skip_reason = "unsupported setup handler X";
  s.files.push_back(g);
  s.passed = 2;
  s.failed = 1;
  s.skipped = 3;
  auto j = nlohmann::json::parse(summary_json(s));
  EXPECT_EQ(j["passed"], 2);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["skipped"], 3);
  ASSERT_EQ(j["files"].size(), 2u);
  const auto& a = j["files"][0];
  EXPECT_EQ(a["path"], "suite/a.txt");
  EXPECT_EQ(a["passed"], 2);
  EXPECT_EQ(a["failed"], 1);
  EXPECT_EQ(a["skipped"], 3);
  EXPECT_EQ(a["skip_reason"], "");
  ASSERT_EQ(a["failures"].size(), 1u);
  EXPECT_EQ(a["failures"][0]["line"], 7);
  EXPECT_EQ(a["failures"][0]["input"], "1/0");
  EXPECT_EQ(a["failures"][0]["expected"], "1");
  EXPECT_EQ(a["failures"][0]["actual"], "Error({Kind:ErrorKind.Div0})");
  EXPECT_EQ(j["files"][1]["skip_reason"], "unsupported setup handler X");
  EXPECT_EQ(totals_line(s), "2 passed, 1 failed, 3 skipped");
  // Invalid UTF-8 in a value must not break the JSON.
  s.files[0].failures[0].actual = "\xFF";
  EXPECT_NO_THROW(nlohmann::json::parse(summary_json(s)));
}

// A stand-in for the engine that crashes, hangs or exits on cue. Like a
// mutation session it replays cases before `first` without reporting them.
void misbehaving(const LoadedFile& lf, size_t first, const std::set<size_t>& poisoned,
                 const std::function<void(size_t)>& started,
                 const std::function<void(size_t, const CaseResult&)>& finished) {
  for (size_t i = 0; i < lf.file.cases.size(); ++i) {
    if (poisoned.count(i)) continue;
    started(i);
    const auto& in = lf.file.cases[i].input;
    if (in == "segv") ::raise(SIGSEGV);
    if (in == "abort") std::abort();
    if (in == "exit") std::_Exit(5);
    if (in == "hang") std::this_thread::sleep_for(std::chrono::seconds(60));
    if (i >= first) finished(i, {in == "fail" ? Verdict::Fail : Verdict::Pass, in});
  }
}

// AddressSanitizer catches a SIGSEGV, reports it and aborts (make check-asan
// runs with abort_on_error=1): the case still crashes, by SIGABRT. Its report
// (a symbolized stack) can take over a second on a busy machine, so the case
// timeout is longer there, or the crash would be taken for a timeout.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif
constexpr const char* kSegvReportedAs = kAddressSanitizer ? "crashed: SIGABRT" : "crashed: SIGSEGV";
constexpr double kCrashCaseTimeout = kAddressSanitizer ? 10 : 0.5;
constexpr const char* kTimeoutReportedAs =
    kAddressSanitizer ? "timed out after 10 s" : "timed out after 0.5 s";

TEST(Runner, CrashesAndTimeoutsFailOnlyTheirCase) {
  auto lf = loaded(
      "f.txt", ">> ok\n1\n>> segv\n1\n>> ok\n1\n>> hang\n1\n>> abort\n1\n>> fail\n1\n>> ok\n1\n");
  TestOptions o;
  o.case_timeout_s = kCrashCaseTimeout;
  auto r = run_file(lf, o, misbehaving);
  EXPECT_EQ(r.passed, 3);
  EXPECT_EQ(r.failed, 4);
  ASSERT_EQ(r.failures.size(), 4u);
  EXPECT_EQ(r.failures[0].actual, kSegvReportedAs);
  EXPECT_EQ(r.failures[1].actual, kTimeoutReportedAs);
  EXPECT_EQ(r.failures[2].actual, "crashed: SIGABRT");
  EXPECT_EQ(r.failures[3].actual, "fail");
}

TEST(Runner, AnExitInsideACaseIsReported) {
  auto lf = loaded("f.txt", ">> ok\n1\n>> exit\n1\n>> ok\n1\n");
  auto r = run_file(lf, TestOptions{}, misbehaving);
  EXPECT_EQ(r.passed, 2);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].actual, "crashed: exit status 5");
}

TEST(Runner, InProcessWithoutIsolation) {
  auto lf = loaded("f.txt", ">> ok\n1\n>> fail\n1\n");
  TestOptions o;
  o.isolate = false;
  auto r = run_file(lf, o, misbehaving);
  EXPECT_EQ(r.passed, 1);
  EXPECT_EQ(r.failed, 1);
}

}  // namespace
}  // namespace canvasfx::cli
