// The engine's time limit: a formula that would run for a very long time ends
// with a Timeout error value, soon after the limit, and the engine stays usable.
#include <chrono>

#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class TimeLimitTest : public StdlibTest {};

TEST_F(TimeLimitTest, ALongEvaluationEndsAsATimeoutError) {
  engine_.set_time_limit(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  // 2.5 billion inner evaluations: hours without a limit. (The inner Sequence
  // reads the outer row, so the inner ForAll is not evaluated once for all rows.)
  EXPECT_EQ(eval("CountRows(ForAll(Sequence(50000), ForAll(Sequence(50000 - Value), 1)))"),
            "Error({Kind:ErrorKind.Timeout})");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_EQ(eval("1 + 2"), "3");  // the next evaluation starts a new budget
}

TEST_F(TimeLimitTest, NoLimitByDefault) {
  EXPECT_EQ(eval("CountRows(ForAll(Sequence(2000), ForAll(Sequence(100), 1)))"), "2000");
}

}  // namespace
}  // namespace canvasfx
