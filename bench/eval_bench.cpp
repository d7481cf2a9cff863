// Benchmarks of the language core: evaluating compiled formulas and checking
// (parse + bind) a long one. Run: build/canvasfx_bench
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"

namespace {

using canvasfx::Engine;
using canvasfx::EnumInfo;
using canvasfx::Type;
using canvasfx::TypeKind;
using canvasfx::Value;

std::shared_ptr<EnumInfo> make_enum(std::string name, std::initializer_list<const char*> members) {
  auto info = std::make_shared<EnumInfo>();
  info->name = std::move(name);
  info->underlying = TypeKind::Text;
  info->strongly_typed = true;
  for (const char* m : members) info->members.emplace_back(m, Value::text(m));
  return info;
}

const char* kGlobeFormula = R"(Switch(Connection.Sync,
   ConnectionSync.Connected, Icon.Globe,
   ConnectionSync.ConnectedWithWarning, Icon.GlobeWarning,
   ConnectionSync.ConnectedPendingUpsync, Icon.GlobeChangesPending,
   ConnectionSync.ConnectedError, Icon.GlobeError,
   ConnectionSync.ConnectedRefresh, Icon.GlobeRefresh,
   ConnectionSync.NotConnected, Icon.GlobeNotConnected,
   ConnectionSync.NotConnectedWithWarning, Icon.GlobeWarning,
   ConnectionSync.NotConnectedPendingUpsync, Icon.GlobeChangesPending,
   ConnectionSync.NotConnectedSyncError, Icon.GlobeError))";

// The Offline template's globe icon formula over a host-supplied enum value
// that changes between evaluations (as a sync state would).
void BM_GlobeSwitch(benchmark::State& state) {
  Engine engine;
  canvasfx::stdlib::install(engine);
  auto sync =
      make_enum("ConnectionSync",
                {"Connected", "ConnectedWithWarning", "ConnectedPendingUpsync", "ConnectedError",
                 "ConnectedRefresh", "NotConnected", "NotConnectedWithWarning",
                 "NotConnectedPendingUpsync", "NotConnectedSyncError"});
  auto icon = make_enum("Icon", {"Globe", "GlobeWarning", "GlobeChangesPending", "GlobeError",
                                 "GlobeRefresh", "GlobeNotConnected"});
  engine.add_enum(sync);
  engine.add_enum(icon);
  size_t state_index = 0;
  engine.declare_computed("Connection", Type::record({{"Sync", Type::enum_of(sync)}}), [&] {
    return Value::record({{"Sync", Value::enum_member(sync, state_index)}});
  });
  auto checked = engine.check(kGlobeFormula);
  if (!checked.ok()) {
    state.SkipWithError("globe formula does not check");
    return;
  }
  for (auto _ : state) {
    state_index = (state_index + 1) % 9;
    benchmark::DoNotOptimize(checked.formula->eval(engine));
  }
}
BENCHMARK(BM_GlobeSwitch);

// A data-flow formula re-evaluated as its input variable changes.
void BM_IfArithmetic(benchmark::State& state) {
  Engine engine;
  canvasfx::stdlib::install(engine);
  auto x = engine.declare("x", Type::number(), Value::number(0));
  auto checked = engine.check("If(x > 5, x * 2 + 1, x / 3)");
  if (!checked.ok()) {
    state.SkipWithError("formula does not check");
    return;
  }
  double i = 0;
  for (auto _ : state) {
    engine.set_value(x, Value::number(i));
    i = i > 10 ? 0 : i + 1;
    benchmark::DoNotOptimize(checked.formula->eval(engine));
  }
}
BENCHMARK(BM_IfArithmetic);

// Parse + bind of a 1,000-character formula.
std::string long_formula() {
  std::string f = "If(x > 0, ";
  int i = 0;
  while (f.size() < 960) f += "x * " + std::to_string(i++) + " + (x / 7) - ";
  f += "1, \"negative\" & \"!\")";
  return f;
}

void BM_CheckLongFormula(benchmark::State& state) {
  Engine engine;
  canvasfx::stdlib::install(engine);
  engine.declare("x", Type::number(), Value::number(3));
  std::string formula = long_formula();
  if (!engine.check(formula).ok()) {
    state.SkipWithError("long formula does not check");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(engine.check(formula));
  state.counters["chars"] = static_cast<double>(formula.size());
}
BENCHMARK(BM_CheckLongFormula);

}  // namespace

BENCHMARK_MAIN();
