// Processes for the sync tests and benchmark: a free loopback port, and a
// child process running a program with its output appended to a log file.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace canvasfx::sync::testing {

// A port on 127.0.0.1 that nothing listened on a moment ago.
int free_port();
// fork + exec argv[0] with `argv`; stdout and stderr appended to `log`.
pid_t spawn_process(const std::vector<std::string>& argv, const std::string& log);

}  // namespace canvasfx::sync::testing
