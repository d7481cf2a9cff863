// App source (libFuzzer): an input becomes the files of a canvas app, which
// goes through what `canvasfx app check` does (load_app, Runtime::create:
// every formula bound in its control's scope), then starts and is drawn under
// the fuzzers' engine limits.
//
// The first byte picks:
//   bit 0  the source form of the first file: Src/App.fx.yaml (the older
//          unpacked .msapp), else Src/App.pa.yaml
//   bit 1  the device store holds the tiny profile's Accounts and Contacts
//          (fuzz_support.h), else it is empty as for `app check`
//   bit 2  check only: no start, nothing evaluated
// The rest is the app's files. Text up to the first line `#file NAME` is the
// first file (when not empty); each `#file NAME` line starts the file NAME
// ("Src/Screen1.fx.yaml", "CanvasManifest.json", "DataSources/Items.json"),
// so one input can be a whole app of either form. The files are loaded from
// memory (load_app_from_files), as load_app reads them from a folder.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "canvasfx/host/store.h"
#include "canvasfx/player/runtime.h"
#include "fuzz_support.h"

namespace {

constexpr std::string_view kFileMarker = "#file ";

// The input's files: the text before the first marker line under `first_name`,
// then one file per marker line. A later file of the same name replaces one.
std::map<std::string, std::string> files_of(std::string_view text, const std::string& first_name) {
  std::map<std::string, std::string> files;
  std::string name = first_name;
  bool named = false;  // the first file is there only when it has text
  size_t body = 0;
  auto close = [&](size_t end) {
    if (!name.empty() && (named || end > body))
      files[name] = std::string(text.substr(body, end - body));
  };
  for (size_t line = 0; line < text.size();) {
    size_t eol = text.find('\n', line);
    if (eol == std::string_view::npos) eol = text.size();
    if (text.substr(line, kFileMarker.size()) == kFileMarker) {
      close(line);
      named = true;
      name = std::string(text.substr(line + kFileMarker.size(), eol - line - kFileMarker.size()));
      if (!name.empty() && name.back() == '\r') name.pop_back();
      body = eol + 1 < text.size() ? eol + 1 : text.size();
    }
    line = eol + 1;
  }
  close(text.size());
  return files;
}

// How long all the evaluating of one input may take: a slow formula ends at
// the engine's time limit, but an input of many of them would still run past
// libFuzzer's -timeout without being a hang of any one.
constexpr std::chrono::seconds kEvaluationBudget{5};

void draw(canvasfx::player::Runtime& runtime, const canvasfx::player::ControlSource& control,
          std::chrono::steady_clock::time_point deadline) {
  for (const auto& property : control.properties) {
    if (std::chrono::steady_clock::now() > deadline) return;
    (void)runtime.value(control.name, property.name);
  }
  for (const auto& child : control.children) draw(runtime, child, deadline);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace canvasfx;
  if (size == 0) return 0;
  uint8_t mode = data[0];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto files = files_of(text, mode & 1 ? "Src/App.fx.yaml" : "Src/App.pa.yaml");

  auto store = host::Store::open_memory(/*seed_demo=*/false);
  if (mode & 2) fuzz::fill_tiny_store(*store);
  player::LoadResult loaded = player::load_app_from_files(files, "fuzz-app");
  for (const auto& d : loaded.diagnostics) (void)player::format_app_diagnostic(d);
  if (!loaded.ok()) return 0;

  player::RuntimeOptions options;
  options.store = store.get();
  options.time_limit = std::chrono::milliseconds(2000);
  options.output = [](const std::string&) {};
  options.clock = [] { return int64_t{1700000000000}; };  // the same Now() for every run
  auto runtime = player::Runtime::create(std::move(loaded), options);
  for (const auto& d : runtime->diagnostics()) (void)player::format_app_diagnostic(d);
  if (mode & 4) return 0;

  Engine& engine = runtime->engine();
  fuzz::limit(engine);
  engine.set_random([] { return 0.5; });
  engine.set_time_zone("UTC");
  auto deadline = std::chrono::steady_clock::now() + kEvaluationBudget;
  runtime->start();
  std::string active = runtime->active_screen();
  for (const auto& screen : runtime->source().screens)
    if (screen.name == active) draw(*runtime, screen, deadline);
  if (std::chrono::steady_clock::now() < deadline) (void)runtime->view();
  return 0;
}
