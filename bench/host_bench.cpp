// The host's delegation benchmark: CountRows(Filter(Accounts, City = "Seattle"))
// over a 1,000,000-row data source, three ways:
//   Delegated  the formula, which the data source answers with one SQL count;
//   DirectSql  the same count written by hand, prepared and run through the
//              SQLite C API on a connection of this process (the baseline);
//   RowByRow   an equivalent formula the source cannot delegate
//              (City & "" = "Seattle"): every row read into the evaluator and
//              filtered there, as without delegation.
// The store is built once in $TMPDIR/canvasfx-host-bench and reused. After the
// runs the program prints Delegated/DirectSql (acceptance: <= 1.5) and
// RowByRow/Delegated (acceptance: >= 10).
// Run: build/canvasfx_host_bench [--benchmark_min_time=...]
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/host/host.h"
#include "canvasfx/host/store.h"
#include "canvasfx/mutable_source.h"
#include "canvasfx/stdlib.h"

namespace {

namespace host = canvasfx::host;
using canvasfx::Value;

constexpr int kRows = 1'000'000;
constexpr const char* kFormula = "CountRows(Filter(Accounts, City = \"Seattle\"))";
constexpr const char* kRowByRowFormula = "CountRows(Filter(Accounts, City & \"\" = \"Seattle\"))";

std::filesystem::path store_path() {
  auto dir = std::filesystem::temp_directory_path() / "canvasfx-host-bench";
  std::filesystem::create_directories(dir);
  return dir / "accounts-1m.db";
}

// Accounts with kRows rows, 1 in 10 in Seattle; written as a sync engine
// downloads rows (no upsync queue entries).
void build_store(const std::filesystem::path& path) {
  std::filesystem::remove(path);
  auto store = host::Store::open(path);
  store->create_table({.name = "Accounts",
                       .key_column = "AccountId",
                       .columns = {{"AccountId", host::ColumnType::Text, ""},
                                   {"Name", host::ColumnType::Text, ""},
                                   {"City", host::ColumnType::Text, ""},
                                   {"Revenue", host::ColumnType::Number, ""}}});
  const char* cities[] = {"Seattle", "Paris", "Oslo", "Lagos", "Lima",
                          "Pune",    "Perth", "Kyiv", "Quito", "Riga"};
  int64_t run = store->begin_sync(/*initial=*/true);
  std::vector<host::Row> rows;
  for (int i = 0; i < kRows; ++i) {
    rows.push_back({{"AccountId", "a" + std::to_string(i)},
                    {"Name", "Account " + std::to_string(i)},
                    {"City", std::string(cities[(i * 7) % 10])},
                    {"Revenue", static_cast<double>(i % 1000)}});
    if (rows.size() == 100'000) {
      store->download_rows(run, "Accounts", rows);
      rows.clear();
    }
  }
  store->end_sync(run, {.tables = {{.table = "Accounts", .succeeded = true}}});
}

struct Fixture {
  Fixture() {
    auto path = store_path();
    bool ok = false;
    if (std::filesystem::exists(path)) {
      try {
        store = host::Store::open(path, {.create = false});
        ok = store->table("Accounts") && store->count_rows("Accounts") == kRows;
      } catch (const host::StoreError&) {
      }
    }
    if (!ok) {
      store.reset();
      std::fprintf(stderr, "building %s (%d rows)...\n", path.c_str(), kRows);
      build_store(path);
      store = host::Store::open(path, {.create = false});
    }
    canvasfx::stdlib::install(engine);
    installed = host::install_host(engine, *store);
    sqlite3_open_v2(path.c_str(), &direct, SQLITE_OPEN_READONLY, nullptr);
  }
  ~Fixture() { sqlite3_close(direct); }

  std::unique_ptr<host::Store> store;
  canvasfx::Engine engine;
  std::unique_ptr<host::Host> installed;
  sqlite3* direct = nullptr;
};

// Checks a formula; a formula that does not compile ends the program with its diagnostics.
std::shared_ptr<canvasfx::CompiledFormula> compile(canvasfx::Engine& engine, const char* formula) {
  auto r = engine.check(formula);
  if (!r.ok()) {
    for (const auto& d : r.diagnostics) std::fprintf(stderr, "%s\n", d.message.c_str());
    std::exit(1);
  }
  return r.formula;
}

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_Delegated(benchmark::State& state) {
  auto& f = fixture();
  auto compiled = compile(f.engine, kFormula);
  double count = 0;
  for (auto _ : state) count = compiled->eval(f.engine).as_number();
  state.counters["rows"] = count;
}
BENCHMARK(BM_Delegated)->Unit(benchmark::kMillisecond);

void BM_DirectSql(benchmark::State& state) {
  auto& f = fixture();
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(f.direct, "SELECT count(*) FROM \"Accounts\" WHERE \"City\" = ?", -1, &st,
                     nullptr);
  double count = 0;
  for (auto _ : state) {
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, "Seattle", -1, SQLITE_STATIC);
    sqlite3_step(st);
    count = static_cast<double>(sqlite3_column_int64(st, 0));
  }
  sqlite3_finalize(st);
  state.counters["rows"] = count;
}
BENCHMARK(BM_DirectSql)->Unit(benchmark::kMillisecond);

void BM_RowByRow(benchmark::State& state) {
  auto& f = fixture();
  auto compiled = compile(f.engine, kRowByRowFormula);
  auto id = *f.engine.find_symbol("Accounts");
  double count = 0;
  for (auto _ : state) {
    // A fresh handle: the rows are read again, as after any change to the table.
    Value current = f.engine.value(id);
    auto* source = dynamic_cast<const canvasfx::MutableTableSource*>(current.source());
    f.engine.set_value(id, source->fresh_value(current.row_type()));
    count = compiled->eval(f.engine).as_number();
  }
  state.counters["rows"] = count;
}
BENCHMARK(BM_RowByRow)->Unit(benchmark::kMillisecond)->Iterations(3);

// Keeps each benchmark's time per iteration for the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs)
      if (r.run_type == Run::RT_Iteration)
        times_[r.benchmark_name()] = {r.GetAdjustedRealTime(), r.GetAdjustedCPUTime()};
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    auto at = [&](const char* name) {
      auto it = times_.find(name);
      return it == times_.end() ? Times{} : it->second;
    };
    Times delegated = at("BM_Delegated"), direct = at("BM_DirectSql");
    Times row = at("BM_RowByRow/iterations:3");
    if (delegated.real <= 0 || direct.real <= 0 || row.real <= 0) return;
    std::printf("Delegated / DirectSql = %.2f real, %.2f CPU (acceptance: <= 1.5)\n",
                delegated.real / direct.real, delegated.cpu / direct.cpu);
    std::printf("RowByRow / Delegated = %.1f real, %.1f CPU (acceptance: >= 10)\n",
                row.real / delegated.real, row.cpu / delegated.cpu);
  }

 private:
  struct Times {
    double real = 0, cpu = 0;
  };
  std::map<std::string, Times> times_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
