// Time zones through ICU. Zones may be named by IANA id ("America/Los_Angeles")
// or Windows id ("Pacific Standard Time"); the engine's zone is normalized to IANA.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace canvasfx {

// The machine's zone as an IANA id.
std::string default_time_zone();
// An IANA id for an IANA or Windows id; nullopt when unknown.
std::optional<std::string> normalize_time_zone(std::string_view id);
// Offset of `zone` from UTC, in minutes, at the given local wall-clock time.
int time_zone_offset_minutes(const std::string& zone, int64_t wall_ms);
// Offset at a UTC instant.
int time_zone_offset_minutes_utc(const std::string& zone, int64_t utc_ms);

}  // namespace canvasfx
