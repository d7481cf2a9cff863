// Runs a shell command for the tests that drive the canvasfx binary end to end.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace canvasfx::cli::testing {

struct Run {
  int status;       // the exit status, -1 when the command did not exit normally
  std::string out;  // what it wrote to stdout
};

inline Run run(const std::string& command) {
  Run r{-1, {}};
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace canvasfx::cli::testing
