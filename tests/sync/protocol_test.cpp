// The protocol's pieces both sides compute: the scope digest, cells on the
// wire, base64, ids.
#include <sys/wait.h>
#include <unistd.h>

#include <regex>

#include "sync_fixture.h"

namespace canvasfx::sync::testing {
namespace {

using host::ColumnType;

TEST(SyncProtocol, TheDigestIgnoresOrderAndSeesEveryKeyAndVersion) {
  ScopeDigest a, b, c, d;
  a.add("k1", 5);
  a.add("k2", 7);
  b.add("k2", 7);
  b.add("k1", 5);
  c.add("k1", 5);
  c.add("k2", 8);   // another version
  d.add("k1", 57);  // "k1"+"57" must not equal "k15"+"7"
  ScopeDigest e;
  e.add("k15", 7);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.hex(), c.hex());
  EXPECT_NE(d.hex(), e.hex());
  EXPECT_EQ(a.count, 2);
  EXPECT_EQ(a.hex().size(), 16u);
}

TEST(SyncProtocol, CellsRoundTripThroughTheirWireForm) {
  std::vector<std::pair<ColumnType, host::Cell>> cells = {
      {ColumnType::Text, std::string("Zoë \"quoted\"")},
      {ColumnType::Number, 1234.5},
      {ColumnType::Boolean, true},
      {ColumnType::DateTime, int64_t{1700000000123}},
      {ColumnType::Guid, std::string("0f8fad5b-d9cb-469f-a165-70867728950e")},
      {ColumnType::Image, std::string("\0\x01\xff bytes", 9)},
      {ColumnType::File, std::string()},
      {ColumnType::Number, host::Cell{}}};
  for (const auto& [type, cell] : cells) {
    json wire = cell_to_json(type, cell);
    auto back = cell_from_json(type, json::parse(wire.dump()));
    ASSERT_TRUE(back) << wire.dump();
    EXPECT_EQ(*back, cell) << wire.dump();
  }
  EXPECT_FALSE(cell_from_json(ColumnType::Number, "12"));
  EXPECT_FALSE(cell_from_json(ColumnType::Boolean, 1));
  EXPECT_FALSE(cell_from_json(ColumnType::DateTime, 1.5));
  EXPECT_FALSE(cell_from_json(ColumnType::Text, json::array()));
  EXPECT_FALSE(cell_from_json(ColumnType::Image, json{{"base64", "not base64!"}}));
  EXPECT_FALSE(cell_from_json(ColumnType::Image, "AAAA"));
}

TEST(SyncProtocol, Base64RejectsWhatIsNotBase64) {
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(base64_decode("aGk="), "hi");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_FALSE(base64_decode("aGVsbG8"));
  EXPECT_FALSE(base64_decode("aGV$bG8="));
}

TEST(SyncProtocol, IdsFromForkedProcessesDiffer) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  if (child == 0) {
    std::string ids = random_guid() + host::new_guid();
    (void)!write(fds[1], ids.data(), ids.size());
    _exit(0);
  }
  std::string mine = random_guid() + host::new_guid();
  std::string theirs(mine.size(), '\0');
  ASSERT_EQ(read(fds[0], theirs.data(), theirs.size()), static_cast<ssize_t>(theirs.size()));
  waitpid(child, nullptr, 0);
  close(fds[0]);
  close(fds[1]);
  EXPECT_NE(mine.substr(0, 36), theirs.substr(0, 36));
  EXPECT_NE(mine.substr(36), theirs.substr(36));
  std::regex guid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(mine.substr(0, 36), guid)) << mine;
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace canvasfx::sync::testing
