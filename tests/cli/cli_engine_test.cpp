// eval, the REPL and the runner on the real engine, and the binary end to end.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "canvasfx/stdlib.h"
#include "commands.h"
#include "display.h"
#include "run_command.h"
#include "runner.h"

namespace canvasfx::cli {
namespace {

Engine& fresh(std::unique_ptr<Engine>& holder) {
  holder = std::make_unique<Engine>();
  stdlib::install(*holder);
  return *holder;
}

TEST(Eval, ValueOrDiagnostics) {
  std::unique_ptr<Engine> e;
  auto ok = eval_formula(fresh(e), "1 + 1", {}, false);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.out, "2\n");
  auto bad = eval_formula(fresh(e), "1 + foo", {}, false);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err,
            "Error 4-7: Name isn't valid. 'foo' isn't recognized.\n  1 + foo\n      ^^^\n");
}

TEST(Eval, HostileInputGivesDiagnostics) {
  std::unique_ptr<Engine> e;
  std::string deep(100000, '(');
  auto r = eval_formula(fresh(e), deep, {}, false);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Error"), std::string::npos);
  std::mt19937 rng(42);
  std::string noise(1 << 20, '\0');
  for (auto& c : noise) c = static_cast<char>(rng());
  auto n = eval_formula(fresh(e), noise, {}, false);
  EXPECT_NE(n.exit_code, 0);
}

TEST(Repl, SetDeclaresAndPrints) {
  std::unique_ptr<Engine> e;
  ReplSession s(fresh(e), false);
  EXPECT_EQ(s.submit("Set(x, 5)").text, "x: 5");
  EXPECT_EQ(s.submit("x * 2").text, "10");
  EXPECT_EQ(s.submit("   ").text, "");
  EXPECT_TRUE(s.submit("Exit()").exit);
  auto help = s.submit("Help()").text;
  EXPECT_NE(help.find("Exit()"), std::string::npos);
  EXPECT_NE(help.find(" If"), std::string::npos);
  auto err = s.submit("y + 1");
  EXPECT_TRUE(err.error);
  EXPECT_NE(err.text.find("^"), std::string::npos);
}

TEST(Repl, TablesAsGrids) {
  std::unique_ptr<Engine> e;
  ReplSession s(fresh(e), false);
  EXPECT_EQ(s.submit("Table({a:1,b:\"x\"},{a:22,b:\"yy\"})").text,
            "a   b\n──  ────\n1   \"x\"\n22  \"yy\"");
  std::string rows = "Table(";
  for (int i = 1; i <= 12; ++i) rows += (i > 1 ? ",{v:" : "{v:") + std::to_string(i) + "}";
  rows += ")";
  auto t = s.submit(rows).text;
  EXPECT_NE(t.find("\n10\n… 2 more rows"), std::string::npos) << t;
  EXPECT_EQ(t.find("\n11"), std::string::npos);
  EXPECT_EQ(s.submit("Table()").text, "Table()");
  EXPECT_EQ(s.submit("{b:1,a:\"x\"}").text, "{a:\"x\",b:1}");
}

TEST(Repl, ScriptModeMultiLineAndEof) {
  std::unique_ptr<Engine> e;
  ReplSession s(fresh(e), false);
  std::istringstream in("If(true,\n  1,\n  2)\nSet(y, 2)\n\n// a comment line\ny + 1\n(1 + \n");
  std::ostringstream out;
  int rc = run_script(in, out, s);
  EXPECT_EQ(rc, 1);  // the unclosed input at the end is still diagnosed
  std::string text = out.str();
  EXPECT_EQ(text.substr(0, 14), "1\ny: 2\n3\nError");
}

TEST(Repl, ScriptModeSurvivesHostileInput) {
  std::unique_ptr<Engine> e;
  ReplSession s(fresh(e), false);
  std::mt19937 rng(7);
  std::string noise(1 << 20, '\0');
  for (auto& c : noise) c = static_cast<char>(rng());
  std::istringstream in(noise + "\n" + std::string(100000, '[') + "\n");
  std::ostringstream out;
  run_script(in, out, s);
  EXPECT_FALSE(out.str().empty());
}

TEST(Runner, RunsStatelessAndMutationFilesOnTheEngine) {
  LoadedFile lf;
  lf.file = parse_test_file(
      ">> 1 + 1\n2\n\n>> If(false, 1)\nBlank()\n\n>> 1 +\nErrors: Error 3-3: nope\n\n>> 2\n#skip\n",
      "f.txt");
  lf.config = configure(parse_setup(lf.file.setup));
  TestOptions o;
  auto r = run_file(lf, o);
  EXPECT_EQ(r.passed, 2);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.skipped, 1);

  LoadedFile m;
  m.file = parse_test_file(">> Set(x, 1)\n1\n\n>> x + 1\n2\n\n>> Set(x, 5); x * 2\n10\n",
                           "mutation/m.txt");
  m.file.mutation = true;
  m.config = configure({});
  auto mr = run_file(m, o);
  EXPECT_EQ(mr.passed, 3) << (mr.failures.empty() ? "" : mr.failures[0].actual);
}

#ifdef CANVASFX_BINARY
using testing::run;

// The binary with a data folder of its own: the default store it creates must
// not be the user's (another canvasfx may have migrated that one).
std::string isolated_binary() {
  namespace fs = std::filesystem;
  // Never destroyed: the atexit handler runs after static destructors.
  static const fs::path* data = [] {
    auto* dir =
        new fs::path(fs::temp_directory_path() / ("canvasfx_data_" + std::to_string(::getpid())));
    fs::create_directories(*dir);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(*data, ec);
    });
    return dir;
  }();
  return "XDG_DATA_HOME=" + data->string() + " " + CANVASFX_BINARY;
}

const std::string kBin = isolated_binary();

TEST(Binary, Eval) {
  auto r = run(kBin + " eval '1+1'");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "2\n");
  r = run("printf '2*3' | " + kBin + " --store :memory: eval -");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "6\n");
  r = run(kBin + " eval 'foo' 2>&1");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("  foo\n  ^^^\n"), std::string::npos);
  r = run("head -c 3000000 /dev/urandom | " + kBin + " eval - > /dev/null 2>&1");
  EXPECT_TRUE(r.status == 0 || r.status == 1);
}

TEST(Binary, ScriptOnStdin) {
  auto r = run("printf 'Set(x, 2)\\nx + 1\\n' | " + kBin);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "x: 2\n3\n");
  r = run("head -c 3000000 /dev/urandom | " + kBin + " repl > /dev/null 2>&1");
  EXPECT_TRUE(r.status == 0 || r.status == 1);
}

TEST(Binary, TestCommand) {
  namespace fs = std::filesystem;
  auto r = run(kBin + " test /nonexistent/suite");
  EXPECT_EQ(r.status, 77);
  EXPECT_EQ(r.out, "suite not found: /nonexistent/suite — skipped\n");

  fs::path dir = fs::temp_directory_path() / ("canvasfx_bin_" + std::to_string(::getpid()));
  fs::create_directories(dir / "suite");
  std::ofstream(dir / "suite/a.txt") << ">> 1+1\n2\n\n>> 2+2\n5\n";
  std::ofstream(dir / "ratchet.tsv") << "a.txt\t1\n";
  std::string suite = (dir / "suite").string(), ratchet = (dir / "ratchet.tsv").string();
  r = run(kBin + " test " + suite);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("1 passed, 1 failed, 0 skipped\n"), std::string::npos);
  r = run(kBin + " test --ratchet " + ratchet + " --suite-root " + suite + " " + suite);
  EXPECT_EQ(r.status, 0) << r.out;
  std::ofstream(dir / "ratchet.tsv") << "a.txt\t2\n";
  r = run(kBin + " test --ratchet " + ratchet + " --suite-root " + suite + " " + suite);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("a.txt"), std::string::npos);
  r = run(kBin + " test --update-ratchet " + ratchet + " --suite-root " + suite + " " + suite +
          " 2>&1");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("went down"), std::string::npos);
  r = run(kBin + " test --json " + (dir / "r.json").string() + " " + suite);
  EXPECT_TRUE(fs::exists(dir / "r.json"));
  fs::remove_all(dir);
}
#endif

}  // namespace
}  // namespace canvasfx::cli
