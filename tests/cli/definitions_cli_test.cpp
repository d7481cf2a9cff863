// Issue 8's commands: definitions in the REPL (in process, on stdin and in a
// pseudo-terminal), `eval --formulas`, and the canvas defaults of `eval`.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "canvasfx/stdlib.h"
#include "commands.h"
#include "run_command.h"

namespace canvasfx::cli {
namespace {

TEST(ReplDefinitions, NamedFormulasFunctionsAndCycles) {
  Engine engine;
  stdlib::install(engine);
  ReplSession s(engine, false);
  EXPECT_EQ(s.submit("x = 1 + 2").text, "x = 3");
  EXPECT_EQ(s.submit("x * 2").text, "6");
  EXPECT_EQ(s.submit("x = 10").text, "x = 10");  // redefining replaces
  EXPECT_EQ(s.submit("x * 2").text, "20");
  EXPECT_EQ(s.submit("Add(a: Number, b: Number): Number = a + b;").text,
            "Add(a: Number, b: Number): Number");
  EXPECT_EQ(s.submit("Add(2, 3)").text, "5");
  auto cycle = s.submit("a = b + 1; b = a;");
  EXPECT_TRUE(cycle.error);
  EXPECT_EQ(cycle.text,
            "Error 0-1: Circular reference: a \u2192 b \u2192 a.\n  a = b + 1; b = a;\n  ^");
  EXPECT_EQ(s.submit("Book := Type({Title: Text})").text, "Book := Type(![Title:s])");
  // Comparisons that do not start `name =` stay expressions.
  EXPECT_EQ(s.submit("x <> 3").text, "true");
  EXPECT_EQ(s.submit("1 = 1").text, "true");
  // `name =` on a variable is a definition, and that name is taken.
  EXPECT_EQ(s.submit("Set(v, 1)").text, "v: 1");
  EXPECT_NE(s.submit("v = 1").text.find("'v' is already the name of a variable"),
            std::string::npos);
}

#ifdef CANVASFX_BINARY
const std::string kBin = std::string(CANVASFX_BINARY) + " --store :memory:";

using testing::run;

TEST(BinaryCanvas, CommentsAndWhitespaceAreBlank) {
  for (const char* formula : {"'//only a comment'", "'/* old */'", "'   '"}) {
    auto r = run(kBin + " eval " + formula + " 2>&1");
    EXPECT_EQ(r.status, 0) << formula;
    EXPECT_EQ(r.out, "Blank()\n") << formula;
  }
  auto r = run("printf '\\n\\t// a\\n' | " + kBin + " eval - 2>&1");
  EXPECT_EQ(r.out, "Blank()\n");
  r = run(kBin + " eval '/* never closed' 2>&1");
  EXPECT_EQ(r.status, 1);
}

TEST(BinaryCanvas, KeywordsAreFieldNamesAfterADot) {
  auto r = run(kBin + " eval --data-flow 'a.none' 2>&1");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "Error 0-1: Name isn't valid. 'a' isn't recognized.\n  a.none\n  ^\n");
  r = run(kBin + " eval '{none: 1, in: 2}.none' 2>&1");
  EXPECT_NE(r.out.find("Error"), std::string::npos);  // `{none: 1}` still needs quotes
  r = run(kBin +
          " eval \"{'none': 1, 'in': 2, 'true': 3}.none + {'in': 2}.in + {'true': 3}.true\"");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "6\n");
}

TEST(BinaryCanvas, ColumnNamesAsIdentifiersOnTheDataSource) {
  auto r = run(kBin + " eval 'First(ShowColumns(Accounts, Name, City))'");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("{City:\"", 0), 0u) << r.out;
  EXPECT_EQ(r.out.find("Revenue"), std::string::npos);
  r = run(kBin + " eval 'CountRows(ShowColumns(Accounts, Name, City))'");
  EXPECT_EQ(r.out, "3000\n");
  r = run(kBin +
          " eval 'First(SortByColumns(Accounts, Name, SortOrder.Descending)).Name = "
          "Last(SortByColumns(Accounts, Name, SortOrder.Ascending)).Name'");
  EXPECT_EQ(r.out, "true\n");
  r = run(kBin +
          " eval 'First(SortByColumns(Accounts, Revenue, SortOrder.Descending)).Revenue = "
          "Max(Accounts, Revenue)'");
  EXPECT_EQ(r.out, "true\n");
  // Delegated (a number column): one SQL statement with ORDER BY ... DESC.
  r = run(kBin +
          " --explain eval 'First(SortByColumns(Accounts, Revenue, SortOrder.Descending))' "
          "2>&1 >/dev/null");
  EXPECT_NE(r.out.find("DESC"), std::string::npos) << r.out;
}

TEST(BinaryCanvas, FormulasFile) {
  namespace fs = std::filesystem;
  fs::path file = fs::temp_directory_path() / ("canvasfx_formulas_" + std::to_string(::getpid()));
  std::ofstream(file) << "// App.Formulas\n"
                         "Threshold = 4000000;\n"
                         "Rich(t: Number): Number = CountRows(Filter(Accounts, Revenue > t));\n"
                         "RichCount = Rich(Threshold);\n";
  auto r = run(kBin + " eval --formulas " + file.string() + " 'RichCount = Rich(4000000)'");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "true\n");
  std::ofstream(file) << "a = b;\nb = a;\n";
  r = run(kBin + " eval --formulas " + file.string() + " '1' 2>&1");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("Circular reference: a \u2192 b \u2192 a."), std::string::npos) << r.out;
  fs::remove(file);
  r = run(kBin + " eval --formulas /nonexistent/file '1' 2>&1");
  EXPECT_EQ(r.status, 2);
}

TEST(BinaryCanvas, DefinitionsInAScriptOnStdin) {
  auto r =
      run("printf 'x = 1 + 2\\nx * 2\\nAdd(a: Number, b: Number): Number = a + b;\\n"
          "Add(2, 3)\\na = b + 1; b = a;\\n' | " +
          kBin + " 2>&1");
  EXPECT_EQ(r.status, 1);  // the cycle
  EXPECT_EQ(r.out,
            "x = 3\n6\nAdd(a: Number, b: Number): Number\n5\n"
            "Error 0-1: Circular reference: a \u2192 b \u2192 a.\n  a = b + 1; b = a;\n  ^\n");
}

// The REPL on a pseudo-terminal, as a person types into it.
class Terminal {
 public:
  explicit Terminal(const std::string& binary) {
    pid_ = ::forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      ::setenv("TERM", "dumb", 1);
      ::setenv("NO_COLOR", "1", 1);
      ::execl(binary.c_str(), binary.c_str(), "--store", ":memory:", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0) {
      ::close(fd_);
      int status;
      ::waitpid(pid_, &status, 0);
    }
  }
  bool started() const { return pid_ > 0; }
  void type(const std::string& line) {
    std::string text = line + "\r";
    EXPECT_EQ(::write(fd_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  // Reads until `text` appears (true) or 10 s pass (false).
  bool wait_for(const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (screen_.find(text, seen_) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char buf[1024];
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      screen_.append(buf, static_cast<size_t>(n));
    }
    seen_ = screen_.find(text, seen_) + text.size();
    return true;
  }
  const std::string& screen() const { return screen_; }

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
  std::string screen_;
  size_t seen_ = 0;
};

TEST(ReplTerminal, DefinitionsAsAPersonTypesThem) {
  Terminal t(CANVASFX_BINARY);
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.wait_for(">> ")) << t.screen();
  t.type("x = 1 + 2");
  ASSERT_TRUE(t.wait_for("x = 3")) << t.screen();
  t.type("x * 2");
  ASSERT_TRUE(t.wait_for("\n6")) << t.screen();
  t.type("Add(a: Number, b: Number): Number = a + b;");
  ASSERT_TRUE(t.wait_for("Add(a: Number, b: Number): Number\r\n")) << t.screen();
  t.type("Add(2, 3)");
  ASSERT_TRUE(t.wait_for("\n5")) << t.screen();
  t.type("a = b + 1; b = a;");
  ASSERT_TRUE(t.wait_for("Circular reference: a \u2192 b \u2192 a.")) << t.screen();
  t.type("Exit()");
}
#endif

}  // namespace
}  // namespace canvasfx::cli
