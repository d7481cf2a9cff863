// One running app behind the web player (session.h).
#include "session.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "canvasfx/calendar.h"
#include "canvasfx/host/sync_state.h"

namespace canvasfx::web {

namespace fs = std::filesystem;

namespace {

BusMessage message(std::string event, const nlohmann::json& data) {
  // dump() escapes control characters: one event is one `data:` line.
  return {std::move(event), data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

// The device status page (ShowHostInfo), the figures of `canvasfx store status`.
nlohmann::json device_status_json(const host::Store& store) {
  host::DeviceStatus s = host::device_status_of(store);
  nlohmann::json errors = nlohmann::json::array(), warnings = nlohmann::json::array(),
                 tables = nlohmann::json::array();
  for (const auto& e : s.errors)
    errors.push_back({{"time", host::format_utc(e.error_time)},
                      {"table", e.table},
                      {"record", e.record_id},
                      {"action", e.action ? host::queue_action_name(*e.action) : ""},
                      {"message", e.message},
                      {"code", e.error_code}});
  for (const auto& w : s.warnings) warnings.push_back(w.message);
  for (const auto& t : s.tables)
    tables.push_back({{"name", t.name},
                      {"rows", t.rows},
                      {"lastSync", host::format_utc(t.last_synced_at)},
                      {"intervalMinutes", t.sync_interval_minutes}});
  return {{"state", s.state_name},
          {"meaning", s.meaning},
          {"offlineEnabled", s.offline_enabled},
          {"profile", s.profile_name},
          {"lastSync", host::format_utc(s.last_sync)},
          {"syncRunning", s.sync_running},
          {"storage", host::format_bytes(s.storage_bytes)},
          {"pending",
           {{"total", s.pending.total()},
            {"added", s.pending.added},
            {"updated", s.pending.updated},
            {"removed", s.pending.removed},
            {"files", s.pending.files},
            {"images", s.pending.images}}},
          {"errors", std::move(errors)},
          {"warnings", std::move(warnings)},
          {"tables", std::move(tables)},
          {"text", host::render_device_status(s)}};
}

// Launch opens web pages, mail and calls; never script or local files.
bool launchable(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://", "mailto:", "tel:"})
    if (url.size() >= scheme.size()) {
      bool same = true;
      for (size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) same = false;
      if (same) return true;
    }
  return false;
}

// "2024-05-01" -> a Date value.
std::optional<Value> parse_date(const std::string& s) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
      d > days_in_month(y, m))
    return std::nullopt;
  return Value::date(days_from_civil(y, m, d));
}

std::string print_text(const Value& v) { return v.is_text() ? v.as_text() : print_value(v); }

}  // namespace

Session::Session(const PlayOptions& options, EventBus& bus) : bus_(bus), options_(options) {
  try {
    // The store the app runs on (seeded with the demo when new, as the CLI's stores are).
    store_ = host::Store::open(options.store_path, {.create = true, .seed_demo = true});
    panel_ = std::make_unique<DevicePanel>(options.store_path, options.sync_shown);
  } catch (const host::StoreError& e) {
    throw PlayError(
        fmt::format("cannot open the store {}: {}", options.store_path.string(), e.what()));
  }
  player::LoadResult loaded;
  try {
    loaded = player::load_app(options.app_path);
  } catch (const std::exception& e) {
    // The loader reports bad files as diagnostics; anything else it throws is still no crash here.
    throw PlayError(fmt::format("cannot load the app {}: {}", options.app_path.string(), e.what()));
  }
  if (!loaded.ok()) {
    std::string why;
    for (const auto& d : loaded.diagnostics) why += "\n" + player::format_app_diagnostic(d);
    throw PlayError(fmt::format("cannot load the app {}{}", options.app_path.string(), why));
  }
  facts_ = source_facts(*loaded.app);
  player::RuntimeOptions runtime_options;
  runtime_options.store = store_.get();
  runtime_options.time_limit = options.time_limit;
  // Launch, Exit, Copy and Print reach a player as lines of output.
  runtime_options.output = [this](const std::string& line) {
    if (line.starts_with("launch ")) {
      std::string url = line.substr(7);
      if (launchable(url))
        publish_host({{"kind", "launch"}, {"url", url}});
      else
        publish_host({{"kind", "notify"},
                      {"type", "Error"},
                      {"text", "Launch opens web addresses only: " + url},
                      {"timeout", 10000}});
    } else if (line == "exit") {
      exited_ = true;
      publish_host({{"kind", "exit"}});
    } else if (line.starts_with("copy ")) {
      publish_host({{"kind", "copy"}, {"text", line.substr(5)}});
    } else if (line.starts_with("print")) {
      publish_host({{"kind", "print"}});
    } else {
      std::cerr << "canvasfx play: " << line << "\n";
    }
  };
  runtime_ = player::Runtime::create(std::move(loaded), std::move(runtime_options));
  diagnostics_ = runtime_->diagnostics();
  install_host_surfaces();
  std::lock_guard lock(mutex_);
  runtime_->start();
  publish_changes(/*force_screen=*/true);
  device_sent_ = panel_->figures();
}

Session::~Session() = default;

void Session::install_host_surfaces() {
  // The host's Notify and ShowHostInfo write text by default; the page shows
  // a banner and the status page instead (host.h: an embedder replaces them).
  Engine& engine = runtime_->engine();
  engine.set_host_handler("Notify", [this](std::span<const Value> args) {
    nlohmann::json note = {{"kind", "notify"},
                           {"type", "Information"},
                           {"text", args.empty() ? "" : print_text(args[0])}};
    if (args.size() > 1 && args[1].is(ValueKind::Enum)) note["type"] = args[1].enum_member_name();
    // Notify's timeout is in milliseconds; 0 keeps the banner until dismissed.
    note["timeout"] = args.size() > 2 && args[2].is_number() ? args[2].as_number() : 10000;
    publish_host(std::move(note));
    return Value::boolean(true);
  });
  engine.set_host_handler("ShowHostInfo", [this](std::span<const Value>) {
    publish_host({{"kind", "hostinfo"}, {"status", device_status_json(*store_)}});
    return Value::boolean(true);
  });
}

void Session::publish_host(nlohmann::json m) { bus_.publish(message("host", m)); }

void Session::publish_changes(bool force_screen) {
  ScreenView now = screen_view(runtime_->view(), facts_, kMaxGalleryRows);
  bool whole = force_screen || now.screen != sent_.screen ||
               now.flat.at(now.screen).structure != sent_.flat.at(sent_.screen).structure;
  if (whole) {
    nlohmann::json data = {{"seq", ++sequence_}, {"screen", now.json}};
    bus_.publish(message("screen", data));
  } else {
    nlohmann::json patch = view_patch(sent_, now);
    if (patch.is_null()) return;
    patch["seq"] = ++sequence_;
    bus_.publish(message("patch", patch));
  }
  sent_ = std::move(now);
}

void Session::publish_device(bool force) {
  nlohmann::json figures = panel_->figures();
  if (!force && figures == device_sent_) return;
  device_sent_ = figures;
  bus_.publish(message("device", figures));
}

std::vector<BusMessage> Session::snapshot() {
  return {message("screen", {{"seq", sequence_.load()}, {"screen", sent_.json}}),
          message("device", device_sent_)};
}

nlohmann::json Session::screen() {
  std::lock_guard lock(mutex_);
  publish_changes();
  return sent_.json;
}

std::optional<int> Session::subscribe() {
  std::lock_guard lock(mutex_);
  return bus_.subscribe(snapshot());
}

Session::EventResult Session::event(const nlohmann::json& e) {
  auto bad = [](std::string why) { return EventResult{400, {{"error", std::move(why)}}}; };
  if (!e.is_object() || !e.contains("kind") || !e["kind"].is_string())
    return bad("an event is a JSON object with a kind");
  const std::string kind = e["kind"];
  std::lock_guard lock(mutex_);
  if (exited_) return {410, {{"error", "the app has exited"}}};
  try {
    if (kind == "device") {
      std::string refused = panel_->apply(e);
      if (!refused.empty()) return {409, {{"error", refused}}};
      // The app learns of it by polling the store, as of any other process's write.
      runtime_->poll();
      publish_changes();
      publish_device();
      return {200, {{"ok", true}, {"seq", sequence_.load()}}};
    }
    auto text_field = [&](const char* name) -> std::optional<std::string> {
      if (!e.contains(name) || !e[name].is_string()) return std::nullopt;
      return e[name].get<std::string>();
    };
    if (kind == "navigate") {
      auto screen = text_field("screen");
      if (!screen) return bad("navigate needs a screen");
      runtime_->navigate(*screen);
    } else {
      auto control = text_field("control");
      if (!control) return bad(kind + " needs a control");
      int row = e.contains("row") && e["row"].is_number_integer() ? e["row"].get<int>() : -1;
      if (kind == "select") {
        runtime_->select(*control, row);
      } else if (kind == "toggle") {
        runtime_->toggle(*control, row);
      } else if (kind == "text") {
        auto text = text_field("text");
        if (!text) return bad("text needs a text");
        runtime_->type_text(*control, *text, row);
      } else if (kind == "input") {
        if (!e.contains("value")) return bad("input needs a value");
        const nlohmann::json& v = e["value"];
        std::string type = text_field("type").value_or("");
        std::optional<Value> value;
        if ((type == "number" || type == "index") && v.is_number()) {
          value = Value::number(v.get<double>());
        } else if (type == "date" && v.is_string()) {
          value = parse_date(v.get<std::string>());
        } else if (type == "boolean" && v.is_boolean()) {
          value = Value::boolean(v.get<bool>());
        } else if ((type == "text" || type.empty()) && v.is_string()) {
          value = Value::text(v.get<std::string>());
        }
        if (!value)
          return bad("input needs a value of its type (number, index, date, boolean, text)");
        runtime_->set_input(*control, *value, row);
      } else {
        return bad("unknown event kind " + kind);
      }
    }
    publish_changes();
    publish_device();
  } catch (const std::exception& ex) {
    return {500, {{"error", ex.what()}}};
  }
  return {200, {{"ok", true}, {"seq", sequence_.load()}}};
}

void Session::tick(std::chrono::milliseconds elapsed) {
  std::lock_guard lock(mutex_);
  if (exited_) return;
  try {
    bool ended = panel_->tick(std::chrono::steady_clock::now());
    runtime_->advance(elapsed);
    if (ended || !runtime_->changes().empty() || runtime_->active_screen() != sent_.screen)
      publish_changes();
    publish_device();
  } catch (const std::exception& ex) {
    std::cerr << "canvasfx play: " << ex.what() << "\n";
  }
}

std::optional<fs::path> Session::media_file(std::string_view name) const {
  const auto& resources = runtime_->source().resources;
  if (std::find(resources.begin(), resources.end(), name) == resources.end()) return std::nullopt;
  std::error_code ec;
  fs::path root = runtime_->source().path;
  if (!fs::is_directory(root, ec)) return std::nullopt;  // a .msapp file: not unpacked
  fs::path assets = root / "Assets";
  if (!fs::is_directory(assets, ec)) return std::nullopt;
  for (auto it = fs::recursive_directory_iterator(assets, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    const fs::path& p = it->path();
    if (p.stem().string() != name) continue;
    std::string ext = p.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* allowed : {".png", ".jpg", ".jpeg", ".gif", ".svg", ".bmp", ".webp"})
      if (ext == allowed) return p;
  }
  return std::nullopt;
}

}  // namespace canvasfx::web
