// The web player's latency: one character typed into the search box of the
// offline example (examples/offline-app), whose gallery filters the 3,000
// demo accounts (FirstN(Sort(Filter(Accounts, StartsWith(Name, SearchBox.Text)),
// Name), 10)), until the changed properties reach the page. Two ways, in
// the same run:
//   ToThePage    POST /api/event {"kind": "text"} to a running play server,
//                until its patch arrives on a client of GET /api/events (what
//                a browser receives: HTTP, the runtime, the view diff, SSE);
//   RuntimeOnly  the baseline: Runtime::type_text and the recomputed view of
//                the screen in this process, without the server.
// Each is timed 100 times (one keystroke each); the program prints the
// medians, ToThePage's against the 50 ms budget, and their ratio.
// Run: build/canvasfx_play_bench
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "canvasfx/host/store.h"
#include "canvasfx/player/runtime.h"
#include "canvasfx/web/event_stream_client.h"
#include "canvasfx/web/play_server.h"

namespace {

namespace fs = std::filesystem;
namespace web = canvasfx::web;
namespace player = canvasfx::player;
using nlohmann::json;

const fs::path kApp = fs::path(CANVASFX_SOURCE_DIR) / "examples/offline-app";

// The text after the i-th keystroke: one letter, a different one each time,
// so that every keystroke changes the gallery's rows.
std::string keystroke(int i) { return std::string(1, static_cast<char>('A' + i % 26)); }

struct Folder {
  Folder() {
    std::random_device entropy;
    path = fs::temp_directory_path() / ("canvasfx-play-bench-" + std::to_string(entropy()));
    fs::create_directories(path);
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

struct PageFixture {
  Folder folder;
  std::unique_ptr<web::PlayServer> server;
  std::unique_ptr<httplib::Client> http;
  std::unique_ptr<web::EventStreamClient> events;
  int typed = 0;

  PageFixture() {
    web::PlayOptions options;
    options.app_path = kApp;
    options.store_path = folder.path / "store.db";
    server = web::PlayServer::create(options);
    server->start();
    http = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    http->set_keep_alive(true);
    events = std::make_unique<web::EventStreamClient>(server->port(), server->token());
    events->wait_for([](const auto& e) { return e.name == "screen"; }, std::chrono::seconds(30));
  }
};

struct RuntimeFixture {
  Folder folder;
  std::unique_ptr<canvasfx::host::Store> store;
  std::unique_ptr<player::Runtime> runtime;
  int typed = 0;

  RuntimeFixture() {
    store =
        canvasfx::host::Store::open(folder.path / "store.db", {.create = true, .seed_demo = true});
    player::RuntimeOptions options;
    options.store = store.get();
    runtime = player::Runtime::create(player::load_app(kApp), options);
    runtime->start();
  }
};

PageFixture* g_page = nullptr;
RuntimeFixture* g_runtime = nullptr;

void BM_TypeOneCharacter_ToThePage(benchmark::State& state) {
  for (auto _ : state) {
    json event = {{"kind", "text"}, {"control", "SearchBox"}, {"text", keystroke(g_page->typed++)}};
    auto res = g_page->http->Post("/api/event?token=" + g_page->server->token(), event.dump(),
                                  "application/json");
    if (!res || res->status != 200) {
      state.SkipWithError("the event was refused");
      return;
    }
    uint64_t seq = json::parse(res->body)["seq"];
    auto patch = g_page->events->wait_for(
        [seq](const auto& e) {
          return e.name == "patch" && json::parse(e.data)["seq"].template get<uint64_t>() >= seq;
        },
        std::chrono::seconds(10));
    if (!patch) {
      state.SkipWithError("no patch arrived");
      return;
    }
  }
}
BENCHMARK(BM_TypeOneCharacter_ToThePage)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_TypeOneCharacter_RuntimeOnly(benchmark::State& state) {
  for (auto _ : state) {
    g_runtime->runtime->type_text("SearchBox", keystroke(g_runtime->typed++));
    benchmark::DoNotOptimize(g_runtime->runtime->view());
  }
}
BENCHMARK(BM_TypeOneCharacter_RuntimeOnly)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Prints the medians against the budget, and the ratio of the two.
class MedianReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median")
        medians_[r.run_name.function_name] = r.GetAdjustedRealTime();
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    double page = medians_["BM_TypeOneCharacter_ToThePage"];
    double runtime = medians_["BM_TypeOneCharacter_RuntimeOnly"];
    if (page <= 0 || runtime <= 0) return;
    std::printf("one keystroke to the page: median %.2f ms of 100 (acceptance: <= 50 ms)\n", page);
    std::printf("runtime alone: median %.2f ms; ToThePage / RuntimeOnly = %.2f\n", runtime,
                page / runtime);
  }

 private:
  std::map<std::string, double> medians_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  PageFixture page;
  RuntimeFixture runtime;
  auto accounts = runtime.runtime->eval("CountRows(Accounts)");
  std::printf("the demo store holds %s accounts\n", canvasfx::print_value(accounts).c_str());
  g_page = &page;
  g_runtime = &runtime;
  MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  page.events.reset();
  page.server->stop();
  return 0;
}
