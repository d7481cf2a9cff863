// The sync protocol: what the device and the server say to each other over
// HTTP + JSON, and the few algorithms both sides must compute identically.
//
//   GET  /v1/health                       {"status":"ok"}            (no token)
//   GET  /v1/me                           the caller: user, business unit, teams
//   GET  /v1/profile[?name=N]             a published profile: name, yaml, epoch
//   PUT  /v1/profile   {"yaml": "..."}    publish a profile (administrators)
//   POST /v1/pull      see PullRequest    one page of a table's downsync
//   POST /v1/push      see PushRequest    a batch of upsync changes, in order
//
// Every request but /v1/health carries "Authorization: Bearer TOKEN".
//
// Row versions. The server has one counter; every change of any row takes the
// next value as the row's version. A device keeps, per table, the version its
// last complete pass reached (its watermark) and, per row, the version it
// holds. A pass asks for rows whose *effective version* is above the
// watermark: the newest version among the row and the rows that put it in the
// device's scope (the account that makes a contact "related", the lookup a
// custom filter reads). A pass is
//
//   rows      the scope's rows above the watermark, in key order, in pages;
//   removals  keys that may have left the scope since the watermark (deleted,
//             changed, their lookup target changed) and are not in it now;
//   check     a digest of the scope the device should hold, to catch what
//             the two phases above cannot see (a row that left the scope two
//             lookups away); a mismatch makes the next pass a full one.
//
// A full pass (the first one, after the profile or the user's memberships
// changed — the "epoch" — or after a failed check) sends every row of the
// scope, and the device removes afterwards every local row the pass did not
// bring.
//
// Cells on the wire: text, guid, lookup as JSON strings; number as a JSON
// number; boolean as true/false; datetime as integer milliseconds since 1970
// UTC; file and image as {"base64": "..."}; blank as null.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "canvasfx/host/store.h"

namespace canvasfx::sync {

using json = nlohmann::json;

inline constexpr int kProtocolVersion = 1;
inline constexpr int kDefaultPageSize = 2000;
inline constexpr int kMaxPageSize = 5000;
inline constexpr int kMaxChangesPerPush = 500;
// The largest request body the server reads (images and files ride along).
inline constexpr size_t kMaxRequestBytes = 16 * 1024 * 1024;
// More keys than this in a check's exclusion list: the check is skipped
// (the device is far behind; its next pass catches up first).
inline constexpr size_t kMaxCheckExclusions = 5000;

// Why the server rejected a change (the sync error's type and code).
struct RejectReason {
  const char* type;  // "access denied", "record not found", ...
  const char* code;  // the error code shown on the device status page
};
inline constexpr RejectReason kAccessDenied{"access denied", "0x80040220"};
inline constexpr RejectReason kRecordNotFound{"record not found", "0x80040217"};
inline constexpr RejectReason kDuplicateRecord{"duplicate record", "0x80040237"};
inline constexpr RejectReason kRequiredEmpty{"required column empty", "0x80044331"};
inline constexpr RejectReason kBrokenLookup{"broken lookup", "0x80048d0b"};
inline constexpr RejectReason kInvalidValue{"invalid value", "0x80040203"};
inline constexpr RejectReason kNotInProfile{"table not in profile", "0x80040216"};

// The digest of a set of (key, version) pairs: order-independent, so both
// sides can compute it from rows in any order.
struct ScopeDigest {
  int64_t count = 0;
  uint64_t hash = 0;
  void add(std::string_view key, int64_t version);
  std::string hex() const;  // 16 hex digits
  friend bool operator==(const ScopeDigest&, const ScopeDigest&) = default;
};

// A device cell <-> its JSON form, for a column type. `from_json` returns
// nullopt when the JSON does not fit the type.
json cell_to_json(host::ColumnType type, const host::Cell& cell);
std::optional<host::Cell> cell_from_json(host::ColumnType type, const json& j);

// Base64 (RFC 4648, with padding); decode returns nullopt for malformed input.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// SHA-256 of text, lower-case hex (tokens are stored only as their hash).
std::string sha256_hex(std::string_view text);
// A new random token: 32 bytes from the system's CSPRNG, as 64 hex digits.
std::string random_token();
// A new version 4 GUID from the system's CSPRNG. Device ids use it: the ids of
// a device's changes must differ from every other device's, even for
// processes forked from one parent (a user-space PRNG seeded before the fork
// would give every child the same sequence).
std::string random_guid();

}  // namespace canvasfx::sync
