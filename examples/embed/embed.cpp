// A minimal player shell: it embeds canvasfx through the public API only.
//
// It checks a control property once, then re-evaluates the compiled formula
// each time an input changes, as a canvas player does when a signal or a
// variable changes. Exit status 0 means every result was what it expected.
#include <cstdio>
#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"

int main() {
  canvasfx::Engine engine;
  canvasfx::stdlib::install(engine);

  // A host variable the formula reads.
  auto slider = engine.declare("SliderValue", canvasfx::Type::number(), canvasfx::Value::number(0));

  // Check once: diagnostics come with spans and Power Fx messages.
  auto label = engine.check(R"(If(SliderValue > 5, "High: " & SliderValue * 2, "Low"))");
  if (!label.ok()) {
    for (const auto& d : label.diagnostics)
      std::fprintf(stderr, "%s\n", canvasfx::format_diagnostic(d).c_str());
    return 1;
  }

  // Evaluate many times with new values.
  const struct {
    double input;
    const char* expected;
  } cases[] = {{3, "\"Low\""}, {7, "\"High: 14\""}, {10, "\"High: 20\""}};
  int failures = 0;
  for (const auto& c : cases) {
    engine.set_value(slider, canvasfx::Value::number(c.input));
    std::string shown = canvasfx::print_value(label.formula->eval(engine));
    std::printf("SliderValue = %g -> %s\n", c.input, shown.c_str());
    if (shown != c.expected) ++failures;
  }

  // A formula with an error reports it instead of crashing.
  auto bad = engine.check("SliderValue +");
  std::printf("diagnostics for 'SliderValue +': %zu\n", bad.diagnostics.size());
  if (bad.ok() || bad.diagnostics.empty()) ++failures;

  return failures == 0 ? 0 : 1;
}
