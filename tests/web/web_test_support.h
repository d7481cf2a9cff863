// What the web player's tests share: a demo store in a temporary folder, the
// canvasfx binary run as another process (a command, or `canvasfx play`
// serving), and finding a control in a screen's JSON.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace canvasfx::web::testing {

// A folder of its own under the system's temporary folder, removed at the end.
struct TempDir {
  TempDir() {
    std::random_device entropy;
    path = std::filesystem::temp_directory_path() /
           ("canvasfx-web-" + std::to_string(::getpid()) + "-" + std::to_string(entropy()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path path;
};

// A store file that the play server creates (and seeds with the demo).
struct TempStore {
  TempDir dir;
  std::filesystem::path path = dir.path / "store.db";
};

// Starts build/canvasfx with `args`, its stdout into a pipe whose reading end
// is returned in `out_fd`; in a process group of its own when `own_group`.
// The child's pid, or -1.
inline pid_t spawn_canvasfx(const std::vector<std::string>& args, bool own_group, int& out_fd) {
  std::vector<std::string> all{CANVASFX_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  out_fd = -1;
  if (::pipe(pipe_fds) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (own_group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  out_fd = pipe_fds[0];
  return pid;
}

// Runs build/canvasfx with `args`; its exit status, and its stdout in `out`.
inline int run_canvasfx(const std::vector<std::string>& args, std::string* out = nullptr) {
  int out_fd = -1;
  pid_t pid = spawn_canvasfx(args, /*own_group=*/false, out_fd);
  std::string text;
  char buffer[4096];
  if (out_fd >= 0) {
    for (ssize_t n; (n = ::read(out_fd, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
    ::close(out_fd);
  }
  if (pid < 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// `canvasfx ARGS` (e.g. play PATH --store FILE) running as another process,
// in a process group of its own, with the URL it printed. The destructor
// interrupts it (SIGINT, as Ctrl-C) and, should it not end, kills the group.
class PlayProcess {
 public:
  explicit PlayProcess(const std::vector<std::string>& args,
                       std::chrono::seconds timeout = std::chrono::seconds(60)) {
    pid_ = spawn_canvasfx(args, /*own_group=*/true, out_);
    // The URL line: "  http://127.0.0.1:PORT/?token=TOKEN".
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string text;
    while (pid_ > 0 && url_.empty() && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[1024];
      ssize_t n = ::read(out_, buffer, sizeof buffer);
      if (n <= 0) break;  // it ended without a URL
      text.append(buffer, n);
      size_t at = text.find("http://127.0.0.1:");
      size_t eol = at == std::string::npos ? at : text.find('\n', at);
      if (eol != std::string::npos) url_ = text.substr(at, eol - at);
    }
    printed_ = text;
    if (!url_.empty()) {
      port_ = std::stoi(url_.substr(17));
      token_ = url_.substr(url_.find("token=") + 6);
    }
  }
  ~PlayProcess() {
    if (pid_ > 0 && !exited_) {
      interrupt();
      if (!wait_exit(std::chrono::seconds(30))) {
        ::kill(-pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
      }
    }
    if (out_ >= 0) ::close(out_);
  }
  PlayProcess(const PlayProcess&) = delete;
  PlayProcess& operator=(const PlayProcess&) = delete;

  const std::string& url() const { return url_; }  // "" when none was printed
  int port() const { return port_; }
  const std::string& token() const { return token_; }
  const std::string& printed() const { return printed_; }

  void interrupt() { ::kill(pid_, SIGINT); }
  // Waits for the process to end; its exit status, or nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool exited_ = false;
  std::string url_, token_, printed_;
  int port_ = 0;
};

inline std::string canvasfx_output(const std::vector<std::string>& args) {
  std::string out;
  run_canvasfx(args, &out);
  return out;
}

// The control named `name` anywhere in a screen's JSON (its first gallery row).
inline const nlohmann::json* find_control(const nlohmann::json& control, const std::string& name) {
  if (control.contains("name") && control["name"] == name) return &control;
  for (const char* list : {"controls", "children"})
    if (control.contains(list))
      for (const auto& child : control[list])
        if (const auto* found = find_control(child, name)) return found;
  if (control.contains("rows"))
    for (const auto& row : control["rows"])
      for (const auto& cell : row)
        if (const auto* found = find_control(cell, name)) return found;
  return nullptr;
}

}  // namespace canvasfx::web::testing
