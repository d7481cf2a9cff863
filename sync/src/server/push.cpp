// Upsync (POST /v1/push): a device's queued changes, in order, applied in one
// write transaction.
//
//   request   {"profile": name|null, "device": id, "changes": [{"id", "table",
//              "record", "action": "create"|"update"|"delete",
//              "base_version": n|null, "values": {...}}]}
//   response  {"results": [{"id", "status": "accepted", "version", "merged"} |
//              {"id", "status": "rejected", "type", "code", "message",
//               "row": {"version", "values"} | null}]}
//
// An update sets exactly the columns it carries, so two devices that changed
// different columns of a row both keep their change, and of two changes of
// the same column the later one to arrive wins ("last writer wins per
// column"). The base version only tells whether the row changed meanwhile
// ("merged"). Each change id is stored with its result in the same
// transaction: a change sent again (the device was killed before it saw the
// answer) gets the stored answer and is not applied again. A rejected change
// comes back with the server's row when the user may read it, so that the
// device can put it back.
#include <fmt/format.h>

#include <map>

#include "server_impl.h"

namespace canvasfx::sync {

namespace {

using host::ColumnType;

constexpr size_t kMaxChangeIdBytes = 200;
constexpr size_t kMaxTextBytes = 1 << 20;

bool is_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

struct Rejection {
  RejectReason reason;
  std::string message;
};

class PushBatch {
 public:
  PushBatch(SqlConnection& c, const ResolvedProfile& p, const User& user)
      : c_(c), p_(p), user_(user) {}

  json apply(const json& change) {
    if (!change.is_object()) throw ApiError(400, "bad-request", "each change must be an object");
    const std::string& id = text_field(change, "id");
    if (id.empty() || id.size() > kMaxChangeIdBytes)
      throw ApiError(400, "bad-request", "a change id is 1 to 200 bytes");
    auto stored =
        c_.query("SELECT user_id, result FROM _cfx_applied_changes WHERE change_id = ?", {id});
    if (!stored.empty()) {
      if (as_text(stored[0][0]) != user_.id)
        throw ApiError(409, "change-id-taken",
                       fmt::format("change id '{}' was already used by another user", id));
      json result = json::parse(as_text(stored[0][1]));
      result["replayed"] = true;
      if (result["status"] == "rejected") attach_row(result, change);
      return result;
    }
    json result = apply_new(change);
    result["id"] = id;
    c_.execute(
        "INSERT INTO _cfx_applied_changes (change_id, user_id, table_name, record_id, result, "
        "applied_at) VALUES (?, ?, ?, ?, ?, ?)",
        {id, user_.id, change.value("table", ""), change.value("record", ""), result.dump(),
         now_ms()});
    if (result["status"] == "rejected") attach_row(result, change);
    return result;
  }

 private:
  json apply_new(const json& change) {
    const std::string& table = text_field(change, "table");
    const std::string& record = text_field(change, "record");
    const std::string& action = text_field(change, "action");
    std::optional<int64_t> base;
    if (change.contains("base_version") && !change["base_version"].is_null())
      base = int_field(change, "base_version", 0, INT64_MAX);
    int ti = p_.index_of(table);
    if (ti < 0)
      return rejected(
          {kNotInProfile, fmt::format("Table '{}' is not in the offline profile.", table)});
    const ResolvedTable& t = p_.tables()[static_cast<size_t>(ti)];
    const ServerColumn* key = t.server.column(t.server.key);
    if (record.empty() || record.size() > 128 ||
        (key->type == ColumnType::Guid && !is_guid(record)))
      return rejected(
          {kInvalidValue, fmt::format("'{}' is not a valid key of '{}'.", record, t.server.name)});

    auto current = c_.query(fmt::format("SELECT _cfx_owner_user, _cfx_owner_team, _cfx_bu, "
                                        "_cfx_version, _cfx_deleted FROM {} WHERE {} = ?",
                                        quote_name(t.server.name), quote_name(key->name)),
                            {record});
    if (action == "create") {
      if (!current.empty())
        return rejected({kDuplicateRecord, fmt::format("A record with key '{}' already exists in "
                                                       "'{}'.",
                                                       record, t.server.name)});
    } else if (action == "update" || action == "delete") {
      if (current.empty() || as_int(current[0][4]) != 0)
        return rejected({kRecordNotFound, fmt::format("The record '{}' of '{}' does not exist; "
                                                      "it may have been deleted.",
                                                      record, t.server.name)});
      if (!may_write(current[0]))
        return rejected(
            {kAccessDenied, fmt::format("User '{}' may not {} the record '{}' of "
                                        "'{}'.",
                                        user_.name, action == "delete" ? "delete" : "change",
                                        record, t.server.name)});
    } else {
      return rejected({kInvalidValue, fmt::format("Unknown action '{}'.", action)});
    }

    std::vector<std::pair<const ServerColumn*, SqlValue>> values;
    if (action != "delete") {
      auto rejection = read_values(t, change, action == "create", values);
      if (rejection) return rejected(*rejection);
    }

    int64_t version = take_versions(c_);
    int64_t now = now_ms();
    if (action == "create") {
      std::string names = quote_name(key->name), marks = "?";
      SqlParams params{record};
      for (auto& [col, v] : values) {
        names += ", " + quote_name(col->name);
        marks += ", ?";
        params.push_back(v);
      }
      params.insert(params.end(), {user_.id, user_.business_unit, version, now, user_.id});
      c_.execute(fmt::format("INSERT INTO {} ({}, _cfx_owner_user, _cfx_bu, _cfx_version, "
                             "_cfx_modified_on, _cfx_modified_by) VALUES ({}, ?, ?, ?, ?, ?)",
                             quote_name(t.server.name), names, marks),
                 params);
      return {{"status", "accepted"}, {"version", version}, {"merged", false}};
    }
    bool merged = base && *base < as_int(current[0][3]);
    std::string sets;
    SqlParams params;
    for (auto& [col, v] : values) {
      sets += quote_name(col->name) + " = ?, ";
      params.push_back(v);
    }
    if (action == "delete") sets += "_cfx_deleted = 1, ";
    params.insert(params.end(), {version, now, user_.id, record});
    c_.execute(fmt::format("UPDATE {} SET {}_cfx_version = ?, _cfx_modified_on = ?, "
                           "_cfx_modified_by = ? WHERE {} = ?",
                           quote_name(t.server.name), sets, quote_name(key->name)),
               params);
    return {{"status", "accepted"}, {"version", version}, {"merged", merged}};
  }

  bool may_write(const SqlRow& row) const {
    switch (user_.write_scope) {
      case WriteScope::Organization:
        return true;
      case WriteScope::BusinessUnit:
        if (as_text(row[2]) == user_.business_unit) return true;
        [[fallthrough]];
      case WriteScope::User:
        if (as_text(row[0]) == user_.id) return true;
        return !is_null(row[1]) && std::find(user_.teams.begin(), user_.teams.end(),
                                             as_text(row[1])) != user_.teams.end();
    }
    return false;
  }

  std::optional<Rejection> read_values(const ResolvedTable& t, const json& change, bool create,
                                       std::vector<std::pair<const ServerColumn*, SqlValue>>& out) {
    auto it = change.find("values");
    if (it == change.end() || !it->is_object())
      return Rejection{kInvalidValue, "The change has no values."};
    for (const auto& [name, j] : it->items()) {
      // Only the profile's columns: the device holds no others.
      const ServerColumn* col = t.server.column(name);
      if (!col || std::find(t.columns.begin(), t.columns.end(), col) == t.columns.end())
        return Rejection{kInvalidValue, fmt::format("'{}' has no column '{}' in the offline "
                                                    "profile.",
                                                    t.server.name, name)};
      if (col->name == t.server.key) {
        if (create && j == change["record"]) continue;  // the record id already says it
        return Rejection{kInvalidValue,
                         fmt::format("The key column '{}' cannot change.", col->name)};
      }
      auto cell = cell_from_json(col->type, j);
      if (!cell)
        return Rejection{kInvalidValue, fmt::format("The value of '{}' is not a valid {}.",
                                                    col->name, column_type_name(col->type))};
      if (auto* s = std::get_if<std::string>(&*cell);
          s && col->type != ColumnType::File && col->type != ColumnType::Image) {
        if (s->size() > kMaxTextBytes || s->find('\0') != std::string::npos)
          return Rejection{
              kInvalidValue,
              fmt::format("The text of '{}' is too long or holds a NUL character.", col->name)};
        if (col->type == ColumnType::Guid && !is_guid(*s))
          return Rejection{kInvalidValue, fmt::format("'{}' is not a GUID.", col->name)};
      }
      SqlValue v = from_cell(col->type, *cell);
      if (col->required && (is_null(v) || (std::holds_alternative<std::string>(v) &&
                                           std::get<std::string>(v).empty())))
        return Rejection{kRequiredEmpty,
                         fmt::format("The column '{}' of '{}' is required and cannot be empty.",
                                     col->name, t.server.name)};
      if (col->type == ColumnType::Lookup && !is_null(v)) {
        const ServerTable* target = nullptr;
        for (const auto& rt : p_.tables())
          if (rt.server.name == col->target) target = &rt.server;
        SqlValue alive =
            target ? c_.scalar(fmt::format("SELECT 1 FROM {} WHERE {} = ? AND _cfx_deleted = 0",
                                           quote_name(target->name), quote_name(target->key)),
                               {v})
                   : SqlValue{};
        if (is_null(alive))
          return Rejection{kBrokenLookup,
                           fmt::format("The lookup '{}' refers to '{}', which is not a record of "
                                       "'{}'.",
                                       col->name, as_text(v), col->target)};
      }
      out.emplace_back(col, std::move(v));
    }
    if (create)
      for (const ServerColumn& col : t.server.columns) {
        if (!col.required || col.name == t.server.key) continue;
        bool given = std::any_of(out.begin(), out.end(), [&](auto& v) { return v.first == &col; });
        if (!given)
          return Rejection{kRequiredEmpty,
                           fmt::format("The column '{}' of '{}' is required and cannot be empty.",
                                       col.name, t.server.name)};
      }
    return std::nullopt;
  }

  static json rejected(const Rejection& r) {
    return {{"status", "rejected"},
            {"type", r.reason.type},
            {"code", r.reason.code},
            {"message", r.message}};
  }

  // The server's row for a rejected change, when the user may read it (it is
  // in their scope); null otherwise (the device then removes its copy).
  void attach_row(json& result, const json& change) {
    result["row"] = nullptr;
    int ti = p_.index_of(change.value("table", ""));
    if (ti < 0 || !change.contains("record") || !change["record"].is_string()) return;
    const ResolvedTable& t = p_.tables()[static_cast<size_t>(ti)];
    if (!computed_.count(ti)) {
      ScopeComputation(c_, p_, user_).compute(ti);
      computed_[ti] = true;
    }
    std::string key = column_ref("x", t.server.key);
    auto rows = c_.query(
        fmt::format("SELECT x._cfx_version, {} FROM {} x JOIN {} s ON s.k = {} WHERE {} = ?",
                    profile_select_list(t), quote_name(t.server.name),
                    ScopeComputation(c_, p_, user_).scope_table(ti), key, key),
        {change["record"].get<std::string>()});
    if (rows.empty()) return;
    result["row"] = {{"version", as_int(rows[0][0])}, {"values", row_values_json(t, rows[0], 1)}};
  }

  SqlConnection& c_;
  const ResolvedProfile& p_;
  const User& user_;
  std::map<int, bool> computed_;  // tables whose scope is materialized in this batch
};

}  // namespace

json SyncService::push(const User& user, const json& body) {
  std::string profile_name = optional_text_field(body, "profile").value_or("");
  auto it = body.find("changes");
  if (it == body.end() || !it->is_array())
    throw ApiError(400, "bad-request", "the request needs a list 'changes'");
  if (it->size() > static_cast<size_t>(kMaxChangesPerPush))
    throw ApiError(413, "too-many-changes",
                   fmt::format("at most {} changes per request", kMaxChangesPerPush));
  Lease c = storage_->lease();
  json results = json::array();
  in_transaction(*c, true, [&] {
    results = json::array();
    auto p = published_profile(*c, *state_, profile_name);
    PushBatch batch(*c, *p, user);
    for (const json& change : *it) results.push_back(batch.apply(change));
  });
  return {{"results", results}};
}

}  // namespace canvasfx::sync
