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

// Wall-clock <-> UTC. A wall time skipped by a DST gap resolves to the end of
// the gap; a repeated one (clocks set back) to its standard-time instance.
int64_t wall_to_utc_ms(const std::string& zone, int64_t wall_ms);
int64_t utc_to_wall_ms(const std::string& zone, int64_t utc_ms);
// A wall time that exists in `zone`: times inside a DST gap move to its end
// (2:30 on a spring-forward night becomes 3:00), as Power Fx's DateTime does.
int64_t normalize_wall_ms(const std::string& zone, int64_t wall_ms);

}  // namespace canvasfx
