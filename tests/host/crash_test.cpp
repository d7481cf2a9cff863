// A process killed (SIGKILL) in the middle of a loop of Patch calls leaves a
// store where every committed change has its upsync-queue entry and there is
// nothing else: a row change and its queue entry commit in one transaction.
#ifdef CANVASFX_HAVE_HOST
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "host_fixture.h"
#include "test_util.h"

namespace canvasfx::host::testing {
namespace {

// The child: writes through Power Fx formulas until it is killed.
[[noreturn]] void patch_forever(const std::filesystem::path& path) {
  auto store = Store::open(path, {.create = false});
  HostedEngine h(std::move(store));
  CheckOptions behavior;
  behavior.behavior = true;
  h.engine.set_value("i", Value::number(0));
  auto collect = h.engine.check("Collect(Counters, {Id: \"c\" & Text(i), Value: 0})", behavior);
  auto patch = h.engine.check(
      "Patch(Counters, LookUp(Counters, Id = \"c\" & Text(Mod(i, 20))), {Value: i})", behavior);
  if (!collect.ok() || !patch.ok()) _exit(2);
  for (int i = 0;; ++i) {
    h.engine.set_value("i", Value::number(i));
    Value v = (i < 20 ? collect : patch).formula->eval(h.engine);
    if (v.is_error()) _exit(3);
    if (i == 40) {
      std::FILE* f = std::fopen((path.string() + ".ready").c_str(), "w");
      std::fclose(f);
    }
  }
}

TEST(Crash, KilledInAPatchLoopLosesNoQueueEntry) {
  TempDir dir;
  auto path = dir / "crash.db";
  {
    auto store = Store::open(path);
    store->create_table(
        {.name = "Counters",
         .key_column = "Id",
         .columns = {{"Id", ColumnType::Text, ""}, {"Value", ColumnType::Number, ""}}});
  }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) patch_forever(path);
  // Let it get going, then kill it mid-loop.
  auto ready = path.string() + ".ready";
  for (int i = 0; i < 500 && !std::filesystem::exists(ready); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself: " << status;
  ASSERT_TRUE(std::filesystem::exists(ready)) << "the child never got going";

  auto store = Store::open(path, {.create = false});
  // Replaying the queue from an empty table must give the table exactly.
  std::map<std::string, double> replayed;
  size_t updates = 0;
  for (const auto& e : store->queue()) {
    auto changes = nlohmann::json::parse(e.changes_json);
    ASSERT_EQ(e.table, "Counters");
    if (e.action == QueueAction::Create) {
      ASSERT_FALSE(replayed.count(e.record_id)) << e.record_id;
      replayed[e.record_id] = changes.value("Value", -1.0);
    } else {
      ASSERT_EQ(e.action, QueueAction::Update);
      ASSERT_TRUE(replayed.count(e.record_id)) << e.record_id;
      replayed[e.record_id] = changes.at("Value").get<double>();
      ++updates;
    }
  }
  std::map<std::string, double> actual;
  for (const auto& row : store->rows("Counters"))
    actual[std::get<std::string>(row[0].second)] = std::get<double>(row[1].second);
  EXPECT_EQ(actual, replayed);
  EXPECT_EQ(actual.size(), 20u);
  EXPECT_GT(updates, 20u);
}

}  // namespace
}  // namespace canvasfx::host::testing
#endif
