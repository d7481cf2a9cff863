// Runs the `canvasfx` binary built beside the test executable, as a shell
// would, for the host's command-line tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "test_util.h"

namespace canvasfx::host::testing {

inline std::filesystem::path binary() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path() / "canvasfx";
}

struct CliResult {
  int status;
  std::string out;  // stdout and stderr
};

inline CliResult run(const std::string& args) {
  std::string cmd = binary().string() + " " + args + " 2>&1";
  CliResult r{-1, {}};
  std::FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  while (size_t n = std::fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A shell word: single-quoted.
inline std::string shell_word(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A valid offline profile with one table, Notes (Id, Body).
inline constexpr const char* kTinyProfile = R"(name: Tiny
tables:
  - name: Notes
    can_be_taken_offline: true
    key: Id
    columns:
      - { name: Id, type: text }
      - { name: Body, type: text }
    rows:
      all: true
)";

// A test with its own store file: `run(store() + " eval 1")`.
class HostCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(binary())) GTEST_SKIP() << "canvasfx is not built";
  }
  std::string store() { return "--store " + (dir_ / "store.db").string(); }
  TempDir dir_;
};

}  // namespace canvasfx::host::testing
