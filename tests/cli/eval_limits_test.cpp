// eval's error results and its bound on printing: an error value is shown with
// its kind and message and exits kExitErrorValue; a result whose text would
// pass the bound is not printed, whatever the format.
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
  EXPECT_EQ(r.exit_code, kExitErrorValue);
  EXPECT_EQ(r.out,
            "Error({Kind:ErrorKind.Div0,Message:\"Invalid operation: division by zero.\"})\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(EvalLimits, AResultLongerThanTheBoundIsNotPrinted) {
  // One shared inner table in each of 50,000 rows: fast to build, gigabytes of text.
  for (OutputFormat format :
       {OutputFormat::Fx, OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv}) {
    auto r = eval_formula(engine_, "ForAll(Sequence(50000), ForAll(Sequence(50000), 1))", {}, false,
                          format, {}, 1 << 20);
    EXPECT_EQ(r.exit_code, kExitErrorValue);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("error: the result is too large to print: its text passes 1 MB"),
              std::string::npos)
        << r.err;
  }
  auto small =
      eval_formula(engine_, "ForAll(Sequence(3), Value)", {}, false, OutputFormat::Fx, {}, 1 << 20);
  EXPECT_EQ(small.exit_code, 0);
  EXPECT_EQ(small.out, "Table({Value:1},{Value:2},{Value:3})\n");
}

}  // namespace
}  // namespace canvasfx::cli
