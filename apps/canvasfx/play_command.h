// `canvasfx play PATH [--port N] [--store FILE] [--open]`: the app live in a
// browser (web/: the server and the page).
#pragma once

#include "store_command.h"

namespace canvasfx::cli {

HostCommand add_play_command(CLI::App& app, const CliOptions& cli);

}  // namespace canvasfx::cli
