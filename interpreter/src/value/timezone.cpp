#include "canvasfx/timezone.h"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/unistr.h>

#include <memory>

namespace canvasfx {

std::string default_time_zone() {
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::detectHostTimeZone());
  icu::UnicodeString id;
  tz->getID(id);
  std::string out;
  id.toUTF8String(out);
  if (out.empty() || out == "Etc/Unknown") return "UTC";
  return out;
}

std::optional<std::string> normalize_time_zone(std::string_view id) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString uid =
      icu::UnicodeString::fromUTF8(icu::StringPiece(id.data(), static_cast<int32_t>(id.size())));
  icu::UnicodeString iana;
  icu::TimeZone::getIDForWindowsID(uid, "001", iana, status);
  if (U_SUCCESS(status) && !iana.isEmpty()) {
    std::string out;
    iana.toUTF8String(out);
    return out;
  }
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(uid));
  icu::UnicodeString check;
  tz->getID(check);
  if (*tz == icu::TimeZone::getUnknown()) return std::nullopt;
  return std::string(id);
}

namespace {
const icu::TimeZone& zone_for(const std::string& zone) {
  thread_local std::string cached_id;
  thread_local std::unique_ptr<icu::TimeZone> cached;
  if (!cached || cached_id != zone) {
    cached.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone)));
    cached_id = zone;
  }
  return *cached;
}
}  // namespace

int time_zone_offset_minutes(const std::string& zone, int64_t wall_ms) {
  const icu::TimeZone& tz = zone_for(zone);
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  // Treat wall_ms as local time (the formerly-ambiguous instant resolves to standard time).
  tz.getOffset(static_cast<UDate>(wall_ms), /*local=*/true, raw, dst, status);
  if (U_FAILURE(status)) return 0;
  return (raw + dst) / 60000;
}

int time_zone_offset_minutes_utc(const std::string& zone, int64_t utc_ms) {
  const icu::TimeZone& tz = zone_for(zone);
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  tz.getOffset(static_cast<UDate>(utc_ms), /*local=*/false, raw, dst, status);
  if (U_FAILURE(status)) return 0;
  return (raw + dst) / 60000;
}

int64_t wall_to_utc_ms(const std::string& zone, int64_t wall_ms) {
  return wall_ms - int64_t{time_zone_offset_minutes(zone, wall_ms)} * 60000;
}

int64_t utc_to_wall_ms(const std::string& zone, int64_t utc_ms) {
  return utc_ms + int64_t{time_zone_offset_minutes_utc(zone, utc_ms)} * 60000;
}

int64_t normalize_wall_ms(const std::string& zone, int64_t wall_ms) {
  int64_t utc = wall_to_utc_ms(zone, wall_ms);
  int64_t back = utc_to_wall_ms(zone, utc);
  if (back == wall_ms) return wall_ms;
  // Inside a gap: the wall clock resumes at the transition that opened it.
  const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(&zone_for(zone));
  icu::TimeZoneTransition transition;
  if (!basic || !basic->getPreviousTransition(static_cast<UDate>(utc), true, transition))
    return back;
  int64_t at = static_cast<int64_t>(transition.getTime());
  return utc_to_wall_ms(zone, at);
}

}  // namespace canvasfx
