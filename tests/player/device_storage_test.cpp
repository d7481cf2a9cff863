// SaveData, LoadData and ClearData: the classic way an offline app keeps data
// on the device, kept in the sync store. The store failing under them (another
// process holding its write lock) is an error value the app catches with
// IfError, never an exception out of the runtime.
#include "player_fixture.h"

namespace canvasfx::player::testing {
namespace {

const char* kSaveAndLoad =
    "      - Save:\n"
    "          Control: Button\n"
    "          Properties:\n"
    "            OnSelect: |-\n"
    "              =IfError(SaveData(Table({a: 1}, {a: 2}), \"items\"),\n"
    "                 Set(failure, FirstError.Message))\n"
    "      - Load:\n"
    "          Control: Button\n"
    "          Properties:\n"
    "            OnSelect: |-\n"
    "              =IfError(LoadData(loaded, \"items\", true),\n"
    "                 Set(failure, FirstError.Message))\n"
    "      - Clear:\n"
    "          Control: Button\n"
    "          Properties:\n"
    "            OnSelect: =IfError(ClearData(\"items\"), Set(failure, FirstError.Message))\n"
    "      - Failure:\n"
    "          Control: Label\n"
    "          Properties:\n"
    "            Text: =failure\n"
    "      - Count:\n"
    "          Control: Label\n"
    "          Properties:\n"
    "            Text: =CountRows(loaded)\n";

TEST_F(PlayerTest, SavedDataIsLoadedBackFromTheStore) {
  screen_app(kSaveAndLoad, "    OnStart: |-\n      =ClearCollect(loaded, {a: 0})\n");
  ASSERT_EQ(errors_of(*runtime_), "");
  runtime_->select("Save");
  runtime_->select("Load");
  EXPECT_EQ(value("Count", "Text"), "\"2\"");
  EXPECT_EQ(value("Failure", "Text"), "Blank()");  // no failure was set
}

TEST_F(PlayerTest, DeviceStorageOnALockedStoreIsAnErrorTheAppCatches) {
  auto path = dir_.path() / "device.db";
  store_ = host::Store::open(path, {.create = true, .busy_timeout_ms = 0});
  screen_app(kSaveAndLoad, "    OnStart: |-\n      =ClearCollect(loaded, {a: 0})\n");
  ASSERT_EQ(errors_of(*runtime_), "");
  {
    // Another connection (as another process) holds the write lock.
    auto other = host::Store::open(path, {.create = false, .busy_timeout_ms = 0});
    auto holding = other->transaction();
    runtime_->select("Save");
    std::string failure = value("Failure", "Text");
    EXPECT_NE(failure.find("cannot save the data 'items' in store '" + path.string() + "'"),
              std::string::npos)
        << failure;
    EXPECT_NE(failure.find("locked"), std::string::npos) << failure;
    runtime_->select("Clear");
    EXPECT_NE(value("Failure", "Text").find("cannot clear saved data"), std::string::npos);
  }
  // The lock released: the same formulas work, and nothing was saved before.
  runtime_->select("Load");
  EXPECT_EQ(value("Count", "Text"), "\"1\"");  // LoadData found nothing: `loaded` as it was
  runtime_->select("Save");
  runtime_->select("Load");
  EXPECT_EQ(value("Count", "Text"), "\"2\"");
}

}  // namespace
}  // namespace canvasfx::player::testing
