// Runs a shell command for the tests that drive the canvasfx binary end to end.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace canvasfx::cli::testing {

struct Run {
  int status;       // the exit status, -1 when the command did not exit normally
  std::string out;  // what it wrote to stdout
};

// The commands run with a private XDG_DATA_HOME: the binary's default store is
// created there, never in the user's (or another build's) data folder.
inline const std::string& private_data_home() {
  struct Folder {
    std::string path;
    Folder() {
      std::string tmpl =
          (std::filesystem::temp_directory_path() / "canvasfx-cli-data-XXXXXX").string();
      path = ::mkdtemp(tmpl.data()) ? tmpl : "/nonexistent";
    }
    ~Folder() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static const Folder folder;
  return folder.path;
}

inline Run run(const std::string& command) {
  Run r{-1, {}};
  std::string with_env = "export XDG_DATA_HOME='" + private_data_home() + "'; " + command;
  FILE* p = ::popen(with_env.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace canvasfx::cli::testing
