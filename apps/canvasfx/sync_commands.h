// The sync commands (sync_commands.cpp):
//
//   canvasfx server [--data FILE | --postgres URL] [--port N] [--threads N]
//   canvasfx server seed [--accounts N ...] [--tokens FILE]
//   canvasfx server user add NAME --business-unit BU [--team T]... [--write-scope S] [--admin]
//   canvasfx server user token NAME
//   canvasfx [--store FILE] sync --server URL --user NAME [--token T | --token-file F] [--force]
//   canvasfx profile publish FILE --server URL --user NAME [--token T | --token-file F]
#pragma once

#include "store_command.h"

namespace canvasfx::cli {

HostCommand add_server_command(CLI::App& app);
HostCommand add_sync_command(CLI::App& app, const CliOptions& cli);
// Adds `publish` to the `profile` command (add_profile_command must run first).
HostCommand add_profile_publish_command(CLI::App& app);

}  // namespace canvasfx::cli
