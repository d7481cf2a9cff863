// Benchmarks of the app runtime (player/), each beside its baseline in the
// same run (report the ratios; absolute times on a shared machine are noisy):
//
//   BM_Player_NamedFormulaChain / BM_Lua_FormulaChain
//       App.Formulas `a1 = a0 + 1; ... a10000 = a9999 + 1;`, a0 a variable
//       a button's OnSelect sets (`Set(a0, a0 + 1)`, selected in the loop):
//       the time to recompute the chain after a0 changes, per
//       formula (the `ns_per_formula` counter), against the same chain in
//       embedded Lua 5.4 (one compiled function per formula, recomputed in
//       order by a Lua loop, as a Lua-scripted host would).
//   BM_Player_StoreChangeToGlobeIcon
//       examples/offline-app: a second connection to the sync store (as
//       `canvasfx store set connected ...` in another process) flips the
//       connection; the time until poll() reports the globe icon's new value.
//   BM_Player_LoadAndCheckApp / BM_Player_CheckFormulasOnly
//       the largest app under ../shared/apps: load the source and build the
//       runtime (every formula bound), against binding its formulas again in
//       the runtime already built (Runtime::check_formulas: each formula
//       parsed and bound anew). The ratio is the cost of loading and of the
//       app's world around the checks: reading the source and its packages,
//       a symbol and a graph node per control property, the type inference's
//       passes (building parses each distinct text once, and binds some
//       formulas in several passes). Destroying the runtime at the end of an
//       iteration is not loading or checking: its timing is paused.
//       BM_Player_LoadCheckAndDestroyApp times the same with the destruction,
//       for the whole cost of a one-shot check. Building touches far more new
//       memory than checking again does, so the ratio of times moves with
//       the machine's load more than the ratio of instructions does
//       (valgrind --tool=callgrind on the same two calls).
//   BM_Player_LoadAndCheckBesideCheckOnly
//       the two above in turns within each iteration; its `ratio` counter
//       is the one to read on a shared machine.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <lua.hpp>
#include <string>

#include "canvasfx/host/store.h"
#include "canvasfx/player/runtime.h"
#include "canvasfx/player/source.h"

namespace {

namespace fs = std::filesystem;
using namespace canvasfx;
using namespace canvasfx::player;

constexpr int kChain = 10000;

// A pa.yaml app whose App.Formulas hold the chain.
fs::path chain_app() {
  fs::path dir = fs::temp_directory_path() / "canvasfx-bench-chain";
  fs::create_directories(dir / "Src");
  std::string formulas;
  for (int i = 1; i <= kChain; ++i)
    formulas += "      a" + std::to_string(i) + " = a" + std::to_string(i - 1) + " + 1;\n";
  std::FILE* f = std::fopen((dir / "Src" / "App.pa.yaml").c_str(), "wb");
  std::string text = "App:\n  Properties:\n    OnStart: =Set(a0, 0)\n    Formulas: |-\n      =\n" +
                     formulas + "Screens:\n  Main:\n    Children:\n      - Last:\n" +
                     "          Control: Label\n          Properties:\n" + "            Text: =a" +
                     std::to_string(kChain) + "\n" + "      - Bump:\n" +
                     "          Control: Button\n          Properties:\n" +
                     "            OnSelect: =Set(a0, a0 + 1)\n";
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return dir;
}

void BM_Player_NamedFormulaChain(benchmark::State& state) {
  auto runtime = Runtime::create(load_app(chain_app()));
  for (const auto& d : runtime->diagnostics())
    if (d.severity == Severity::Error) {
      state.SkipWithError(("the chain app does not check: " + d.message).c_str());
      return;
    }
  runtime->start();
  runtime->value("Last", "Text");  // computed once: what follows is recalculation
  uint64_t before = runtime->stats().evaluations;
  // a0 changes as an app changes it: a button's OnSelect (bound once, at load).
  double a0 = 0;
  for (auto _ : state) {
    a0 += 1;
    runtime->select("Bump");
    benchmark::DoNotOptimize(runtime->value("Last", "Text"));
  }
  uint64_t recomputed = runtime->stats().evaluations - before;
  if (runtime->value("Last", "Text").as_text() != std::to_string(static_cast<int>(a0) + kChain))
    state.SkipWithError("the chain's last value is wrong");
  state.counters["recomputed_per_change"] =
      static_cast<double>(recomputed) / static_cast<double>(state.iterations());
  state.counters["ns_per_formula"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kChain,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Player_NamedFormulaChain)->Unit(benchmark::kMicrosecond);

void BM_Lua_FormulaChain(benchmark::State& state) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  std::string chunk = "local v = {}\nlocal f = {}\n";
  for (int i = 1; i <= kChain; ++i)
    chunk += "f[" + std::to_string(i) + "] = function(v) return v[" + std::to_string(i - 1) +
             "] + 1 end\n";
  chunk += "return function(a0) v[0] = a0; for i = 1, " + std::to_string(kChain) +
           " do v[i] = f[i](v) end; return v[" + std::to_string(kChain) + "] end\n";
  if (luaL_dostring(L, chunk.c_str())) {
    state.SkipWithError("Lua chunk failed to load");
    lua_close(L);
    return;
  }
  int recompute = luaL_ref(L, LUA_REGISTRYINDEX);
  double a0 = 0;
  for (auto _ : state) {
    a0 += 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, recompute);
    lua_pushnumber(L, a0);
    lua_call(L, 1, 1);
    benchmark::DoNotOptimize(lua_tonumber(L, -1));
    lua_pop(L, 1);
  }
  lua_close(L);
  state.counters["ns_per_formula"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kChain,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Lua_FormulaChain)->Unit(benchmark::kMicrosecond);

fs::path source_dir() { return fs::path(CANVASFX_SOURCE_DIR); }

void BM_Player_StoreChangeToGlobeIcon(benchmark::State& state) {
  fs::path dir = fs::temp_directory_path() / "canvasfx-bench-globe";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = host::Store::open(dir / "store.db", {.create = true, .seed_demo = true});
  host::AppSettings settings = store->app_settings();
  settings.offline_enabled = true;
  store->set_app_settings(settings);
  // The writer: another connection to the same file, as another process has.
  auto writer = host::Store::open(dir / "store.db");
  RuntimeOptions options;
  options.store = store.get();
  auto runtime = Runtime::create(load_app(source_dir() / "examples" / "offline-app"), options);
  runtime->start();
  runtime->value("GlobeIcon", "Icon");
  bool connected = true;
  for (auto _ : state) {
    connected = !connected;
    writer->set_connected(connected);
    while (runtime->poll().empty()) {
    }
  }
  if (print_value(runtime->value("GlobeIcon", "Icon")) !=
      (connected ? "Icon.Globe" : "Icon.GlobeNotConnected"))
    state.SkipWithError("the icon did not follow the store");
}
BENCHMARK(BM_Player_StoreChangeToGlobeIcon)->Unit(benchmark::kMicrosecond);

// The app under ../shared/apps with the most formulas.
fs::path largest_app() {
  fs::path root = source_dir() / ".." / "shared" / "apps";
  fs::path best;
  size_t most = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (!fs::is_directory(entry.path() / "Src")) continue;
    auto loaded = load_app(entry.path());
    if (loaded.ok() && loaded.app->formula_count() > most) {
      most = loaded.app->formula_count();
      best = entry.path();
    }
  }
  return best;
}

const fs::path& the_largest_app() {
  static const fs::path path = largest_app();
  return path;
}

void load_and_check(benchmark::State& state, bool time_destruction) {
  if (the_largest_app().empty()) {
    state.SkipWithError("no app under ../shared/apps");
    return;
  }
  size_t formulas = 0;
  for (auto _ : state) {
    auto runtime = Runtime::create(load_app(the_largest_app()));
    formulas = runtime->formula_count();
    benchmark::DoNotOptimize(runtime);
    if (!time_destruction) state.PauseTiming();
    runtime.reset();
    if (!time_destruction) state.ResumeTiming();
  }
  state.SetLabel(the_largest_app().filename().string());
  state.counters["formulas"] = static_cast<double>(formulas);
}

void BM_Player_LoadAndCheckApp(benchmark::State& state) { load_and_check(state, false); }
BENCHMARK(BM_Player_LoadAndCheckApp)->Unit(benchmark::kMillisecond);

void BM_Player_LoadCheckAndDestroyApp(benchmark::State& state) { load_and_check(state, true); }
BENCHMARK(BM_Player_LoadCheckAndDestroyApp)->Unit(benchmark::kMillisecond);

void BM_Player_CheckFormulasOnly(benchmark::State& state) {
  if (the_largest_app().empty()) {
    state.SkipWithError("no app under ../shared/apps");
    return;
  }
  auto runtime = Runtime::create(load_app(the_largest_app()));
  size_t checked = 0;
  for (auto _ : state) checked = runtime->check_formulas();
  state.SetLabel(the_largest_app().filename().string());
  state.counters["formulas"] = static_cast<double>(checked);
}
BENCHMARK(BM_Player_CheckFormulasOnly)->Unit(benchmark::kMillisecond);

// The two above measured in turns, each iteration loading and checking the app
// and then checking its formulas again in the runtime just built: the two
// share the machine's state of the moment (a shared machine's speed drifts
// by half over seconds), so their ratio (`ratio`: load and check over check
// alone, this repetition's totals) is steadier than that of two benchmarks
// run one after the other. The time reported is the load and check's.
void BM_Player_LoadAndCheckBesideCheckOnly(benchmark::State& state) {
  if (the_largest_app().empty()) {
    state.SkipWithError("no app under ../shared/apps");
    return;
  }
  using Clock = std::chrono::steady_clock;
  double load_seconds = 0, check_seconds = 0;
  for (auto _ : state) {
    auto start = Clock::now();
    auto runtime = Runtime::create(load_app(the_largest_app()));
    auto built = Clock::now();
    size_t checked = runtime->check_formulas();
    auto checked_at = Clock::now();
    benchmark::DoNotOptimize(checked);
    runtime.reset();
    double load = std::chrono::duration<double>(built - start).count();
    load_seconds += load;
    check_seconds += std::chrono::duration<double>(checked_at - built).count();
    state.SetIterationTime(load);
  }
  state.SetLabel(the_largest_app().filename().string());
  state.counters["check_only_ms"] =
      benchmark::Counter(check_seconds * 1000, benchmark::Counter::kAvgIterations);
  state.counters["ratio"] = check_seconds > 0 ? load_seconds / check_seconds : 0;
}
BENCHMARK(BM_Player_LoadAndCheckBesideCheckOnly)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
BENCHMARK_MAIN();
