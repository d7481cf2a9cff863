#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "commands.h"
#include "display.h"

namespace canvasfx::cli {

EvalOutput eval_formula(Engine& engine, std::string_view formula, const CheckOptions& options,
                        bool colour, size_t max_print_bytes) {
  EvalOutput r;
  try {
    CheckResult checked = engine.check(formula, options);
    r.err = render_diagnostics(formula, checked.diagnostics, colour);
    if (!checked.ok()) {
      r.exit_code = 1;
      return r;
    }
    Value v = checked.formula->eval(engine);
    if (v.is_error()) {
      r.exit_code = kErrorValueExit;
      for (const ErrorInfo& e : v.errors()) {
        const char* kind = error_kind_name(e.kind);
        r.err += fmt::format("error: {}{}{}\n", kind ? kind : std::to_string(e.kind).c_str(),
                             e.message.empty() ? "" : ": ", sanitize(e.message));
      }
    }
    if (v.is_void()) return r;
    if (max_print_bytes == 0) {
      r.out = print_value(v) + "\n";
      return r;
    }
    BoundedPrint printed = print_value_bounded(v, max_print_bytes);
    if (!printed.complete) {
      r.err += fmt::format(
          "error: the result is too large to print: its text passes {} MB (half the memory "
          "budget, --memory-budget)\n",
          max_print_bytes >> 20);
      r.exit_code = kErrorValueExit;
      return r;
    }
    r.out = std::move(printed.text) + "\n";
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
  // The printed text takes at most half the memory budget, so that it and the
  // process's own memory stay within the budget.
  EvalOutput r = eval_formula(engine, formula, check, colour, cli.memory_budget_bytes() / 2);
  std::fwrite(r.out.data(), 1, r.out.size(), stdout);
  std::fflush(stdout);
  std::fwrite(r.err.data(), 1, r.err.size(), stderr);
  return r.exit_code;
}

}  // namespace canvasfx::cli
