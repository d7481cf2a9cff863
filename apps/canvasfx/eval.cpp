#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "commands.h"
#include "display.h"

namespace canvasfx::cli {

EvalOutput eval_formula(Engine& engine, std::string_view formula, const CheckOptions& options,
                        bool colour) {
  EvalOutput r;
  try {
    CheckResult checked = engine.check(formula, options);
    r.err = render_diagnostics(formula, checked.diagnostics, colour);
    if (!checked.ok()) {
      r.exit_code = 1;
      return r;
    }
    Value v = checked.formula->eval(engine);
    if (!v.is_void()) r.out = print_value(v) + "\n";
  } catch (const std::exception& e) {
    r.err += fmt::format("internal error: {}\n", sanitize(e.what()));
    r.exit_code = 2;
  }
  return r;
}

bool define_formulas(Engine& engine, std::string_view text, std::string_view source,
                     std::string& err, bool colour) {
  DefineResult defined = engine.define(text);
  if (!defined.diagnostics.empty())
    err += fmt::format("{}:\n{}", source, render_diagnostics(text, defined.diagnostics, colour));
  return defined.ok();
}

namespace {

std::string read_all(std::FILE* f) {
  std::string s;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

}  // namespace

int run_eval(const EvalOptions& options, const CliOptions& cli) {
  std::string formula;
  if (options.formula && *options.formula != "-") {
    formula = *options.formula;
  } else if (options.formula || !::isatty(STDIN_FILENO)) {
    formula = read_all(stdin);
  } else {
    fmt::print(stderr, "canvasfx eval: give a formula, or '-' to read one from stdin\n");
    return 2;
  }
  Engine engine;
  configure_engine(engine, cli);
  CheckOptions check;
  check.behavior = !options.data_flow;
  bool colour = ::isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
  if (options.formulas_file) {
    std::FILE* file = std::fopen(options.formulas_file->c_str(), "rb");
    if (!file) {
      fmt::print(stderr, "canvasfx eval: cannot read {}\n", *options.formulas_file);
      return 2;
    }
    std::string text = read_all(file);
    std::fclose(file);
    std::string err;
    bool ok = define_formulas(engine, text, *options.formulas_file, err, colour);
    std::fwrite(err.data(), 1, err.size(), stderr);
    if (!ok) return 1;
  }
  EvalOutput r = eval_formula(engine, formula, check, colour);
  std::fwrite(r.out.data(), 1, r.out.size(), stdout);
  std::fflush(stdout);
  std::fwrite(r.err.data(), 1, r.err.size(), stderr);
  return r.exit_code;
}

}  // namespace canvasfx::cli
