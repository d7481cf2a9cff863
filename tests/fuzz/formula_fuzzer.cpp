// Formula text, checked and evaluated (libFuzzer). The first byte picks how:
//   bit 0  behavior formula (OnSelect, the REPL: Set, Collect, `;`), else data-flow
//   bit 1  REPL declarations (Set on a new name declares it)
//   bit 2  the text is a block of definitions (named formulas, functions: Engine::define)
//   bit 3  StronglyTypedBuiltinEnums;  bit 4  TextFirst
// The engine has the standard library and the canvas host over a fresh
// in-memory store with two small tables, so data sources, delegation to SQL
// and writes are fuzzed too. The value is printed (bounded) as the REPL would.
#include <cstddef>
#include <cstdint>
#include <string>

#include "canvasfx/host/host.h"
#include "canvasfx/stdlib.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace canvasfx;
  if (size == 0) return 0;
  uint8_t mode = data[0];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  auto store = host::Store::open_memory();
  fuzz::fill_tiny_store(*store);
  Engine engine;
  stdlib::install(engine);
  auto installed = host::install_host(engine, *store);
  installed->set_output([](const std::string&) {});
  fuzz::limit(engine);
  engine.features().strongly_typed_builtin_enums = mode & 8;
  engine.features().text_first = mode & 16;

  if (mode & 4) {
    DefineResult defined = engine.define(text);
    if (!defined.ok()) return 0;
    text = "1";  // definitions made: use them in nothing more; defining was the test
  }
  CheckOptions options;
  options.behavior = mode & 1;
  options.allow_set_declarations = mode & 2;
  CheckResult checked = engine.check(text, options);
  for (const auto& d : checked.diagnostics) (void)format_diagnostic(d);
  if (!checked.ok()) return 0;
  Value v = checked.formula->eval(engine);
  (void)print_value_bounded(v, 1 << 20);
  return 0;
}
