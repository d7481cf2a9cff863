// eval's error results and its bound on printing: an error value is shown with
// its kind and message and exits kErrorValueExit; a result whose text would
// pass the bound is not printed.
#include <gtest/gtest.h>

#include "canvasfx/stdlib.h"
#include "commands.h"

namespace canvasfx::cli {
namespace {

class EvalLimits : public ::testing::Test {
 protected:
  EvalLimits() { stdlib::install(engine_); }
  Engine engine_;
};

TEST_F(EvalLimits, AnErrorResultShowsItsKindAndMessageAndExitsWithItsStatus) {
  auto r = eval_formula(engine_, "1/0", {}, false);
  EXPECT_EQ(r.exit_code, kErrorValueExit);
  EXPECT_EQ(r.out, "Error({Kind:ErrorKind.Div0})\n");
  EXPECT_EQ(r.err, "error: Div0: Invalid operation: division by zero.\n");
}

TEST_F(EvalLimits, AResultLongerThanTheBoundIsNotPrinted) {
  // One shared inner table in each of 50,000 rows: fast to build, gigabytes of text.
  auto r = eval_formula(engine_, "ForAll(Sequence(50000), ForAll(Sequence(50000), 1))", {}, false,
                        1 << 20);
  EXPECT_EQ(r.exit_code, kErrorValueExit);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("error: the result is too large to print: its text passes 1 MB"),
            std::string::npos)
      << r.err;
  auto small = eval_formula(engine_, "ForAll(Sequence(3), Value)", {}, false, 1 << 20);
  EXPECT_EQ(small.exit_code, 0);
  EXPECT_EQ(small.out, "Table({Value:1},{Value:2},{Value:3})\n");
}

}  // namespace
}  // namespace canvasfx::cli
