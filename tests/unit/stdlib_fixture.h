// The fixture the stdlib family tests share: an engine with the standard
// library, and helpers that show results the way the conformance files do.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"

namespace canvasfx {

class StdlibTest : public ::testing::Test {
 protected:
  StdlibTest() { stdlib::install(engine_); }

  // The canonical printing of the formula's value (or of its diagnostics as an Error).
  std::string eval(std::string_view formula) {
    return print_value(engine_.eval(formula, options_));
  }

  // The diagnostics of a formula, in source order, "Error 0-5: ..." joined by '|'.
  std::string errors(std::string_view formula) {
    std::string out;
    for (const auto& d : engine_.check(formula, options_).diagnostics)
      out += (out.empty() ? "" : "|") + format_diagnostic(d);
    return out;
  }

  // Whether checking the formula reports this message.
  bool reports(std::string_view formula, std::string_view message) {
    for (const auto& d : engine_.check(formula, options_).diagnostics)
      if (d.message == message) return true;
    return false;
  }

  // The last diagnostic's message (the argument's, after the call's), "" when none.
  std::string diagnostic(std::string_view formula) {
    auto result = engine_.check(formula, options_);
    return result.diagnostics.empty() ? "" : result.diagnostics.back().message;
  }

  // The reference configuration of the suite these tests follow; canvas_test.cpp
  // covers the canvas defaults.
  Engine engine_{Features::conformance()};
  CheckOptions options_;
};

}  // namespace canvasfx
