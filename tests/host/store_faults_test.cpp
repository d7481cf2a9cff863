// The store when the disk or the file lets it down: a read-only file, another
// process holding the write lock, a full disk (FaultVfs, fault_vfs.h). Every
// failure is a StoreError naming the file, the operation and SQLite's reason;
// in a formula it is an ErrorKind.Sync error value that IfError and Errors()
// see; nothing acknowledged is lost and nothing half-written stays.
#ifdef CANVASFX_HAVE_HOST
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>

#include "fault_vfs.h"
#include "host_fixture.h"
#include "test_util.h"

namespace canvasfx::host::testing {
namespace {

using Cause = StoreError::Cause;

// The message and cause of the StoreError `f` throws ("" when it throws none).
template <typename F>
std::pair<std::string, Cause> failure_of(F&& f) {
  try {
    f();
  } catch (const StoreError& e) {
    return {e.what(), e.cause()};
  }
  return {"", Cause::Invalid};
}

class StoreFaults : public ::testing::Test {
 protected:
  std::filesystem::path make_store() {
    auto path = dir_ / "store.db";
    Store::open(path, {.create = true, .seed_demo = true});
    return path;
  }
  // Rows and queue entries, as a fingerprint of what a failed write must not change.
  static std::pair<int64_t, int64_t> counts(const std::filesystem::path& path) {
    return {raw_int(path, "SELECT count(*) FROM Accounts"),
            raw_int(path, "SELECT count(*) FROM _cfx_queue")};
  }
  static std::string first_account_name(const std::filesystem::path& path) {
    auto store = Store::open(path, {.create = false});
    return std::get<std::string>(store->rows("Accounts", 1).front()[1].second);
  }

  FaultVfs vfs_;  // first: outlives every connection a test opens
  TempDir dir_;
};

// ---------------------------------------------------------------- read-only

TEST_F(StoreFaults, AReadOnlyFileIsReadableAndEveryWriteSaysWhy) {
  auto path = make_store();
  vfs_.open_read_only(true);
  auto store = Store::open(path, {.create = false});
  EXPECT_EQ(store->tables().size(), 3u);
  auto [message, cause] = failure_of([&] { store->set_connected(false); });
  EXPECT_EQ(message, "cannot change the device state in store '" + path.string() +
                         "': attempt to write a readonly database (the file or its folder is "
                         "read-only)");
  EXPECT_EQ(cause, Cause::ReadOnly);
  EXPECT_EQ(failure_of([&] { store->begin_sync(); }).second, Cause::ReadOnly);
  EXPECT_TRUE(store->device_state().connected);
}

TEST_F(StoreFaults, AFormulaWriteToAReadOnlyStoreIsACatchableSyncError) {
  auto path = make_store();
  auto before = counts(path);
  std::string name = first_account_name(path);
  vfs_.open_read_only(true);
  auto h = std::make_unique<HostedEngine>(Store::open(path, {.create = false}));
  std::string reason = "cannot change a record of 'Accounts' in store '" + path.string() +
                       "': attempt to write a readonly database (the file or its folder is "
                       "read-only)";
  EXPECT_EQ(h->run("IfError(Patch(Accounts, First(Accounts), {Name: \"q\"}).Name, \"ERR: \" & "
                   "FirstError.Message)"),
            "\"ERR: " + reason + "\"");
  EXPECT_EQ(h->run("IfError(Patch(Accounts, First(Accounts), {Name: \"q\"}).Name, "
                   "Text(FirstError.Kind))"),
            "\"1\"");  // ErrorKind.Sync
  EXPECT_EQ(h->run("IsError(Collect(Accounts, {Name: \"new\"}))"), "true");
  EXPECT_EQ(h->run("Patch(Accounts, First(Accounts), {Name: \"q\"})"),
            "Error({Kind:ErrorKind.Sync})");
  // Errors(source): the last write's error, for its record.
  EXPECT_EQ(h->run("CountRows(Errors(Accounts))"), "1");
  EXPECT_EQ(h->run("First(Errors(Accounts)).Error = ErrorKind.Sync"), "true");
  EXPECT_EQ(h->run("First(Errors(Accounts)).Message"), "\"" + reason + "\"");
  EXPECT_EQ(h->run("First(Errors(Accounts)).Record.Name"), "\"" + name + "\"");
  EXPECT_EQ(h->run("CountRows(Errors(Accounts, First(Accounts)))"), "1");
  EXPECT_EQ(h->run("CountRows(Errors(Accounts, Last(Accounts)))"), "0");
  EXPECT_EQ(h->run("CountRows(Errors(Contacts))"), "0");
  EXPECT_EQ(h->run("First(Accounts).Name"), "\"" + name + "\"");
  h.reset();
  vfs_.open_read_only(false);
  EXPECT_EQ(counts(path), before);
}

TEST_F(StoreFaults, ASuccessfulWriteClearsErrors) {
  HostedEngine h;
  EXPECT_EQ(h.run("IsError(Collect(Accounts, {AccountId: First(Accounts).AccountId, Name: "
                  "\"copy\"}))"),
            "true");
  EXPECT_EQ(h.run("First(Errors(Accounts)).Error = ErrorKind.ConstraintViolated"), "true");
  EXPECT_EQ(h.run("IsBlank(First(Errors(Accounts)).Record)"), "true");  // a record being created
  EXPECT_EQ(h.run("Patch(Accounts, First(Accounts), {Name: \"x\"}).Name"), "\"x\"");
  EXPECT_EQ(h.run("IsEmpty(Errors(Accounts))"), "true");
}

// ---------------------------------------------------------------- locked

TEST_F(StoreFaults, AWriterHoldingTheLockMakesWritesFailAfterTheBusyTimeout) {
  auto path = make_store();
  auto before = counts(path);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; UPDATE _cfx_device SET metered = 1;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  {
    HostedEngine h(Store::open(path, {.create = false, .busy_timeout_ms = 100}));
    auto [message, cause] = failure_of([&] { h.store->set_connected(false); });
    EXPECT_EQ(message, "cannot change the device state in store '" + path.string() +
                           "': database is locked (another process is writing to it; gave up "
                           "after 0.1 s)");
    EXPECT_EQ(cause, Cause::Busy);
    EXPECT_EQ(h.run("IfError(Collect(Accounts, {Name: \"x\"}).Name, FirstError.Message)"),
              "\"cannot start a write in store '" + path.string() +
                  "': database is locked (another process is writing to it; gave up after 0.1 "
                  "s)\"");
    // Readers are not blocked by a writer (WAL).
    EXPECT_EQ(h.run("CountRows(Accounts)"), "3000");
    EXPECT_EQ(h.run("Connection.Connected"), "true");
    ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_EQ(h.run("Collect(Accounts, {Name: \"x\"}).Name"), "\"x\"");
  }
  sqlite3_close(other);
  EXPECT_EQ(counts(path), std::make_pair(before.first + 1, before.second + 1));
}

// ---------------------------------------------------------------- full disk

TEST_F(StoreFaults, AFullDiskFailsWritesKeepsReadsAndIsWritableAgainWhenThereIsRoom) {
  auto path = make_store();
  auto h = std::make_unique<HostedEngine>(Store::open(path, {.create = false}));
  // Fill the disk in the middle of a loop of writes: each is all or nothing.
  vfs_.fill_disk_after(40000);
  std::string last;
  int acknowledged = 0;
  for (int i = 0; i < 200 && !vfs_.disk_full(); ++i) {
    last = h->run("Collect(Accounts, {Name: \"row " + std::to_string(i) + "\"}).Name");
    if (last.starts_with("\"row")) ++acknowledged;
  }
  ASSERT_TRUE(vfs_.disk_full());
  EXPECT_GT(acknowledged, 0);
  EXPECT_EQ(h->run("IfError(Collect(Accounts, {Name: \"late\"}).Name, FirstError.Message)"),
            "\"cannot save a write in store '" + path.string() +
                "': database or disk is full (the disk is full)\"");
  auto [message, cause] = failure_of([&] { h->store->set_connected(false); });
  EXPECT_EQ(cause, Cause::Full) << message;
  // Reading goes on while the disk is full.
  EXPECT_EQ(h->run("CountRows(Filter(Accounts, StartsWith(Name, \"row \")))"),
            std::to_string(acknowledged));
  vfs_.make_room();
  EXPECT_EQ(h->run("Collect(Accounts, {Name: \"row after\"}).Name"), "\"row after\"");
  h.reset();
  // Reopened: every acknowledged row is there with its queue entry, and SQLite finds it intact.
  auto reopened = Store::open(path, {.create = false});
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM Accounts WHERE Name LIKE 'row %'"),
            acknowledged + 1);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM _cfx_queue WHERE action = 'create'"),
            acknowledged + 1);
  EXPECT_EQ(raw_int(path,
                    "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = "
                    "'ok'"),
            1);
}

TEST_F(StoreFaults, AStoreOpensAgainAfterTheDiskFilledUpDuringACheckpoint) {
  auto path = make_store();
  {
    auto store = Store::open(path, {.create = false});
    // Enough writes that the WAL holds frames the main file does not.
    auto txn = store->transaction();
    for (int i = 0; i < 500; ++i)
      txn.create("Accounts", {{"Name", std::string("w") + std::to_string(i)}});
    txn.commit();
    vfs_.fill_disk_after(0);  // closing checkpoints into the main file: it fails
  }
  ASSERT_TRUE(vfs_.disk_full());
  EXPECT_TRUE(std::filesystem::exists(path.string() + "-wal"));
  // Still full: the store opens (SQLite reads the WAL) and reads.
  auto [message, cause] = failure_of([&] { Store::open(path, {.create = false}); });
  EXPECT_EQ(message, "");
  vfs_.make_room();
  auto store = Store::open(path, {.create = false});
  EXPECT_EQ(store->count_rows("Accounts"), 3500);
  store->set_connected(false);
  EXPECT_FALSE(store->device_state().connected);
}

TEST_F(StoreFaults, CreatingAStoreOnAFullDiskLeavesNothingBehind) {
  auto path = dir_ / "new.db";
  for (int64_t room : {0, 8192, 200000, 1500000}) {
    SCOPED_TRACE(room);
    vfs_.fill_disk_after(room);
    auto [message, cause] =
        failure_of([&] { Store::open(path, {.create = true, .seed_demo = true}); });
    EXPECT_EQ(cause, Cause::Full) << message;
    EXPECT_TRUE(message.starts_with("cannot create store '" + path.string() + "' (")) << message;
    EXPECT_TRUE(
        message.ends_with("database or disk is full (the disk is full); nothing was left "
                          "behind"))
        << message;
    vfs_.make_room();
    EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
  }
  // With room, the same command creates it complete, with the mode SQLite gives a file.
  auto store = Store::open(path, {.create = true, .seed_demo = true});
  EXPECT_TRUE(store->created());
  EXPECT_EQ(store->count_rows("Accounts"), 3000);
  mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(static_cast<mode_t>(std::filesystem::status(path).permissions()), 0666 & ~mask);
}

}  // namespace
}  // namespace canvasfx::host::testing
#endif
