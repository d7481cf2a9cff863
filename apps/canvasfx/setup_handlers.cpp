#include "setup_handlers.h"

namespace canvasfx::cli {
namespace {

// TimeZoneInfo("Pacific Standard Time"): the runtime's local zone for the file.
void time_zone_info(Engine& engine, const std::optional<std::string>& argument, CheckOptions&) {
  if (argument && !argument->empty()) engine.set_time_zone(*argument);
}

// The reference harness's memory governor switch; canvasfx has no governor.
void no_op(Engine&, const std::optional<std::string>&, CheckOptions&) {}

constexpr SetupHandler kHandlers[] = {
    {"TimeZoneInfo", "the engine's local time zone (a Windows zone id)", time_zone_info},
    {"DisableMemChecks", "no-op: canvasfx has no memory governor to disable", no_op},
};

}  // namespace

std::span<const SetupHandler> setup_handlers() { return kHandlers; }

const SetupHandler* find_setup_handler(std::string_view name) {
  for (const auto& h : kHandlers)
    if (h.name == name) return &h;
  return nullptr;
}

}  // namespace canvasfx::cli
