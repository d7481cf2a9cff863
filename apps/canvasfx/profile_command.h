// `canvasfx profile check FILE` and `canvasfx profile apply FILE`: the offline
// profile (host/PROFILE.md) checked against the rules, or applied to the store.
#pragma once

#include "store_command.h"

namespace canvasfx::cli {

HostCommand add_profile_command(CLI::App& app, const CliOptions& cli);

}  // namespace canvasfx::cli
