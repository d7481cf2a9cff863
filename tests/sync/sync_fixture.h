// What the sync tests share: a sync server (SyncService + HttpServer on a free
// port, in a thread) over the storage chosen by $CANVASFX_SYNC_STORAGE
// ("sqlite", the default, or "postgres": a throwaway PostgreSQL cluster,
// started once per test process), a small seeded organization, and devices
// (stores in a temporary directory) that sync with it through HTTP.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "../host/test_util.h"
#include "canvasfx/host/profile.h"
#include "canvasfx/host/store.h"
#include "canvasfx/host/sync_journal.h"
#include "canvasfx/sync/device.h"
#include "canvasfx/sync/server.h"

namespace canvasfx::sync::testing {

bool use_postgres();

// The acceptance profile: organization rows (user and business unit) of
// accounts, the contacts related to the downloaded accounts, and orders by a
// custom filter (open orders above 10,000 or of a Seattle account).
extern const char* const kAcceptanceProfile;

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A fresh, empty storage of the chosen kind.
  std::unique_ptr<Storage> fresh_storage();
  // Seeds a small organization: 3 business units, 6 teams, 12 users (admin,
  // manager01..03, user004..011), 300 accounts, 900 contacts, 600 orders.
  void seed_small();
  // Adds "alice" and "bob", users of the first business unit ("Contoso") who
  // may write all its rows (write scope business_unit).
  void add_editors();
  // Publishes a profile; fails the test on violations.
  void publish(const std::string& yaml);
  std::string url() const;
  // Stops the HTTP server / starts it again on the same port.
  void stop_server();
  void start_server();
  // A `canvasfx server` process on `port` over this test's storage, output to
  // `log`; it answers when this returns (else the test has failed).
  pid_t spawn_server_process(int port, const std::string& log);

  struct Device {
    std::unique_ptr<host::Store> store;
    DeviceSyncOptions options;
    DeviceSyncReport sync(bool force = true);
  };
  Device device(const std::string& user, const std::string& name = "");

  // Runs SQL on the server's storage (the tests' independent queries).
  std::vector<SqlRow> server_query(const std::string& sql, const SqlParams& params = {});
  std::string user_id(const std::string& name);
  // Fails the test unless `store` holds exactly the rows the acceptance profile
  // selects for `user`, by SQL written for that profile by hand (not by the
  // server's scope code): keys, values and versions.
  void expect_exact(host::Store& store, const std::string& user);
  // Rows of an independent query as local_rows() prints them: the first
  // column is the key, then `names` (of `types`), in the local column order.
  std::map<std::string, std::string> server_rows(const std::string& sql, const SqlParams& params,
                                                 const std::vector<std::string>& names,
                                                 const std::vector<host::ColumnType>& types);

  host::testing::TempDir dir_;
  std::string storage_location_;  // the SQLite file, or the PostgreSQL URL
  std::unique_ptr<SyncService> service_;
  std::unique_ptr<HttpServer> http_;
  std::thread thread_;
  int port_ = 0;
  std::map<std::string, std::string> tokens_;
};

// An app's write on a device: changes columns of a row (and queues the update).
void edit(host::Store& store, const std::string& table, const std::string& key,
          const host::Row& changes);

// The rows of a local table as text, keyed by the key column: each other
// column as name=JSON (its wire form), in column order ("Name="x"|City=null|").
std::map<std::string, std::string> local_rows(host::Store& store, const std::string& table);

}  // namespace canvasfx::sync::testing
