// What the player tests share: apps written to a temporary folder, a
// runtime over them with an in-memory (or file) sync store, and reading
// values back in the canonical printing.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "../host/test_util.h"
#include "canvasfx/host/store.h"
#include "canvasfx/player/runtime.h"

namespace canvasfx::player::testing {

using host::testing::TempDir;

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The shared apps of ../shared/apps (read-only).
inline std::filesystem::path shared_apps() {
  return std::filesystem::path(CANVASFX_SOURCE_DIR) / ".." / "shared" / "apps";
}

inline std::string errors_of(const Runtime& rt) {
  std::string out;
  for (const auto& d : rt.diagnostics())
    if (d.severity == Severity::Error) out += format_app_diagnostic(d) + "\n";
  return out;
}

class PlayerTest : public ::testing::Test {
 protected:
  PlayerTest() : store_(host::Store::open_memory(/*seed_demo=*/true)) {}

  // Writes `files` (relative path -> text) as an app and creates its runtime.
  Runtime& app(const std::map<std::string, std::string>& files, bool start = true) {
    for (const auto& [name, text] : files) write_file(dir_.path() / name, text);
    RuntimeOptions options;
    options.store = store_.get();
    options.output = [this](const std::string& line) { output_ += line + "\n"; };
    runtime_ = Runtime::create(load_app(dir_.path()), options);
    if (start) runtime_->start();
    return *runtime_;
  }
  // One screen's file from its children (YAML under `Children:`).
  Runtime& screen_app(const std::string& children, const std::string& app_properties = "",
                      bool start = true) {
    std::map<std::string, std::string> files{
        {"Src/Screen1.pa.yaml", "Screens:\n  Screen1:\n    Children:\n" + children}};
    if (!app_properties.empty())
      files["Src/App.pa.yaml"] = "App:\n  Properties:\n" + app_properties;
    return app(files, start);
  }

  std::string value(const std::string& control, const std::string& property, int row = -1) {
    return print_value(runtime_->value(control, property, row));
  }
  std::string eval(const std::string& formula) { return print_value(runtime_->eval(formula)); }

  TempDir dir_;
  std::unique_ptr<host::Store> store_;
  std::unique_ptr<Runtime> runtime_;
  std::string output_;
};

}  // namespace canvasfx::player::testing
