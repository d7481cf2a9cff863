// The small API requests (/v1/me, /v1/profile) and the helpers every request uses.
#include <fmt/format.h>

#include "server_impl.h"

namespace canvasfx::sync {

const std::string& text_field(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string())
    throw ApiError(400, "bad-request", fmt::format("the request needs a text field '{}'", name));
  return it->get_ref<const std::string&>();
}

std::optional<std::string> optional_text_field(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    throw ApiError(400, "bad-request", fmt::format("the field '{}' must be text or null", name));
  return it->get<std::string>();
}

int64_t int_field(const json& body, const char* name, int64_t min, int64_t max,
                  std::optional<int64_t> fallback) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (fallback) return *fallback;
    throw ApiError(400, "bad-request",
                   fmt::format("the request needs an integer field '{}'", name));
  }
  if (!it->is_number_integer())
    throw ApiError(400, "bad-request", fmt::format("the field '{}' must be an integer", name));
  // Read as signed or unsigned without overflowing either way.
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(max))
    throw ApiError(400, "bad-request",
                   fmt::format("the field '{}' must be between {} and {}", name, min, max));
  int64_t v = it->get<int64_t>();
  if (v < min || v > max)
    throw ApiError(400, "bad-request",
                   fmt::format("the field '{}' must be between {} and {}", name, min, max));
  return v;
}

std::shared_ptr<const ResolvedProfile> published_profile(SqlConnection& c, ServiceState& state,
                                                         const std::string& name) {
  auto rows =
      name.empty()
          ? c.query("SELECT name, yaml, epoch FROM _cfx_profiles ORDER BY epoch DESC LIMIT 1")
          : c.query("SELECT name, yaml, epoch FROM _cfx_profiles WHERE name = ?", {name});
  if (rows.empty())
    throw ApiError(404, "no-profile",
                   name.empty() ? std::string("no offline profile has been published")
                                : fmt::format("no offline profile '{}' has been published", name));
  std::string found = as_text(rows[0][0]);
  int64_t epoch = as_int(rows[0][2]);
  std::lock_guard lock(state.mutex);
  auto& cached = state.profiles[found];
  if (!cached || cached->epoch != epoch) {
    // Published profiles were checked when published; resolving again only
    // fails if the catalog changed since, which the server reports as its fault.
    std::vector<host::Violation> violations;
    auto resolved = ResolvedProfile::resolve(host::parse_profile(as_text(rows[0][1]), found),
                                             state.catalog, violations);
    if (!violations.empty())
      throw ApiError(
          500, "profile-stale",
          fmt::format("the published profile '{}' no longer fits the server's tables: {}", found,
                      violations.front().message));
    resolved->epoch = epoch;
    cached = std::move(resolved);
  }
  return cached;
}

json SyncService::me(const User& user) {
  Lease c = storage_->lease();
  json out;
  in_transaction(*c, false, [&] {
    json teams = json::array();
    for (const auto& t : user.teams)
      teams.push_back(as_text(c->scalar("SELECT name FROM _cfx_teams WHERE id = ?", {t})));
    out = {{"user", user.name},
           {"business_unit", as_text(c->scalar("SELECT name FROM _cfx_business_units WHERE id = ?",
                                               {user.business_unit}))},
           {"teams", teams},
           {"write_scope", write_scope_name(user.write_scope)},
           {"admin", user.admin}};
  });
  return out;
}

json SyncService::get_profile(const User& user, const std::string& name) {
  Lease c = storage_->lease();
  json out;
  in_transaction(*c, false, [&] {
    auto p = published_profile(*c, *state_, name);
    out = {{"name", p->profile().name},
           {"yaml", p->profile().source},
           {"profile_epoch", p->epoch},
           {"epoch", std::max(p->epoch, user.scope_epoch)},
           {"protocol", kProtocolVersion}};
  });
  return out;
}

json SyncService::put_profile(const User& user, const json& body) {
  if (!user.admin)
    throw ApiError(403, "forbidden", "publishing an offline profile needs an administrator");
  const std::string& yaml = text_field(body, "yaml");
  std::vector<host::Violation> violations;
  try {
    violations = publish_profile(yaml, user.name);
  } catch (const host::ProfileParseError& e) {
    throw ApiError(422, "profile-malformed", e.what());
  }
  if (!violations.empty()) {
    json list = json::array();
    for (const auto& v : violations)
      list.push_back({{"table", v.table}, {"rule", v.rule}, {"message", v.message}});
    return {{"published", false}, {"violations", list}};
  }
  host::Profile p = host::parse_profile(yaml, "profile");
  return {{"published", true}, {"name", p.name}, {"tables", p.tables.size()}};
}

}  // namespace canvasfx::sync
