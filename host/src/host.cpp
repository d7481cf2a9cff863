// The host's Power Fx glue (host.h): enums, signals, behavior functions and
// data sources registered into an Engine.
#include "canvasfx/host/host.h"

#include <fmt/format.h>

#include <cstdio>
#include <sstream>

#include "canvasfx/host/sync_state.h"
#include "canvasfx/timezone.h"
#include "canvasfx/unicode.h"
#include "data_source.h"
#include "store_impl.h"

namespace canvasfx::host {

namespace {

// ---------------------------------------------------------------- enums

// The classic Icon enum (docs/icons.txt); a member's value is its builtin
// icon URI, as in canvas apps.
constexpr std::string_view kIconNames =
    "Add AddDocument AddLibrary AddToCalendar AddUser Airplane Alarm ArrowDown ArrowLeft "
    "ArrowRight ArrowUp BackArrow Bell Blocked Bookmark BookmarkFilled Bug Bus Calculator "
    "CalendarBlank Camera CameraAperture Cancel CancelBadge Cars Check CheckBadge "
    "ChevronDown ChevronLeft ChevronRight ChevronUp ClearDrawing Clock CollapseView "
    "ColorPicker Compose ComputerDesktop Controller Copy Crop Currency Cut Database "
    "DetailList Devices Diamond DockCheckProperties DockLeft DockRight Document "
    "DocumentPDF DocumentWithContent Download Draw Edit EmojiFrown EmojiHappy EmojiNeutral "
    "EmojiSad EmojiSmile Enhance Erase Error ExpandView Export Filter FilterFlat "
    "FilterFlatFilled Flag Folder ForkKnife Globe GlobeChangesPending GlobeError "
    "GlobeNotConnected GlobeRefresh GlobeWarning HalfFilledCircle Hamburger Health Heart "
    "Help Hide History Home HorizontalLine Hospital Import Information Items Journal Key "
    "Laptop Leave LevelsLayersItems Lightbulb LightningBolt LikeDislike LineWeight Link "
    "ListScrollEmpty ListScrollWatchlist ListWatchlistRemind Location Lock LogJournal Mail "
    "Manufacture Medical Message Microphone Mobile Money More Newspaper NextArrow Note "
    "Notebook OpenInNewWindow OptionsList PaperClip Paste People Person Phone Phonebook "
    "Pictures Pin Post Print Printing3D Publish QuestionMark RadarActivityMonitor Redo "
    "Reload Save Scan Search Send Settings Share Shirt Shop ShoppingCart Show ShowDrawing "
    "SignOut Site SkipBack SkipForward SkipNext SkipPrevious Slider Sort Speed Split "
    "SplitHorizontal SplitVertical Star StarFilled Stop Strikethrough Subtract Support "
    "Sync Tablet Tag Text ThumbsDown ThumbsDownFilled ThumbsUp ThumbsUpFilled Tools Train "
    "Transportation Trash Tray Trending TrendingHashtag TrendingUpwards Undo Unlock "
    "VerticalLine Video View Waffle Warning Waypoint Weather ZoomIn ZoomOut ";

std::shared_ptr<EnumInfo> make_enum(std::string name, TypeKind underlying) {
  auto info = std::make_shared<EnumInfo>();
  info->name = std::move(name);
  info->underlying = underlying;
  info->strongly_typed = true;
  return info;
}

std::shared_ptr<const EnumInfo> connection_sync_enum() {
  static const auto info = [] {
    auto e = make_enum("ConnectionSync", TypeKind::Number);
    for (int i = 0; i < kConnectionSyncCount; ++i)
      e->members.emplace_back(connection_sync_name(static_cast<ConnectionSync>(i)),
                              Value::number(i));
    return e;
  }();
  return info;
}

std::shared_ptr<const EnumInfo> host_info_enum() {
  static const auto info = [] {
    auto e = make_enum("HostInfo", TypeKind::Text);
    e->members.emplace_back("OfflineSync", Value::text("OfflineSync"));
    return e;
  }();
  return info;
}

std::shared_ptr<const EnumInfo> notification_type_enum() {
  static const auto info = [] {
    auto e = make_enum("NotificationType", TypeKind::Text);
    for (const char* m : {"Error", "Information", "Success", "Warning"})
      e->members.emplace_back(m, Value::text(m));
    return e;
  }();
  return info;
}

std::shared_ptr<const EnumInfo> icon_enum() {
  static const auto info = [] {
    auto e = make_enum("Icon", TypeKind::Text);
    std::istringstream names{std::string(kIconNames)};
    for (std::string name; names >> name;)
      e->members.emplace_back(name, Value::text("builtinicon:" + name));
    return e;
  }();
  return info;
}

// ---------------------------------------------------------------- behavior functions

// A check that argument i is a member of `info`'s enum.
bool expect_enum(CheckContext& ctx, size_t i, const EnumInfo& info) {
  const Type& t = ctx.arg_type(i);
  if (t.is(TypeKind::Enum) && t.enum_info() && t.enum_info()->name == info.name) return true;
  ctx.error(ctx.arg_span(i),
            fmt::format("Invalid argument type. Expecting a {} value instead.", info.name));
  ctx.error(ctx.name_span(),
            fmt::format("The function '{}' has some invalid arguments.", ctx.function_name()));
  return false;
}

// ShowHostInfo(HostInfo) – showhostinfo.md: shows the device status page.
Type check_show_host_info(CheckContext& ctx) {
  expect_enum(ctx, 0, *host_info_enum());
  return Type::boolean();
}
Value invoke_show_host_info(CallContext& ctx) {
  return ctx.call_host("ShowHostInfo", std::span<const Value>(&ctx.arg(0), 1));
}

// Notify(message [, NotificationType [, timeout]]) – function-showerror.md: shows
// a banner message for `timeout` milliseconds (default 10,000; 0: until
// dismissed); returns true.
Type check_notify(CheckContext& ctx) {
  if (ctx.arg_count() > 1) expect_enum(ctx, 1, *notification_type_enum());
  return Type::boolean();
}
Value invoke_notify(CallContext& ctx) {
  std::vector<Value> args;
  for (size_t i = 0; i < ctx.arg_count(); ++i) args.push_back(ctx.arg(i));
  return ctx.call_host("Notify", args);
}

const FunctionDef kHostFunctions[] = {
    {.name = "ShowHostInfo",
     .params = "e",
     .invoke = invoke_show_host_info,
     .check = check_show_host_info,
     .behavior = true,
     .page = "showhostinfo.md"},
    {.name = "Notify",
     .params = "se?n?",
     .invoke = invoke_notify,
     .check = check_notify,
     .blanks = BlankPolicy::Keep,
     .behavior = true,
     .page = "function-showerror.md"},
};

// ---------------------------------------------------------------- signals

Type record_of(std::initializer_list<std::pair<const char*, Type>> fields) {
  std::vector<std::pair<std::string, Type>> f;
  for (const auto& [name, type] : fields) f.emplace_back(name, type);
  return Type::record(std::move(f));
}

Value number_record(std::initializer_list<std::pair<const char*, double>> fields) {
  Fields f;
  for (const auto& [name, value] : fields) f.emplace_back(name, Value::number(value));
  return Value::record(std::move(f));
}

// A store time (ms UTC) as a DateTime of the machine's zone.
Value store_time(int64_t utc_ms) {
  static const std::string zone = default_time_zone();
  return Value::datetime(utc_to_wall_ms(zone, utc_ms));
}

Type pending_changes_type() {
  return Type::table({{"Table", Type::text()},
                      {"RecordId", Type::text()},
                      {"Action", Type::text()},
                      {"Content", Type::text()},
                      {"Changes", Type::text()},
                      {"QueuedAt", Type::datetime()}});
}

Value read_pending_changes(const Store& s) {
  std::vector<Value> rows;
  for (const auto& e : s.queue())
    rows.push_back(Value::record({{"Table", Value::text(e.table)},
                                  {"RecordId", Value::text(e.record_id)},
                                  {"Action", Value::text(queue_action_name(e.action))},
                                  {"Content", Value::text(queue_content_name(e.content))},
                                  {"Changes", Value::text(e.changes_json)},
                                  {"QueuedAt", store_time(e.queued_at)}}));
  return Value::table(std::move(rows), pending_changes_type().as_record());
}

Type sync_errors_type() {
  return Type::table({{"Time", Type::datetime()},
                      {"Table", Type::text()},
                      {"RecordId", Type::text()},
                      {"Action", Type::text()},
                      {"Message", Type::text()},
                      {"ErrorType", Type::text()},
                      {"ErrorCode", Type::text()}});
}

// The unresolved sync errors, newest first.
Value read_sync_errors(const Store& s) {
  std::vector<Value> rows;
  for (const auto& e : s.sync_errors(/*unresolved_only=*/true))
    rows.push_back(
        Value::record({{"Time", store_time(e.error_time)},
                       {"Table", Value::text(e.table)},
                       {"RecordId", Value::text(e.record_id)},
                       {"Action", Value::text(e.action ? queue_action_name(*e.action) : "")},
                       {"Message", Value::text(e.message)},
                       {"ErrorType", Value::text(e.error_type)},
                       {"ErrorCode", Value::text(e.error_code)}}));
  return Value::table(std::move(rows), sync_errors_type().as_record());
}

struct Signal {
  const char* name;
  Type type;
  Value (*read)(const Store& store);
};

const std::vector<Signal>& signals() {
  static const std::vector<Signal> kSignals = {
      {"Connection",
       record_of({{"Connected", Type::boolean()},
                  {"Metered", Type::boolean()},
                  {"Sync", Type::enum_of(connection_sync_enum())}}),
       [](const Store& s) {
         DeviceState d = s.device_state();
         return Value::record(
             {{"Connected", Value::boolean(d.connected)},
              {"Metered", Value::boolean(d.metered)},
              {"Sync", Value::enum_member(connection_sync_enum(),
                                          static_cast<size_t>(connection_sync_of(s)))}});
       }},
      {"Host",
       record_of({{"OfflineEnabled", Type::boolean()},
                  {"OSType", Type::text()},
                  {"BrowserUserAgent", Type::text()},
                  {"SessionID", Type::text()},
                  {"TenantID", Type::text()},
                  {"Version", Type::text()}}),
       [](const Store& s) {
         DeviceState d = s.device_state();
         return Value::record(
             {{"OfflineEnabled", Value::boolean(host_offline_enabled_of(s))},
              {"OSType", Value::text(d.os_type)},
              {"BrowserUserAgent", Value::text(d.user_agent)},
              {"SessionID", Value::text(d.session_id)},
              {"TenantID", Value::text(d.tenant_id)},
              {"Version",
               Value::text(d.player == PlayerKind::Studio ? std::string() : d.player_version)}});
       }},
      {"App", record_of({{"Width", Type::number()}, {"Height", Type::number()}}),
       [](const Store& s) {
         DeviceState d = s.device_state();
         return number_record({{"Width", d.screen_width}, {"Height", d.screen_height}});
       }},
      {"Location",
       record_of({{"Latitude", Type::number()},
                  {"Longitude", Type::number()},
                  {"Altitude", Type::number()}}),
       [](const Store& s) {
         DeviceState d = s.device_state();
         return number_record(
             {{"Latitude", d.latitude}, {"Longitude", d.longitude}, {"Altitude", d.altitude}});
       }},
      {"Acceleration",
       record_of({{"X", Type::number()}, {"Y", Type::number()}, {"Z", Type::number()}}),
       [](const Store& s) {
         DeviceState d = s.device_state();
         return number_record({{"X", d.accel_x}, {"Y", d.accel_y}, {"Z", d.accel_z}});
       }},
      {"Compass", record_of({{"Heading", Type::number()}}),
       [](const Store& s) {
         return number_record({{"Heading", s.device_state().heading}});
       }},
      // canvasfx's own: what the device status page lists (ShowHostInfo), for
      // an app's screen of pending changes and sync errors.
      {"PendingChanges", pending_changes_type(), read_pending_changes},
      {"SyncErrors", sync_errors_type(), read_sync_errors},
  };
  return kSignals;
}

}  // namespace

// ---------------------------------------------------------------- Host

Host::Host(Engine& engine, Store& store)
    : engine_(engine),
      store_(store),
      sources_(std::make_shared<SourceContext>(SourceContext{store, engine, {}, {}})),
      output_([](const std::string& text) {
        std::fputs(text.c_str(), stdout);
        if (text.empty() || text.back() != '\n') std::fputc('\n', stdout);
        std::fflush(stdout);
      }) {
  register_sql_functions(store_);
  for (const auto& e :
       {connection_sync_enum(), host_info_enum(), notification_type_enum(), icon_enum()})
    engine_.add_enum(e);
  engine_.add_functions(kHostFunctions);
  engine_.set_host_handler("ShowHostInfo", [this](std::span<const Value>) {
    output_(render_device_status(device_status_of(store_)));
    return Value::boolean(true);
  });
  engine_.set_host_handler("Notify", [this](std::span<const Value> args) {
    std::string type = args.size() > 1 && args[1].is(ValueKind::Enum) ? args[1].enum_member_name()
                                                                      : std::string("Information");
    output_(fmt::format("[{}] {}", type, args.empty() ? "" : args[0].as_text()));
    return Value::boolean(true);
  });
  install_signals();
  install_data_sources();
}

Host::~Host() = default;

std::unique_ptr<Host> install_host(Engine& engine, Store& store) {
  return std::make_unique<Host>(engine, store);
}

void Host::set_output(std::function<void(const std::string&)> output) {
  output_ = std::move(output);
}

const std::deque<std::string>& Host::statements() const { return sources_->statements; }

void Host::set_statement_listener(std::function<void(const std::string&)> listener) {
  sources_->on_statement = std::move(listener);
}

const std::vector<std::string>& Host::signal_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& s : signals()) names.push_back(s.name);
    return names;
  }();
  return kNames;
}

void Host::install_signals() {
  for (const auto& s : signals())
    engine_.declare_computed(s.name, s.type, [this, read = s.read] { return read(store_); });
}

void Host::install_data_sources() {
  for (auto& schema : store_.tables()) {
    Type row = row_type_of(schema);
    std::string name = schema.name;
    auto source = std::make_shared<StoreSource>(sources_, std::move(schema), row);
    auto id =
        engine_.declare(name, row.as_table(), Value::table_source(source, row),
                        SymbolFlags{.can_set = false, .can_mutate = true, .can_set_mutate = false});
    data_sources_.emplace_back(id, name);
  }
  table_versions_ = store_.table_versions();
}

Value Host::signal_value(const std::string& name) const {
  for (const auto& s : signals())
    if (name == s.name) return s.read(store_);
  return Value::blank();
}

size_t Host::subscribe(std::string signal, SignalCallback callback) {
  auto it = std::find_if(last_values_.begin(), last_values_.end(),
                         [&](const auto& v) { return v.first == signal; });
  if (it == last_values_.end()) last_values_.emplace_back(signal, signal_value(signal));
  subscriptions_.push_back({next_token_, std::move(signal), std::move(callback)});
  return next_token_++;
}

void Host::unsubscribe(size_t token) {
  std::erase_if(subscriptions_, [&](const Subscription& s) { return s.token == token; });
}

std::vector<std::string> Host::poll() {
  // data_version changes when another connection commits; this connection's
  // own writes (data sources, Store calls) are counted by total_changes.
  sqlite3* db = store_.impl().db.get();
  std::pair<int64_t, int64_t> version{
      store_.impl().db.scalar_int("PRAGMA data_version").value_or(0), sqlite3_total_changes64(db)};
  std::vector<std::string> changed;
  if (version == version_) return changed;
  version_ = version;
  // Only the tables that changed get fresh handles: a formula over an
  // unchanged table must not recalculate because the device went offline.
  auto versions = store_.table_versions();
  auto version_of = [](const auto& list, const std::string& table) -> std::optional<int64_t> {
    for (const auto& [name, v] : list)
      if (text_equal_ignore_case(name, table)) return v;
    return std::nullopt;
  };
  for (const auto& [id, table] : data_sources_) {
    auto now = version_of(versions, table);
    if (now && now == version_of(table_versions_, table)) continue;
    Value current = engine_.value(id);
    if (auto* source = dynamic_cast<const MutableTableSource*>(current.source()))
      engine_.set_value(id, source->fresh_value(current.row_type()));
  }
  table_versions_ = std::move(versions);
  for (auto& [name, last] : last_values_) {
    Value now = signal_value(name);
    if (print_value(now) == print_value(last)) continue;
    last = now;
    changed.push_back(name);
    for (const auto& s : subscriptions_)
      if (s.signal == name) s.callback(name, now);
  }
  return changed;
}

}  // namespace canvasfx::host
