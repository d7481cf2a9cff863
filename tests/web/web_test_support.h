// What the web player's tests share: a demo store in a temporary folder, the
// canvasfx binary run as another process, and finding a control in a screen's JSON.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
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

// Runs build/canvasfx with `args`; its exit status, and its stdout in `out`.
inline int run_canvasfx(const std::vector<std::string>& args, std::string* out = nullptr) {
  std::vector<std::string> all{CANVASFX_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  ::close(pipe_fds[0]);
  if (spawned != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

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
