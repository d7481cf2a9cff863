// The C API (canvasfx_c.h) over the C++ embedding API. No C++ exception
// crosses this boundary: each entry point catches, records the message for
// cfx_last_error() and returns its failure value.
#include "canvasfx_c.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "canvasfx/engine.h"
#include "canvasfx/host/host.h"
#include "canvasfx/json_value.h"
#include "canvasfx/stdlib.h"

struct cfx_store {
  std::shared_ptr<canvasfx::host::Store> store;
};

struct cfx_engine {
  canvasfx::Engine engine;
  // The host refers to the engine and the store: it goes first, the store last.
  std::shared_ptr<canvasfx::host::Store> store;
  std::unique_ptr<canvasfx::host::Host> host;
  ~cfx_engine() { host.reset(); }
};

struct cfx_formula {
  std::shared_ptr<canvasfx::CompiledFormula> compiled;
};

namespace {

thread_local std::string last_error;

char* copy_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

// Runs f, recording why it failed; on_error is what the caller then returns.
template <typename F>
auto guarded(F&& f, decltype(f()) on_error) noexcept -> decltype(f()) {
  last_error.clear();
  try {
    return f();
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown failure";
  }
  return on_error;
}

[[noreturn]] void fail(std::string message) { throw std::invalid_argument(std::move(message)); }

void require(const void* p, const char* what) {
  if (!p) fail(std::string(what) + " is NULL");
}

// An evaluation whose value is an error: its message for cfx_last_error().
const canvasfx::Value& noting_errors(const canvasfx::Value& v) {
  if (v.is_error() && !v.errors().empty()) last_error = v.errors().front().message;
  return v;
}

int set(cfx_engine* e, const char* name, canvasfx::Value v) {
  return guarded(
      [&] {
        require(e, "the engine");
        require(name, "the name");
        e->engine.set_value(name, std::move(v));
        return 0;
      },
      1);
}

const canvasfx::PrintOptions kShown{.error_messages = true};

char* json_text(cfx_engine* e, const canvasfx::Value& v) {
  return copy_string(canvasfx::value_to_json(v, e->engine.time_zone()));
}

void require_host(const cfx_engine* e) {
  require(e, "the engine");
  if (!e->host) fail("no store is attached to the engine (cfx_engine_attach_store)");
}

}  // namespace

extern "C" {

const char* cfx_version(void) { return CANVASFX_VERSION_STRING; }

const char* cfx_last_error(void) { return last_error.c_str(); }

cfx_engine* cfx_engine_new(void) {
  return guarded(
      []() -> cfx_engine* {
        auto e = std::make_unique<cfx_engine>();
        canvasfx::stdlib::install(e->engine);
        return e.release();
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

int cfx_set_json(cfx_engine* e, const char* name, const char* json) {
  return guarded(
      [&] {
        require(json, "the JSON text");
        canvasfx::Value v = canvasfx::value_from_json(json);
        return set(e, name, std::move(v));
      },
      1);
}

char* cfx_get_json(cfx_engine* e, const char* name) {
  return guarded(
      [&]() -> char* {
        require(e, "the engine");
        require(name, "the name");
        if (!e->engine.find_symbol(name)) fail(std::string("no variable named '") + name + "'");
        return json_text(e, e->engine.value(name));
      },
      nullptr);
}

cfx_formula* cfx_check(cfx_engine* e, const char* formula, int behavior, char** diagnostics) {
  if (diagnostics) *diagnostics = nullptr;
  return guarded(
      [&]() -> cfx_formula* {
        require(e, "the engine");
        require(formula, "the formula");
        canvasfx::CheckOptions options;
        options.behavior = behavior != 0;
        auto result = e->engine.check(formula, options);
        if (!result.ok()) {
          std::string text;
          for (const auto& d : result.diagnostics) text += canvasfx::format_diagnostic(d) + "\n";
          if (diagnostics) *diagnostics = copy_string(text);
          fail(text.substr(0, text.find('\n')));
        }
        return new cfx_formula{result.formula};
      },
      nullptr);
}

void cfx_formula_free(cfx_formula* formula) { delete formula; }

int cfx_define(cfx_engine* e, const char* definitions, char** diagnostics) {
  if (diagnostics) *diagnostics = nullptr;
  return guarded(
      [&]() -> int {
        require(e, "the engine");
        require(definitions, "the definitions");
        auto result = e->engine.define(definitions);
        std::string text;
        for (const auto& d : result.diagnostics) text += canvasfx::format_diagnostic(d) + "\n";
        if (diagnostics && !text.empty()) *diagnostics = copy_string(text);
        if (!result.ok()) fail(text.substr(0, text.find('\n')));
        return 0;
      },
      1);
}

char* cfx_formula_value_to_text(cfx_engine* e, const char* name) {
  return guarded(
      [&] {
        require(e, "the engine");
        require(name, "the name");
        if (!e->engine.is_formula(name)) fail(std::string("no named formula '") + name + "'");
        return copy_string(
            canvasfx::print_value(noting_errors(e->engine.formula_value(name)), kShown));
      },
      static_cast<char*>(nullptr));
}

char* cfx_invalidated_by(cfx_engine* e, const char* symbol) {
  return guarded(
      [&] {
        require(e, "the engine");
        require(symbol, "the symbol");
        std::string text;
        for (const auto& name : e->engine.invalidated_by(symbol)) text += name + "\n";
        return copy_string(text);
      },
      static_cast<char*>(nullptr));
}

char* cfx_eval_to_text(cfx_engine* e, const cfx_formula* f) {
  return guarded(
      [&] {
        require(e, "the engine");
        require(f, "the formula");
        canvasfx::Value v = f->compiled->eval(e->engine);
        return copy_string(canvasfx::print_value(noting_errors(v), kShown));
      },
      static_cast<char*>(nullptr));
}

char* cfx_eval_to_json(cfx_engine* e, const cfx_formula* f) {
  return guarded(
      [&] {
        require(e, "the engine");
        require(f, "the formula");
        canvasfx::Value v = f->compiled->eval(e->engine);
        return json_text(e, noting_errors(v));
      },
      static_cast<char*>(nullptr));
}

int cfx_eval_to_number(cfx_engine* e, const cfx_formula* f, double* out) {
  return guarded(
      [&] {
        require(e, "the engine");
        require(f, "the formula");
        require(out, "the result pointer");
        canvasfx::Value v = f->compiled->eval(e->engine);
        if (noting_errors(v).is_error()) return 1;
        if (!v.is_number()) fail("the value is not a number: " + canvasfx::print_value(v, kShown));
        *out = v.as_number();
        return 0;
      },
      1);
}

void cfx_cancel(cfx_engine* e) {
  if (e) e->engine.cancel();
}

cfx_store* cfx_store_open(const char* path, int flags) {
  return guarded(
      [&]() -> cfx_store* {
        namespace host = canvasfx::host;
        bool seed = (flags & CFX_STORE_SEED_DEMO) != 0;
        std::unique_ptr<host::Store> store;
        if (!path)
          store = host::Store::open_default();
        else if (std::strcmp(path, ":memory:") == 0)
          store = host::Store::open_memory(seed);
        else
          store = host::Store::open(
              path,
              host::OpenOptions{.create = (flags & CFX_STORE_CREATE) != 0, .seed_demo = seed});
        return new cfx_store{std::move(store)};
      },
      nullptr);
}

void cfx_store_free(cfx_store* store) { delete store; }

int cfx_engine_attach_store(cfx_engine* e, cfx_store* s) {
  return guarded(
      [&] {
        require(e, "the engine");
        require(s, "the store");
        if (e->host) fail("the engine already has a store");
        e->store = s->store;
        e->host = canvasfx::host::install_host(e->engine, *e->store);
        // Track every signal, so that cfx_poll_signals reports any change.
        for (const auto& name : canvasfx::host::Host::signal_names())
          e->host->subscribe(name, [](const std::string&, const canvasfx::Value&) {});
        return 0;
      },
      1);
}

char* cfx_signal_json(cfx_engine* e, const char* signal) {
  return guarded(
      [&]() -> char* {
        require_host(e);
        require(signal, "the signal name");
        const auto& names = canvasfx::host::Host::signal_names();
        if (std::find(names.begin(), names.end(), signal) == names.end())
          fail(std::string("no signal named '") + signal + "'");
        return json_text(e, e->engine.value(signal));
      },
      nullptr);
}

char* cfx_poll_signals(cfx_engine* e) {
  return guarded(
      [&]() -> char* {
        require_host(e);
        return copy_string(nlohmann::json(e->host->poll()).dump());
      },
      nullptr);
}

void cfx_free(void* p) { std::free(p); }

}  // extern "C"
