// The REPL as a person uses it: the real binary in a pseudo-terminal, driven
// keystroke by keystroke (UTF-8 input, Ctrl-C, Tab completion, history).
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

#ifdef CANVASFX_BINARY

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class PtyRepl : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = fs::temp_directory_path() / ("canvasfx_pty_" + std::to_string(::getpid()));
    fs::create_directories(state_);
    winsize size{};
    size.ws_row = 40;
    size.ws_col = 100;
    pid_ = ::forkpty(&fd_, nullptr, nullptr, &size);
    ASSERT_GE(pid_, 0) << "forkpty failed";
    if (pid_ == 0) {
      // A plain environment: no locale (the REPL must read UTF-8 anyway), our history folder.
      ::unsetenv("LANG");
      ::unsetenv("LC_ALL");
      ::unsetenv("LC_CTYPE");
      ::setenv("TERM", "xterm", 1);
      ::setenv("NO_COLOR", "1", 1);
      ::setenv("XDG_STATE_HOME", state_.c_str(), 1);
      // No time limit: only Ctrl-C can stop the long formula below.
      ::execl(CANVASFX_BINARY, "canvasfx", "--store", ":memory:", "--time-limit", "0",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ASSERT_TRUE(wait_for(">> ")) << screen_;
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
    std::error_code ec;
    fs::remove_all(state_, ec);
  }

  void type(const std::string& keys) {
    ASSERT_EQ(::write(fd_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }

  // Reads until `text` appears in what was shown since the last mark, or the time is up.
  bool wait_for(const std::string& text, std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto deadline = Clock::now() + limit;
    while (screen_.find(text, mark_) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      screen_.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  // Whether Ctrl-C is a signal now (the REPL is not editing a line).
  bool terminal_sends_signals() {
    termios t{};
    return ::tcgetattr(fd_, &t) == 0 && (t.c_lflag & ISIG);
  }

  // The editor has the terminal (Ctrl-C is a key): a Ctrl-C typed earlier,
  // while the prompt is being set up, would still be a signal.
  void wait_until_editing() {
    for (int i = 0; i < 1000 && terminal_sends_signals(); ++i) ::usleep(10 * 1000);
  }

  // What was shown since the last mark; the next waits look only after it.
  std::string take() {
    std::string shown = screen_.substr(mark_);
    mark_ = screen_.size();
    return shown;
  }

  // Submits a line and returns what it printed before the next prompt.
  std::string submit(const std::string& line) {
    take();
    type(line + "\r");
    EXPECT_TRUE(wait_for("\r\n>> ")) << screen_.substr(mark_);
    return take();
  }

  fs::path state_;
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string screen_;
  size_t mark_ = 0;
};

TEST_F(PtyRepl, ReadsUtf8Keystrokes) {
  std::string shown = submit("Len(\"h\xC3\xA9llo\")");
  EXPECT_NE(shown.find("Len(\"h\xC3\xA9llo\")"), std::string::npos) << shown;  // echoed whole
  EXPECT_NE(shown.find("\r\n5\r\n"), std::string::npos) << shown;
}

TEST_F(PtyRepl, CtrlCStopsARunningFormulaAndKeepsTheSession) {
  EXPECT_NE(submit("Set(x, 42)").find("x: 42"), std::string::npos);
  take();
  // 150 million additions: minutes without a time limit.
  type("Sum(ForAll(Sequence(50000), Sum(ForAll(Sequence(3000), Value), Value)), Value)\r");
  ASSERT_TRUE(wait_for("Value)\r\n"));  // submitted: the line is echoed
  // The editor gives the terminal back (signals on) before the formula runs.
  for (int i = 0; i < 1000 && !terminal_sends_signals(); ++i) ::usleep(10 * 1000);
  ASSERT_TRUE(terminal_sends_signals());
  ::usleep(200 * 1000);  // it is running now
  auto pressed = Clock::now();
  type("\x03");
  ASSERT_TRUE(wait_for("\r\n>> ")) << screen_.substr(mark_);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - pressed);
  std::printf("back at the prompt %lld ms after Ctrl-C\n", static_cast<long long>(ms.count()));
  EXPECT_NE(take().find("Cancelled"), std::string::npos);
  EXPECT_NE(submit("x + 1").find("\r\n43\r\n"), std::string::npos);
}

TEST_F(PtyRepl, CtrlCAtThePromptDropsTheLine) {
  take();
  wait_until_editing();
  type("1 + \x03");
  ASSERT_TRUE(wait_for("^C\r\n>> "));
  std::string shown = submit("2 * 3");
  EXPECT_NE(shown.find("\r\n6\r\n"), std::string::npos) << shown;
  // A multi-line input is dropped as a whole.
  take();
  type("If(true,\r");
  ASSERT_TRUE(wait_for(".. "));
  wait_until_editing();
  type("\x03");
  ASSERT_TRUE(wait_for(">> "));
  EXPECT_NE(submit("7").find("\r\n7\r\n"), std::string::npos);
}

TEST_F(PtyRepl, TabCompletesFunctionsAndMembers) {
  take();
  type("Fil\t");
  ASSERT_TRUE(wait_for("ter(")) << screen_.substr(mark_);
  std::string shown = submit("[1, 2, 3], Value > 1)");
  EXPECT_NE(shown.find("\r\n2\r\n3\r\n"), std::string::npos) << shown;
  take();
  type("ConnectionSync.NotConnectedS\t");
  ASSERT_TRUE(wait_for("yncError")) << screen_.substr(mark_);
  EXPECT_NE(submit("").find("ConnectionSync.NotConnectedSyncError"), std::string::npos);
}

TEST_F(PtyRepl, HistoryIsSavedAfterEveryEntry) {
  submit("Len(\"remember me\")");
  // Still running: the entry is in the file already.
  std::ifstream in(state_ / "canvasfx" / "history");
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_NE(content.str().find("remember"), std::string::npos) << content.str();
}

#endif

}  // namespace
