// The C API (canvasfx_c.h) over the C++ embedding API. No C++ exception
// crosses this boundary.
#include "canvasfx_c.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"

struct cfx_engine {
  canvasfx::Engine engine;
};

struct cfx_formula {
  std::shared_ptr<canvasfx::CompiledFormula> compiled;
};

namespace {

char* copy_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

template <typename F>
auto guarded(F&& f, decltype(f()) on_error) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (...) {
    return on_error;
  }
}

int set(cfx_engine* e, const char* name, canvasfx::Value v) {
  if (!e || !name) return 1;
  return guarded(
      [&] {
        e->engine.set_value(name, std::move(v));
        return 0;
      },
      1);
}

}  // namespace

extern "C" {

cfx_engine* cfx_engine_new(void) {
  return guarded(
      []() -> cfx_engine* {
        auto* e = new cfx_engine;
        canvasfx::stdlib::install(e->engine);
        return e;
      },
      nullptr);
}

void cfx_engine_free(cfx_engine* engine) { delete engine; }

int cfx_set_number(cfx_engine* e, const char* name, double value) {
  return set(e, name, canvasfx::Value::number(value));
}
int cfx_set_text(cfx_engine* e, const char* name, const char* utf8) {
  return set(e, name, canvasfx::Value::text(utf8 ? utf8 : ""));
}
int cfx_set_boolean(cfx_engine* e, const char* name, int value) {
  return set(e, name, canvasfx::Value::boolean(value != 0));
}
int cfx_set_blank(cfx_engine* e, const char* name) { return set(e, name, canvasfx::Value()); }

cfx_formula* cfx_check(cfx_engine* e, const char* formula, int behavior, char** diagnostics) {
  if (diagnostics) *diagnostics = nullptr;
  if (!e || !formula) return nullptr;
  return guarded(
      [&]() -> cfx_formula* {
        canvasfx::CheckOptions options;
        options.behavior = behavior != 0;
        auto result = e->engine.check(formula, options);
        if (!result.ok()) {
          if (diagnostics) {
            std::string text;
            for (const auto& d : result.diagnostics) text += canvasfx::format_diagnostic(d) + "\n";
            *diagnostics = copy_string(text);
          }
          return nullptr;
        }
        return new cfx_formula{result.formula};
      },
      nullptr);
}

void cfx_formula_free(cfx_formula* formula) { delete formula; }

int cfx_define(cfx_engine* e, const char* definitions, char** diagnostics) {
  if (diagnostics) *diagnostics = nullptr;
  if (!e || !definitions) return 1;
  return guarded(
      [&]() -> int {
        auto result = e->engine.define(definitions);
        if (diagnostics && !result.diagnostics.empty()) {
          std::string text;
          for (const auto& d : result.diagnostics) text += canvasfx::format_diagnostic(d) + "\n";
          *diagnostics = copy_string(text);
        }
        return result.ok() ? 0 : 1;
      },
      1);
}

char* cfx_formula_value_to_text(cfx_engine* e, const char* name) {
  if (!e || !name || !e->engine.is_formula(name)) return nullptr;
  return guarded([&] { return copy_string(canvasfx::print_value(e->engine.formula_value(name))); },
                 nullptr);
}

char* cfx_invalidated_by(cfx_engine* e, const char* symbol) {
  if (!e || !symbol) return nullptr;
  return guarded(
      [&] {
        std::string text;
        for (const auto& name : e->engine.invalidated_by(symbol)) text += name + "\n";
        return copy_string(text);
      },
      nullptr);
}

char* cfx_eval_to_text(cfx_engine* e, const cfx_formula* f) {
  if (!e || !f) return nullptr;
  return guarded([&] { return copy_string(canvasfx::print_value(f->compiled->eval(e->engine))); },
                 static_cast<char*>(nullptr));
}

int cfx_eval_to_number(cfx_engine* e, const cfx_formula* f, double* out) {
  if (!e || !f || !out) return 1;
  return guarded(
      [&] {
        canvasfx::Value v = f->compiled->eval(e->engine);
        if (!v.is_number()) return 1;
        *out = v.as_number();
        return 0;
      },
      1);
}

void cfx_free(void* p) { std::free(p); }

}  // extern "C"
