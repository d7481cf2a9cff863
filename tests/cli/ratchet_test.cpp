#include "ratchet.h"

#include <gtest/gtest.h>

namespace canvasfx::cli {
namespace {

TEST(Ratchet, ParseAndFormatRoundTrip) {
  std::vector<std::string> errors;
  auto t = parse_ratchet(
      "# comment\nexpressions/Abs.txt\t12\r\nmutation/IfError.txt\t0\nbad line\nx\t-1\n", &errors);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t["expressions/Abs.txt"], 12);
  EXPECT_EQ(t["mutation/IfError.txt"], 0);
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_EQ(parse_ratchet(format_ratchet(t)), t);
}

TEST(Ratchet, CompareFindsFilesThatWentDown) {
  RatchetTable recorded{{"a.txt", 5}, {"b.txt", 3}, {"gone.txt", 9}};
  RatchetTable now{{"a.txt", 4}, {"b.txt", 7}, {"new.txt", 1}};
  auto r = compare_ratchet(recorded, now);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].path, "a.txt");
  EXPECT_EQ(r[0].recorded, 5);
  EXPECT_EQ(r[0].now, 4);
  EXPECT_TRUE(compare_ratchet(recorded, recorded).empty());
}

TEST(Ratchet, UpdateNeverLowers) {
  RatchetTable recorded{{"a.txt", 5}, {"b.txt", 3}, {"gone.txt", 9}};
  RatchetTable now{{"a.txt", 4}, {"b.txt", 7}, {"new.txt", 1}};
  std::vector<RatchetRegression> down;
  auto u = update_ratchet(recorded, now, &down);
  EXPECT_EQ(u, (RatchetTable{{"a.txt", 5}, {"b.txt", 7}, {"gone.txt", 9}, {"new.txt", 1}}));
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].path, "a.txt");
}

}  // namespace
}  // namespace canvasfx::cli
