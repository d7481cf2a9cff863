// The server facing hostile or mistaken clients: every refusal is a clear
// 4xx JSON error, and the server keeps serving. And publishing: the profile
// rules and the catalog's.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync_fixture.h"

namespace canvasfx::sync::testing {
namespace {

class ServerApi : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    seed_small();
    publish(kAcceptanceProfile);
  }

  struct Answer {
    int status = 0;
    json body;
  };

  Answer call(const std::string& method, const std::string& path, const std::string& body,
              httplib::Headers headers = {}, const std::string& type = "application/json",
              const std::string& token = "user004") {
    httplib::Client client(url());
    if (!token.empty() && !headers.count("Authorization"))
      headers.emplace("Authorization", "Bearer " + tokens_[token]);
    httplib::Result r = method == "GET"   ? client.Get(path.c_str(), headers)
                        : method == "PUT" ? client.Put(path.c_str(), headers, body, type.c_str())
                                          : client.Post(path.c_str(), headers, body, type.c_str());
    Answer a;
    if (!r) return a;
    a.status = r->status;
    a.body = json::parse(r->body, nullptr, false);
    return a;
  }

  Answer pull(const json& body) { return call("POST", "/v1/pull", body.dump()); }

  static std::string code(const Answer& a) {
    if (!a.body.is_object() || !a.body.contains("error")) return "<no error>";
    return a.body["error"].value("code", "");
  }

  void expect_alive() {
    Answer a = call("GET", "/v1/health", "");
    EXPECT_EQ(a.status, 200);
  }
};

TEST_F(ServerApi, TokensAreRequiredAndChecked) {
  EXPECT_EQ(call("GET", "/v1/health", "", {}, "", "").status, 200);
  Answer none = call("GET", "/v1/me", "", {}, "", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(code(none), "unauthorized");
  for (const std::string& bad :
       {std::string(64, '0'), std::string("short"), std::string(5000, 'x')}) {
    Answer a = call("GET", "/v1/me", "", {{"Authorization", "Bearer " + bad}});
    EXPECT_EQ(a.status, 401) << bad.size();
  }
  Answer me = call("GET", "/v1/me", "");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.body["user"], "user004");
  EXPECT_EQ(me.body["business_unit"], "Contoso");
}

TEST_F(ServerApi, AForeignHostHeaderIsRefused) {
  for (const std::string& host :
       {std::string("evil.example"), fmt::format("evil.example:{}", port_),
        std::string("127.0.0.1:1")}) {
    Answer a = call("GET", "/v1/me", "", {{"Host", host}});
    EXPECT_EQ(a.status, 421) << host;
    EXPECT_EQ(code(a), "foreign-host");
  }
  EXPECT_EQ(call("GET", "/v1/me", "", {{"Host", fmt::format("localhost:{}", port_)}}).status, 200);
}

TEST_F(ServerApi, MalformedBodiesAreRefusedWithTheirReason) {
  Answer a = call("POST", "/v1/pull", "{\"table\": ");
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(code(a), "bad-json");
  EXPECT_NE(a.body["error"]["message"].get<std::string>().find("at byte"), std::string::npos);
  EXPECT_EQ(
      code(call("POST", "/v1/pull", "table=Accounts", {}, "application/x-www-form-urlencoded")),
      "unsupported-media-type");
  EXPECT_EQ(call("POST", "/v1/pull", "[1, 2]").status, 400);
  EXPECT_EQ(code(call("POST", "/v1/pull", std::string(100000, '[') + std::string(100000, ']'))),
            "bad-json");
  Answer big = call("POST", "/v1/push", std::string(kMaxRequestBytes + 1024, ' '));
  EXPECT_EQ(big.status, 413);
  expect_alive();
}

TEST_F(ServerApi, FieldsAreCheckedByNameTypeAndRange) {
  Answer a = pull({{"since", 0}});
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.body["error"]["message"].get<std::string>().find("'table'"), std::string::npos);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", "zero"}}).status, 400);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", -1}}).status, 400);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", UINT64_MAX}}).status, 400);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", 1e30}}).status, 400);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", 0}, {"limit", 0}}).status, 400);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", 0}, {"limit", kMaxPageSize + 1}}).status, 400);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", 0}, {"phase", "all"}}).status, 400);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", 0}, {"phase", "check"}}).status, 400);
  Answer inj = pull({{"table", "Accounts\"; DROP TABLE \"Accounts"}, {"since", 0}});
  EXPECT_EQ(inj.status, 404);
  EXPECT_EQ(code(inj), "not-in-profile");
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", 0}, {"after", "' OR 1=1 --"}}).status, 200);
  EXPECT_EQ(pull({{"table", "Accounts"}, {"since", 0}}).status, 200);
  EXPECT_EQ(call("GET", "/v1/nothing", "").status, 404);
  EXPECT_EQ(code(call("GET", "/v1/profile?name=Nope", "")), "no-profile");
  expect_alive();
}

TEST_F(ServerApi, BadChangesAreRejectedNotApplied) {
  std::string account = as_text(
      server_query("SELECT \"AccountId\" FROM \"Accounts\" WHERE _cfx_owner_user = ? ORDER BY 1",
                   {user_id("user004")})[0][0]);
  auto change = [&](const std::string& id, json values, const std::string& action = "update",
                    const std::string& record = "") {
    return json{{"id", id},
                {"table", "Accounts"},
                {"record", record.empty() ? account : record},
                {"action", action},
                {"values", values}};
  };
  json changes = json::array(
      {change("x:1", {{"Nope", 1}}), change("x:2", {{"Revenue", "a lot"}}),
       change("x:3", {{"Name", json::array({1, 2})}}), change("x:4", {{"AccountId", "other"}}),
       change("x:5", {{"Name", std::string("a\0b", 3)}}), change("x:6", {}, "explode"),
       change("x:7", {{"Name", "x"}}, "create", "not-a-guid"),
       change("x:8", {{"Name", "Robert'); DROP TABLE \"Accounts\";--"}})});
  Answer a = call("POST", "/v1/push", json{{"changes", changes}}.dump());
  ASSERT_EQ(a.status, 200);
  auto& results = a.body["results"];
  ASSERT_EQ(results.size(), 8u);
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(results[i]["status"], "rejected") << i;
    EXPECT_EQ(results[i]["code"], kInvalidValue.code) << i;
  }
  EXPECT_EQ(results[7]["status"], "accepted");
  EXPECT_EQ(as_text(server_query("SELECT \"Name\" FROM \"Accounts\" WHERE \"AccountId\" = ?",
                                 {account})[0][0]),
            "Robert'); DROP TABLE \"Accounts\";--");

  EXPECT_EQ(call("POST", "/v1/push", json{{"changes", 5}}.dump()).status, 400);
  json many = json::array();
  for (int i = 0; i <= kMaxChangesPerPush; ++i) many.push_back(change(fmt::format("m:{}", i), {}));
  EXPECT_EQ(code(call("POST", "/v1/push", json{{"changes", many}}.dump())), "too-many-changes");
  // A change id is the user's own.
  Answer other =
      call("POST", "/v1/push", json{{"changes", json::array({change("x:8", {})})}}.dump(), {},
           "application/json", "user005");
  EXPECT_EQ(other.status, 409);
  expect_alive();
}

TEST_F(ServerApi, GarbageOnTheSocketDoesNotStopTheServer) {
  for (const std::string& junk :
       {std::string("GARBAGE\r\n\r\n"), std::string(20000, 'A') + "\r\n\r\n",
        std::string("POST /v1/pull HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n"),
        std::string("GET /v1/health HTTP/1.1\r\n") + std::string(100000, 'h') + "\r\n\r\n"}) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    (void)!write(fd, junk.data(), junk.size());
    char buf[256];
    (void)!read(fd, buf, sizeof buf);
    close(fd);
  }
  expect_alive();
}

TEST_F(ServerApi, PublishingNeedsAnAdministratorAndAProfileThatFitsTheServer) {
  std::string yaml = kAcceptanceProfile;
  Answer user = call("PUT", "/v1/profile", json{{"yaml", yaml}}.dump());
  EXPECT_EQ(user.status, 403);
  auto put = [&](const std::string& text) {
    return call("PUT", "/v1/profile", json{{"yaml", text}}.dump(), {}, "application/json", "admin");
  };
  EXPECT_EQ(put(yaml).status, 200);
  Answer malformed = put("name: [unclosed");
  EXPECT_EQ(malformed.status, 422);
  EXPECT_EQ(code(malformed), "profile-malformed");

  auto rules = [&](const std::string& text) {
    Answer a = put(text);
    EXPECT_EQ(a.status, 422);
    std::set<std::string> out;
    for (const auto& v : a.body.value("violations", json::array())) out.insert(v.value("rule", ""));
    return out;
  };
  auto replace = [&](std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  // A rule of the offline profile (as `profile check` reports it).
  EXPECT_TRUE(rules(replace(yaml, "organization: [user, business_unit]",
                            "all: true\n      organization: [user]"))
                  .count("filter.all-rows-exclusive"));
  // Rules of the server's catalog.
  std::string leads = yaml;
  for (size_t at; (at = leads.find("Contacts")) != std::string::npos;)
    leads.replace(at, 8, "Leads");
  EXPECT_TRUE(rules(leads).count("server.table-unknown"));
  EXPECT_TRUE(
      rules(replace(yaml, "{ name: Revenue, type: number }", "{ name: Revenue, type: text }"))
          .count("server.column-type"));
  EXPECT_TRUE(rules(replace(yaml, "{ name: Email, type: text }", "{ name: Mail, type: text }"))
                  .count("server.column-unknown"));
  EXPECT_TRUE(rules(replace(yaml, "value: 10000", "value: lots")).count("server.filter-value"));
  EXPECT_TRUE(rules(replace(yaml, "{ column: Amount, op: gt, value: 10000 }",
                            "{ column: Amount, op: begins_with, value: 1 }"))
                  .count("server.filter-operator"));
  std::string offline = fmt::format(
      "name: P\ntables:\n  - name: Hidden\n    can_be_taken_offline: true\n    key: Id\n    "
      "columns: [{{ name: Id, type: text }}]\n    rows: {{ all: true }}\n");
  service_->define_table({"Hidden", "Id", false, {{"Id", host::ColumnType::Text, "", false}}});
  EXPECT_TRUE(rules(offline).count("server.table-offline"));
}

}  // namespace
}  // namespace canvasfx::sync::testing

namespace canvasfx::sync::testing {
namespace {

// A stop (SIGTERM to `canvasfx server`) that comes while run() is still on its
// way into listening must end run(), not be lost: each iteration would hang.
TEST_F(SyncTest, AStopRightAfterTheStartEndsTheServer) {
  stop_server();
  for (int i = 0; i < 200; ++i) {
    HttpServer server(*service_, 0, 1);
    std::thread serving([&] { server.run(); });
    if (i % 2) std::this_thread::yield();
    server.stop();
    serving.join();
  }
}

}  // namespace
}  // namespace canvasfx::sync::testing
