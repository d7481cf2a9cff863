// Upsync: per-column merges (last writer wins per column), rejected changes
// (a sync error on the device, the globe shows GlobeError, the row shows the
// server's values again), creates and deletes, and change ids that make a
// change sent twice apply once.
#include <fmt/format.h>
#include <httplib.h>

#include "host_fixture.h"
#include "sync_fixture.h"

namespace canvasfx::sync::testing {
namespace {

using host::testing::HostedEngine;
using host::testing::kGlobeFormula;

class Upsync : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    seed_small();
    publish(kAcceptanceProfile);
    add_editors();
    bu_ = service_->find_user("alice")->business_unit;
    account_ =
        as_text(server_query("SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_bu = ? "
                             "AND _cfx_deleted = 0 ORDER BY \"AccountId\"",
                             {bu_})[0][0]);
  }

  SqlValue server_value(const std::string& column, const std::string& key) {
    return server_query(
        fmt::format("SELECT \"{}\" FROM \"Accounts\" WHERE \"AccountId\" = ?", column),
        {key})[0][0];
  }

  static std::string local_value(Device& d, const std::string& key, const std::string& column) {
    auto row = d.store->get_row("Accounts", key);
    if (!row) return "<no row>";
    for (const auto& [name, cell] : *row)
      if (name == column) return cell_to_json(host::ColumnType::Text, cell).dump();
    return "<no column>";
  }

  std::string bu_, account_;
};

TEST_F(Upsync, EditsOfDifferentColumnsBothSurvive) {
  Device a = device("alice"), b = device("bob");
  ASSERT_TRUE(a.sync().ok);
  ASSERT_TRUE(b.sync().ok);
  a.store->set_connected(false);
  b.store->set_connected(false);
  edit(*a.store, "Accounts", account_, {{"Name", std::string("Name from A")}});
  edit(*b.store, "Accounts", account_, {{"City", std::string("City from B")}});
  a.store->set_connected(true);
  b.store->set_connected(true);
  auto ra = a.sync(), rb = b.sync();
  ASSERT_TRUE(ra.ok) << ra.error;
  ASSERT_TRUE(rb.ok) << rb.error;
  EXPECT_EQ(ra.uploaded, 1);
  EXPECT_EQ(rb.uploaded, 1);
  EXPECT_EQ(as_text(server_value("Name", account_)), "Name from A");
  EXPECT_EQ(as_text(server_value("City", account_)), "City from B");
  // B already holds both (its download came after A's upload); A gets B's city next time.
  EXPECT_EQ(local_value(b, account_, "Name"), "\"Name from A\"");
  ASSERT_TRUE(a.sync().ok);
  EXPECT_EQ(local_value(a, account_, "City"), "\"City from B\"");
  EXPECT_EQ(local_rows(*a.store, "Accounts"), local_rows(*b.store, "Accounts"));
}

TEST_F(Upsync, TheLaterWriteOfAColumnWinsAndReplacesTheOther) {
  Device a = device("alice"), b = device("bob");
  ASSERT_TRUE(a.sync().ok);
  ASSERT_TRUE(b.sync().ok);
  edit(*a.store, "Accounts", account_, {{"Name", std::string("A wrote first")}});
  edit(*b.store, "Accounts", account_, {{"Name", std::string("B wrote later")}});
  ASSERT_TRUE(a.sync().ok);
  EXPECT_EQ(as_text(server_value("Name", account_)), "A wrote first");
  ASSERT_TRUE(b.sync().ok);
  EXPECT_EQ(as_text(server_value("Name", account_)), "B wrote later");
  EXPECT_EQ(local_value(a, account_, "Name"), "\"A wrote first\"");
  ASSERT_TRUE(a.sync().ok);
  EXPECT_EQ(local_value(a, account_, "Name"), "\"B wrote later\"");
}

TEST_F(Upsync, AForbiddenChangeBecomesASyncErrorAndIsReverted) {
  // user004 (write scope "user") holds the business unit's rows but owns only some.
  auto u = service_->find_user("user004");
  std::string theirs = as_text(server_query(
      "SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_bu = ? AND _cfx_owner_user <> ? AND "
      "_cfx_owner_team IS NULL AND _cfx_deleted = 0 ORDER BY \"AccountId\"",
      {u->business_unit, u->id})[0][0]);
  std::string server_name = as_text(server_value("Name", theirs));
  Device d = device("user004");
  ASSERT_TRUE(d.sync().ok);
  edit(*d.store, "Accounts", theirs, {{"Name", std::string("Not yours")}});

  HostedEngine hosted(host::Store::open(dir_ / "user004.db"));
  EXPECT_EQ(hosted.run(kGlobeFormula), "Icon.GlobeChangesPending");
  auto r = d.sync();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.uploaded, 0);
  EXPECT_EQ(d.store->queue_size(), 0);

  auto errors = d.store->sync_errors(/*unresolved_only=*/true);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].table, "Accounts");
  EXPECT_EQ(errors[0].record_id, theirs);
  EXPECT_EQ(errors[0].action, host::QueueAction::Update);
  EXPECT_EQ(errors[0].error_code, kAccessDenied.code);
  EXPECT_EQ(errors[0].error_type, "access denied");
  EXPECT_NE(errors[0].message.find("may not change"), std::string::npos) << errors[0].message;
  EXPECT_GT(errors[0].error_time, 0);

  EXPECT_EQ(hosted.run(kGlobeFormula), "Icon.GlobeError");
  EXPECT_EQ(hosted.run("Connection.Sync"), "ConnectionSync.ConnectedError");
  EXPECT_EQ(local_value(d, theirs, "Name"),
            cell_to_json(host::ColumnType::Text, server_name).dump());
  EXPECT_EQ(as_text(server_value("Name", theirs)), server_name);
  hosted.run("ShowHostInfo(HostInfo.OfflineSync)");
  EXPECT_NE(hosted.output.find("Sync errors: 1"), std::string::npos) << hosted.output;
  EXPECT_NE(hosted.output.find(kAccessDenied.code), std::string::npos) << hosted.output;

  d.store->set_connected(false);
  EXPECT_EQ(hosted.run(kGlobeFormula), "Icon.GlobeError");
  EXPECT_EQ(hosted.run("Connection.Sync"), "ConnectionSync.NotConnectedSyncError");
}

TEST_F(Upsync, InvalidChangesAreRejectedWithTheirReason) {
  Device d = device("alice");
  ASSERT_TRUE(d.sync().ok);
  auto contacts = d.store->rows("Contacts", 2);
  ASSERT_EQ(contacts.size(), 2u);
  std::string gone = std::get<std::string>(contacts[0][0].second);
  std::string contact = std::get<std::string>(contacts[1][0].second);
  edit(*d.store, "Accounts", account_, {{"Name", std::string("")}});  // required
  edit(*d.store, "Contacts", contact,
       {{"Account", std::string("00000000-0000-4000-8000-000000000000")}});  // no such account
  edit(*d.store, "Contacts", gone, {{"FullName", std::string("Renamed")}});
  service_->delete_row("Contacts", gone);  // the server deleted it meanwhile
  {
    auto tx = d.store->transaction();
    tx.create("Accounts", {{"City", std::string("No name")}});  // a create without its Name
    tx.commit();
  }
  auto r = d.sync();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.rejected, 4);
  std::map<std::string, std::string> codes;
  for (const auto& e : d.store->sync_errors(true)) codes[e.error_type] = e.error_code;
  EXPECT_EQ(codes.size(), 3u);
  EXPECT_EQ(codes["required column empty"], kRequiredEmpty.code);
  EXPECT_EQ(codes["broken lookup"], kBrokenLookup.code);
  EXPECT_EQ(codes["record not found"], kRecordNotFound.code);
  EXPECT_EQ(d.store->queue_size(), 0);
  EXPECT_FALSE(d.store->get_row("Contacts", gone));  // the server no longer has it
  // The contact points at its server account again.
  std::string account = as_text(server_query(
      "SELECT \"Account\" FROM \"Contacts\" WHERE \"ContactId\" = ?", {contact})[0][0]);
  EXPECT_NE(local_rows(*d.store, "Contacts")[contact].find("Account=\"" + account + "\""),
            std::string::npos);
  EXPECT_EQ(local_value(d, account_, "Name"),
            cell_to_json(host::ColumnType::Text, as_text(server_value("Name", account_))).dump());
}

TEST_F(Upsync, CreatesAndDeletesReachTheServerAndOtherDevices) {
  Device a = device("alice"), b = device("bob");
  ASSERT_TRUE(a.sync().ok);
  ASSERT_TRUE(b.sync().ok);
  std::string created;
  {
    auto tx = a.store->transaction();
    created = tx.create("Accounts", {{"Name", std::string("Brand new")}, {"Active", true}});
    tx.remove("Accounts", account_);
    tx.commit();
  }
  auto ra = a.sync();
  ASSERT_TRUE(ra.ok) << ra.error;
  EXPECT_EQ(ra.uploaded, 2);
  auto row = server_query(
      "SELECT \"Name\", _cfx_owner_user, _cfx_bu FROM \"Accounts\" WHERE "
      "\"AccountId\" = ?",
      {created});
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(as_text(row[0][0]), "Brand new");
  EXPECT_EQ(as_text(row[0][1]), user_id("alice"));
  EXPECT_EQ(as_text(row[0][2]), bu_);
  EXPECT_EQ(as_int(server_query("SELECT _cfx_deleted FROM \"Accounts\" WHERE \"AccountId\" = ?",
                                {account_})[0][0]),
            1);
  ASSERT_TRUE(b.sync().ok);
  EXPECT_TRUE(b.store->get_row("Accounts", created));
  EXPECT_FALSE(b.store->get_row("Accounts", account_));
  EXPECT_EQ(local_rows(*a.store, "Accounts"), local_rows(*b.store, "Accounts"));
  EXPECT_EQ(local_rows(*a.store, "Contacts"), local_rows(*b.store, "Contacts"));
}

TEST_F(Upsync, AChangeSentTwiceIsAppliedOnce) {
  httplib::Client client(url());
  client.set_default_headers({{"Authorization", "Bearer " + tokens_["alice"]}});
  auto push = [&](const std::string& name) {
    json body = {{"device", "d1"},
                 {"changes",
                  {{{"id", "d1:1"},
                    {"table", "Accounts"},
                    {"record", account_},
                    {"action", "update"},
                    {"base_version", nullptr},
                    {"values", {{"Name", name}}}}}}};
    auto res = client.Post("/v1/push", body.dump(), "application/json");
    EXPECT_TRUE(res);
    return res ? json::parse(res->body) : json();
  };
  int64_t before = service_->current_version();
  json first = push("Once");
  EXPECT_EQ(first["results"][0]["status"], "accepted");
  EXPECT_FALSE(first["results"][0].value("replayed", false));
  service_->update_row("Accounts", account_, {{"Name", std::string("Changed since")}});
  json again = push("Once");
  EXPECT_EQ(again["results"][0]["status"], "accepted");
  EXPECT_TRUE(again["results"][0]["replayed"]);
  EXPECT_EQ(again["results"][0]["version"], first["results"][0]["version"]);
  EXPECT_EQ(as_text(server_value("Name", account_)), "Changed since");  // not applied again
  EXPECT_EQ(service_->current_version(), before + 2);
  EXPECT_EQ(as_int(server_query("SELECT count(*) FROM _cfx_applied_changes")[0][0]), 1);
}

}  // namespace
}  // namespace canvasfx::sync::testing

namespace canvasfx::sync::testing {
namespace {

// Image columns chosen by the profile travel both ways as bytes.
TEST_F(SyncTest, ImageColumnsTravelAsBytes) {
  seed_small();
  add_editors();
  std::string yaml = kAcceptanceProfile;
  yaml.replace(yaml.find("      - { name: CreatedOn, type: datetime }"), 0,
               "      - { name: Logo, type: image }\n");
  yaml.replace(yaml.find("    relationships:"), 0, "    images: [Logo]\n");
  publish(yaml);
  Device a = device("alice"), b = device("bob");
  ASSERT_TRUE(a.sync().ok);
  ASSERT_TRUE(b.sync().ok);
  std::string key = std::get<std::string>(a.store->rows("Accounts", 1).at(0)[0].second);
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), jpeg("\xff\xd8\xff\xe0 jfif", 9);
  {
    auto tx = a.store->transaction();
    tx.update("Accounts", key, {{"Logo", png}});
    tx.commit();
  }
  auto ra = a.sync();
  ASSERT_TRUE(ra.ok) << ra.error;
  auto blob = server_query("SELECT \"Logo\" FROM \"Accounts\" WHERE \"AccountId\" = ?", {key});
  ASSERT_TRUE(std::holds_alternative<Blob>(blob[0][0]));
  EXPECT_EQ(std::get<Blob>(blob[0][0]).bytes, png);
  ASSERT_TRUE(b.sync().ok);
  auto row = b.store->get_row("Accounts", key);
  ASSERT_TRUE(row);
  for (const auto& [name, cell] : *row)
    if (name == "Logo") {
      EXPECT_EQ(std::get<std::string>(cell), png);
    }
  // An attachment upload (a queued image content change) carries the column's bytes.
  {
    auto tx = b.store->transaction();
    tx.update("Accounts", key, {{"Logo", jpeg}});
    tx.queue_attachment("Accounts", key, "Logo", host::QueueContent::Image,
                        host::QueueAction::Update);
    tx.commit();
  }
  auto rb = b.sync();
  ASSERT_TRUE(rb.ok) << rb.error;
  EXPECT_EQ(rb.uploaded, 2);
  blob = server_query("SELECT \"Logo\" FROM \"Accounts\" WHERE \"AccountId\" = ?", {key});
  EXPECT_EQ(std::get<Blob>(blob[0][0]).bytes, jpeg);
}

}  // namespace
}  // namespace canvasfx::sync::testing
