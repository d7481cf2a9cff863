// The app runtime a player shell embeds: a loaded app's controls, bound in
// their scope and kept recalculated.
//
//   auto loaded = canvasfx::player::load_app("apps/MyApp");
//   canvasfx::player::RuntimeOptions options;
//   options.store = store.get();                     // the offline host's sync store
//   auto app = canvasfx::player::Runtime::create(std::move(loaded), options);
//   for (auto& d : app->diagnostics()) puts(format_app_diagnostic(d).c_str());
//   app->start();                                    // App.OnStart, the start screen
//   app->type_text("SearchBox", "con");              // an event ...
//   for (auto& p : app->changes()) redraw(p);        // ... and what it changed
//
// Every control property is a node of one dependency graph, built from the
// binder's references (CompiledFormula::dependency_ids): a property is
// computed when first read and kept current. When a variable, collection,
// data source, input (typed text, a toggle) or host signal changes, exactly
// the properties downstream of it are recomputed, each once, in topological
// order; a node whose value did not change stops the propagation. Behavior
// properties run on events. Changes another process makes to the sync store
// arrive through poll() (PRAGMA data_version).
//
// A Runtime is not thread-safe: a shell drives it from one thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/engine.h"
#include "canvasfx/player/source.h"

namespace canvasfx::host {
class Store;
}

namespace canvasfx::player {

struct RuntimeOptions {
  // The offline host's sync store: signals (Connection, Host), the profile's
  // tables as data sources, SaveData/LoadData. Null: no host.
  host::Store* store = nullptr;
  // Param("name") values.
  std::vector<std::pair<std::string, std::string>> params;
  // User(): the signed-in user.
  std::string user_name = "Player User";
  std::string user_email = "user@localhost";
  // An evaluation that runs longer is an error value instead of a hang.
  std::chrono::milliseconds time_limit{10000};
  // Where Notify, Launch, Copy, Print and ShowHostInfo write (default: none kept).
  std::function<void(const std::string&)> output;
  // Clock for Now() and timers (ms UTC); default: the system clock.
  std::function<int64_t()> clock;
};

// A property of a control instance; `row` is the gallery row (0-based) of a
// control in a gallery's template, -1 otherwise.
struct PropertyRef {
  std::string control;
  std::string property;
  int row = -1;
  std::string text() const;  // "Label1.Text", "Title1.Text[2]"
  friend bool operator==(const PropertyRef&, const PropertyRef&) = default;
};

// A control with its evaluated properties, for a shell to draw.
struct ControlView {
  std::string name;
  std::string type;  // the catalog's type ("Label", "Gallery") or the source's type
  std::vector<std::pair<std::string, Value>> properties;  // the data-flow and output properties
  std::vector<ControlView> children;
  // A gallery: its template controls, once per row.
  std::vector<std::vector<ControlView>> rows;
};

struct RuntimeStats {
  size_t formulas = 0;       // formulas bound (source formulas)
  size_t nodes = 0;          // graph nodes
  uint64_t evaluations = 0;  // node computations since the runtime started
  // The nodes computed by the last event, signal change or poll, in order.
  std::vector<std::string> last_recomputed;
};

class Runtime {
 public:
  // Binds every formula of the app (checking it); diagnostics() has the
  // problems. The runtime starts only with start().
  static std::unique_ptr<Runtime> create(LoadResult loaded, RuntimeOptions options = {});
  virtual ~Runtime() = default;

  // Loading and checking diagnostics, in file order.
  virtual const std::vector<AppDiagnostic>& diagnostics() const = 0;
  // Formulas in the app's source.
  virtual size_t formula_count() const = 0;
  virtual const AppSource& source() const = 0;

  // Runs App.OnStart, then shows the start screen (its OnVisible runs).
  virtual void start() = 0;

  // Events. Each returns the properties whose values changed (changes()).
  virtual std::vector<PropertyRef> select(std::string_view control, int row = -1) = 0;
  virtual std::vector<PropertyRef> type_text(std::string_view control, std::string text,
                                             int row = -1) = 0;
  virtual std::vector<PropertyRef> toggle(std::string_view control, int row = -1) = 0;
  // Sets an input control's value as a user would: a slider's number, a date
  // picker's date, a drop down's (or list's) selected row by index.
  virtual std::vector<PropertyRef> set_input(std::string_view control, Value value,
                                             int row = -1) = 0;
  virtual std::vector<PropertyRef> navigate(std::string_view screen) = 0;
  // Picks up what changed outside the app: the sync store written by another
  // process, signals; runs due timers. A shell calls it a few times a second.
  virtual std::vector<PropertyRef> poll() = 0;
  // Moves the clock for timers (headless players, tests) and polls.
  virtual std::vector<PropertyRef> advance(std::chrono::milliseconds elapsed) = 0;

  // The properties whose values changed during the last event or poll.
  virtual const std::vector<PropertyRef>& changes() const = 0;

  // A property's current value; an Error value when there is no such property.
  virtual Value value(std::string_view control, std::string_view property, int row = -1) = 0;
  virtual std::string active_screen() const = 0;
  // The active screen's control tree (or one control's) with evaluated properties.
  virtual ControlView view(std::string_view control = {}) = 0;
  virtual const RuntimeStats& stats() const = 0;
  // Parses and checks every formula of the app again, in its scope, with the
  // types now known, changing nothing: the checking part of loading an app,
  // alone (for tools and the load benchmark). Returns how many it checked.
  virtual size_t check_formulas() = 0;

  // The engine with the app's names, for a REPL: formulas checked against it
  // see the controls, variables and collections (Label1.Text, Screen1).
  virtual Engine& engine() = 0;
  // Checks a formula in the app's scope (as on the active screen: its
  // context variables) and evaluates it; behavior functions allowed.
  virtual Value eval(std::string_view formula, std::vector<Diagnostic>* diagnostics = nullptr) = 0;
};

// Engine features an app's preview flags ask for (CanvasManifest's
// AppPreviewFlagsMap): supportcolumnnamesasidentifiers, tabledoesntwraprecords ...
Features app_features(const AppSource& app);

}  // namespace canvasfx::player
