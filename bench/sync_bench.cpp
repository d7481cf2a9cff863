// The sync benchmark: one `canvasfx server` process and N device processes
// (N = 1, 10, 50) that each
//   1. run an initial sync of a profile of about 10,000 rows (the accounts of
//      their business unit and the contacts of those accounts), then
//   2. make 100 edits, each followed by an upload-only sync;
// for SQLite and for PostgreSQL storage (a throwaway cluster the program
// starts, as the tests do). It reports
//   - downsync rows/s: all rows downloaded / the wall time of step 1 (all
//     devices at once), and the median device's own rows/s;
//   - upsync latency: median and p95 of the edit syncs (an upload-only run:
//     lock, run record, profile check, push, acknowledgement);
//   - server CPU: seconds of CPU the server used in each step (with
//     PostgreSQL, the canvasfx server plus the PostgreSQL processes), and
//     that as a share of one core over the step's wall time;
//   - the baseline, measured in the same run: one process applying the same
//     10,000 rows straight into a store (no server, no HTTP), rows/s (the
//     median of three); the ratio of a single device's download to it is the
//     cost of the protocol.
//
// Devices are forked processes of this program (the device engine as a
// library), started together behind a barrier. Absolute figures depend on
// the machine; every process here shares its cores.
//
// Run: build/canvasfx_sync_bench [--storage sqlite|postgres|both] [--devices 1,10,50]
//                                [--edits 100] [--server-threads 16]
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "canvasfx/host/profile.h"
#include "canvasfx/host/store.h"
#include "canvasfx/host/sync_journal.h"
#include "canvasfx/sync/device.h"
#include "canvasfx/sync/server.h"
#include "postgres_server.h"
#include "processes.h"

namespace {

namespace fs = std::filesystem;
using namespace canvasfx;
using Clock = std::chrono::steady_clock;

constexpr const char* kProfile = R"yaml(
name: Bench
tables:
  - name: Accounts
    can_be_taken_offline: true
    key: AccountId
    columns:
      - { name: AccountId, type: guid }
      - { name: Name, type: text }
      - { name: City, type: text }
      - { name: Revenue, type: number }
      - { name: Employees, type: number }
      - { name: Active, type: boolean }
      - { name: CreatedOn, type: datetime }
    rows:
      organization: [business_unit]
    relationships:
      - { name: account_contacts, table: Contacts, type: one_to_many }
  - name: Contacts
    can_be_taken_offline: true
    key: ContactId
    columns:
      - { name: ContactId, type: guid }
      - { name: FullName, type: text }
      - { name: Email, type: text }
      - { name: Phone, type: text }
      - { name: Account, type: lookup, target: Accounts }
    rows:
      related: [Accounts]
)yaml";

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// CPU seconds (user + system) of a process, and of its children when asked.
double cpu_seconds(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto close_paren = text.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(close_paren + 2));
  std::string f;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {
    if (i == 14) utime = std::stod(f);
    if (i == 15) {
      stime = std::stod(f);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

pid_t parent_of(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto close_paren = text.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(close_paren + 2));
  std::string state;
  pid_t ppid = 0;
  fields >> state >> ppid;
  return ppid;
}

// The server's CPU: the canvasfx server, and the PostgreSQL postmaster and its backends.
double server_cpu(pid_t server, pid_t postmaster) {
  double total = cpu_seconds(server);
  if (postmaster > 0) {
    total += cpu_seconds(postmaster);
    if (DIR* d = opendir("/proc")) {
      while (dirent* e = readdir(d)) {
        pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
        if (pid > 0 && parent_of(pid) == postmaster) total += cpu_seconds(pid);
      }
      closedir(d);
    }
  }
  return total;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Reads one '\n'-terminated line from a pipe (byte by byte: lines are short).
std::string read_line(int fd) {
  std::string line;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

void write_line(int fd, const sync::json& j) {
  std::string text = j.dump() + "\n";
  (void)!write(fd, text.data(), text.size());
}

struct Phase {
  double wall_s = 0, server_cpu_s = 0;
};

struct Outcome {
  int64_t rows = 0;
  Phase download, upload;
  double median_device_rows_per_s = 0;
  std::vector<double> latencies_ms;
  std::vector<std::string> errors;
};

class Bench {
 public:
  Bench(std::string storage, int server_threads, int edits)
      : storage_(std::move(storage)), threads_(server_threads), edits_(edits) {
    char tmpl[] = "/tmp/canvasfx-sync-bench-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~Bench() {
    stop_server();
    pg_.reset();
    fs::remove_all(dir_);
  }

  void setup(int max_devices) {
    std::string location;
    if (storage_ == "postgres") {
      pg_ = std::make_unique<sync::testing::PostgresServer>();
      pg_->create_database("bench");
      location_ = pg_->url("bench");
    } else {
      location_ = (dir_ / "server.db").string();
    }
    auto t0 = Clock::now();
    {
      sync::SyncService service(storage_ == "postgres" ? sync::open_postgres_storage(location_)
                                                       : sync::open_sqlite_storage(location_));
      sync::SeedOptions o;
      o.business_units = 5;
      o.teams = 20;
      o.users = 200;
      o.accounts = 12'500;  // 2,500 per business unit ...
      o.contacts = 37'500;  // ... with 7,500 contacts: 10,000 rows a device
      o.orders = 0;
      sync::seed_organization(service, o);
      const char* bus[] = {"Contoso", "Contoso North", "Contoso South", "Contoso East",
                           "Contoso West"};
      for (int i = 0; i < max_devices; ++i) {
        std::string name = fmt::format("device{:02}", i + 1);
        tokens_[name] = service.add_user({name, bus[i % 5], {}, sync::WriteScope::BusinessUnit});
      }
      auto violations = service.publish_profile(kProfile, "admin");
      if (!violations.empty()) throw std::runtime_error(violations[0].message);
    }
    std::fprintf(stderr, "[%s] seeded 50,000 rows and %d users in %.1f s\n", storage_.c_str(),
                 200 + max_devices, seconds_since(t0));
    port_ = sync::testing::free_port();
    std::vector<std::string> argv{CANVASFX_BINARY,       "server",    "--port",
                                  std::to_string(port_), "--threads", std::to_string(threads_)};
    if (storage_ == "postgres")
      argv.insert(argv.end(), {"--postgres", location_});
    else
      argv.insert(argv.end(), {"--data", location_});
    server_ = sync::testing::spawn_process(argv, (dir_ / "server.log").string());
    httplib::Client c(fmt::format("http://127.0.0.1:{}", port_));
    for (int i = 0; i < 400; ++i) {
      if (auto r = c.Get("/v1/health"); r && r->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    throw std::runtime_error("the server did not start");
  }

  // The baseline: the same rows applied straight into a store, in one process.
  double baseline_rows_per_s() {
    // Download once through the server to get exactly a device's rows...
    auto store = host::Store::open(dir_ / "baseline-source.db");
    auto report = sync::DeviceSync(*store, options("device01")).run();
    if (!report.ok) throw std::runtime_error(report.error);
    std::vector<std::pair<std::string, std::vector<host::DownloadedRow>>> tables;
    for (const auto& t : store->tables()) {
      std::vector<host::DownloadedRow> rows;
      for (auto& row : store->rows(t.name)) rows.push_back({std::move(row), 1});
      tables.emplace_back(t.name, std::move(rows));
    }
    // ... then time applying them, in pages of the same size, to a fresh store;
    // the median of three, since the machine's other load moves single runs a lot.
    auto profile = host::parse_profile(kProfile);
    std::vector<double> rates;
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto target = host::Store::open(dir_ / fmt::format("baseline-target-{}.db", attempt));
      host::apply(profile, *target);
      auto t0 = Clock::now();
      int64_t run = target->begin_sync(true), count = 0;
      for (auto& [table, rows] : tables) {
        host::TablePass pass = host::table_pass(*target, table);
        for (size_t i = 0; i < rows.size(); i += sync::kDefaultPageSize) {
          std::vector<host::DownloadedRow> page(
              rows.begin() + static_cast<long>(i),
              rows.begin() + static_cast<long>(std::min(rows.size(), i + sync::kDefaultPageSize)));
          count += host::apply_page(*target, run, pass, page, {}).applied;
        }
      }
      target->end_sync(run, {});
      rates.push_back(static_cast<double>(count) / seconds_since(t0));
    }
    return percentile(rates, 0.5);
  }

  // N device processes: all sync at once (phase 1), then all edit and upload (phase 2).
  Outcome run(int devices) {
    int go_download[2], go_upload[2];
    if (pipe(go_download) != 0 || pipe(go_upload) != 0) throw std::runtime_error("pipe");
    std::vector<std::pair<pid_t, int>> children;
    for (int i = 0; i < devices; ++i) {
      int report[2];
      if (pipe(report) != 0) throw std::runtime_error("pipe");
      pid_t pid = fork();
      if (pid == 0) {
        close(go_download[1]);
        close(go_upload[1]);
        close(report[0]);
        device(devices, i, go_download[0], go_upload[0], report[1]);
        _exit(0);
      }
      close(report[1]);
      children.emplace_back(pid, report[0]);
    }
    close(go_download[0]);
    close(go_upload[0]);
    Outcome out;
    std::vector<double> per_device;
    auto phase = [&](int release, Phase& p, auto&& take) {
      double cpu0 = server_cpu(server_, pg_pid());
      auto t0 = Clock::now();
      close(release);  // every device waiting on it starts now
      for (auto& [pid, fd] : children) {
        auto j = sync::json::parse(read_line(fd), nullptr, false);
        if (!j.is_object()) {
          out.errors.push_back("a device process reported nothing");
          continue;
        }
        if (!j.value("error", "").empty()) out.errors.push_back(j.value("error", ""));
        take(j);
      }
      p.wall_s = seconds_since(t0);
      p.server_cpu_s = server_cpu(server_, pg_pid()) - cpu0;
    };
    phase(go_download[1], out.download, [&](const sync::json& j) {
      int64_t rows = j.value("rows", int64_t{0});
      double s = j.value("seconds", 0.0);
      out.rows += rows;
      if (s > 0) per_device.push_back(static_cast<double>(rows) / s);
    });
    phase(go_upload[1], out.upload, [&](const sync::json& j) {
      auto l = j.value("latencies_ms", std::vector<double>{});
      out.latencies_ms.insert(out.latencies_ms.end(), l.begin(), l.end());
    });
    for (auto& [pid, fd] : children) {
      close(fd);
      waitpid(pid, nullptr, 0);
    }
    out.median_device_rows_per_s = percentile(per_device, 0.5);
    return out;
  }

 private:
  // A device process: waits, initial sync, reports; waits, edits + upload-only syncs, reports.
  void device(int devices, int i, int go_download, int go_upload, int report) {
    std::string name = fmt::format("device{:02}", i + 1);
    auto store = host::Store::open(dir_ / fmt::format("n{}-{}.db", devices, name));
    sync::DeviceSyncOptions o = options(name);
    o.force = true;
    char c;
    (void)!read(go_download, &c, 1);  // returns when the parent closes its end
    auto t0 = Clock::now();
    auto first = sync::DeviceSync(*store, o).run();
    int64_t rows = 0;
    for (const auto& t : first.tables) rows += t.downloaded;
    write_line(report, {{"rows", rows}, {"seconds", seconds_since(t0)}, {"error", first.error}});

    (void)!read(go_upload, &c, 1);
    std::vector<double> latencies;
    std::string error;
    auto accounts = store->rows("Accounts", edits_);
    o.upload_only = true;
    for (int k = 0; k < edits_ && !accounts.empty() && error.empty(); ++k) {
      auto key =
          std::get<std::string>(accounts[static_cast<size_t>(k) % accounts.size()][0].second);
      {
        auto tx = store->transaction();
        tx.update("Accounts", key, {{"Name", fmt::format("edit {} of {}", k, name)}});
        tx.commit();
      }
      auto t = Clock::now();
      auto up = sync::DeviceSync(*store, o).run();
      latencies.push_back(seconds_since(t) * 1000);
      if (!up.ok || up.uploaded != 1)
        error = up.error.empty() ? "an edit was not uploaded" : up.error;
    }
    write_line(report, {{"latencies_ms", latencies}, {"error", error}});
  }

  sync::DeviceSyncOptions options(const std::string& name) {
    sync::DeviceSyncOptions o;
    o.server_url = fmt::format("http://127.0.0.1:{}", port_);
    o.user = name;
    o.token = tokens_.at(name);
    o.timeout_seconds = 600;
    return o;
  }
  pid_t pg_pid() const { return pg_ ? pg_->pid() : -1; }
  void stop_server() {
    if (server_ > 0) {
      kill(server_, SIGTERM);
      waitpid(server_, nullptr, 0);
      server_ = -1;
    }
  }

  std::string storage_;
  int threads_, edits_;
  fs::path dir_;
  std::string location_;
  std::unique_ptr<sync::testing::PostgresServer> pg_;
  std::map<std::string, std::string> tokens_;
  pid_t server_ = -1;
  int port_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> storages{"sqlite", "postgres"};
  std::vector<int> device_counts{1, 10, 50};
  int edits = 100, threads = 16;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--storage")
      storages = v == "both" ? std::vector<std::string>{"sqlite", "postgres"}
                             : std::vector<std::string>{v};
    else if (k == "--devices") {
      device_counts.clear();
      std::stringstream list(v);
      for (std::string n; std::getline(list, n, ',');) device_counts.push_back(std::stoi(n));
    } else if (k == "--edits")
      edits = std::stoi(v);
    else if (k == "--server-threads")
      threads = std::stoi(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  int max_devices = *std::max_element(device_counts.begin(), device_counts.end());
  std::printf("canvasfx sync benchmark: %u cores, server threads %d, %d edits per device\n",
              std::thread::hardware_concurrency(), threads, edits);
  for (const auto& storage : storages) {
    try {
      Bench bench(storage, threads, edits);
      bench.setup(max_devices);
      double baseline = bench.baseline_rows_per_s();
      std::printf(
          "\n[%s] baseline: one process applies a device's rows straight into a store: "
          "%.0f rows/s\n",
          storage.c_str(), baseline);
      std::printf("%8s %10s %12s %12s %10s %10s %12s %16s %16s\n", "devices", "rows", "down rows/s",
                  "median dev", "dev/base", "up p50 ms", "up p95 ms", "srv cpu down s",
                  "srv cpu up s");
      for (int n : device_counts) {
        Outcome o = bench.run(n);
        std::printf(
            "%8d %10lld %12.0f %12.0f %10.2f %10.1f %12.1f %8.1f (%3.0f%%) %7.1f (%3.0f%%)\n", n,
            static_cast<long long>(o.rows), static_cast<double>(o.rows) / o.download.wall_s,
            o.median_device_rows_per_s, o.median_device_rows_per_s / baseline,
            percentile(o.latencies_ms, 0.5), percentile(o.latencies_ms, 0.95),
            o.download.server_cpu_s, 100 * o.download.server_cpu_s / o.download.wall_s,
            o.upload.server_cpu_s, 100 * o.upload.server_cpu_s / o.upload.wall_s);
        for (const auto& e : o.errors) std::printf("    device error: %s\n", e.c_str());
        std::fflush(stdout);
      }
    } catch (const std::exception& e) {
      std::printf("[%s] failed: %s\n", storage.c_str(), e.what());
    }
  }
  return 0;
}
