// The runtime's insides (runtime.h): control instances, their properties,
// the dependency graph and the per-formula name scopes.
//
// Every control is an engine *object* symbol whose members are symbols of its
// properties (Engine::set_members), so `Label1.Text` binds straight to the
// member and a formula depends on exactly the properties it reads. Each
// data-flow or output property is a graph Node; the member symbol's getter
// reads the node, computing it when first read. Variables, collections, data
// sources, signals and control state (typed text, selection ...) are plain
// engine symbols: the inputs of the graph. When one is written (the engine's
// write listener, host signal subscriptions, poll()), the nodes that read it
// are scheduled and recomputed in rank order (rank = 1 + the highest rank
// among the nodes a node reads), each once; a node whose value did not change
// does not schedule its readers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "canvasfx/host/host.h"
#include "canvasfx/player/catalog.h"
#include "canvasfx/player/runtime.h"

namespace canvasfx::player::detail {

inline constexpr SymbolId kNoSymbol = static_cast<SymbolId>(-1);

class RuntimeImpl;
struct Control;
struct ComponentInstance;
struct Property;

// The names one control's formulas see besides the engine's.
class Scope final : public NameScope {
 public:
  RuntimeImpl* runtime = nullptr;
  Control* self = nullptr;
  Control* parent = nullptr;
  ComponentInstance* component = nullptr;  // the definition the formula is written in
  Control* screen = nullptr;               // whose context variables are in scope
  std::optional<SymbolId> find(std::string_view name) const override;
};

// The names a formula of an image property sees: its control's, then a
// media file the app names but whose file its source lacks (sources are
// often shared without their media), bound as a missing image with one
// warning instead of an unknown name.
class MediaScope final : public NameScope {
 public:
  RuntimeImpl* runtime = nullptr;
  const NameScope* inner = nullptr;
  const Property* property = nullptr;
  std::optional<SymbolId> find(std::string_view name) const override;
};

// One use of a component: the instance control and the copies of the
// definition's controls it owns.
struct ComponentInstance {
  Control* instance = nullptr;
  const ComponentSource* definition = nullptr;
  std::map<std::string, Control*, std::less<>> controls;
};

struct Property {
  // A view of the catalog's name or the app source's (both outlive the runtime's controls).
  std::string_view name;
  Control* owner = nullptr;
  PropertyRole role = PropertyRole::Data;
  const PropertySpec* spec = nullptr;
  const FormulaText* formula = nullptr;  // the source's formula; null: default_text
  std::string_view default_text;         // the catalog's default (the catalog outlives it)
  Scope* scope = nullptr;                // the names its formula sees
  bool from_definition = false;          // written in a component definition
  Type declared;  // the type the control expects; Unknown: whatever the formula gives
  Type type;      // the member's type
  std::unique_ptr<Type> row_scope;  // a component function property's parameters (few have one)
  std::optional<ParsedFormula> parsed;
  std::shared_ptr<CompiledFormula> compiled;
  bool check_failed = false;
  bool image = false;  // takes an image: an unknown name in it is a media file the app lacks
  mutable std::unique_ptr<MediaScope> media_scope;  // image properties (options_for)
  SymbolId symbol = kNoSymbol;                      // data and output properties
  int node = -1;
  bool has_formula() const { return formula || !default_text.empty(); }
  // `OnSelect: =`: a formula with nothing in it (Blank, or no action).
  bool empty_formula() const {
    return formula && formula->text.find_first_not_of(" \t\r\n") == std::string::npos;
  }
  std::string_view text() const { return formula ? std::string_view(formula->text) : default_text; }
};

struct Control {
  std::string name;
  std::string type_name;  // the catalog's name, or the source's type for unknown controls
  const ControlSource* source = nullptr;
  const ControlType* type = nullptr;
  const PcfTemplateSource* pcf = nullptr;
  std::string kind = "plain";
  Control* parent = nullptr;
  std::vector<Control*> children;
  Control* screen = nullptr;               // the screen it is on; itself for a screen; null for App
  Control* gallery = nullptr;              // the gallery whose template holds it
  Control* form = nullptr;                 // the form whose cards hold it
  Control* row_owner = nullptr;            // the nearer of the two: whose record ThisItem is
  ComponentInstance* component = nullptr;  // the definition it was copied from
  std::unique_ptr<ComponentInstance> inner;  // a component instance: its copies
  bool open = false;      // unknown members are untyped instead of errors (code components)
  bool detached = false;  // a definition checked without an instance: never shown
  bool object_type_stale = false;  // a member's type changed (RuntimeImpl::update_object_types)
  SymbolId object = kNoSymbol;
  int object_node = -1;               // the control as a value
  std::vector<Property*> properties;  // in RuntimeImpl::property_store_
  // The properties by name, sorted (a control has tens of them: a sorted
  // array finds one as fast as a tree, without a heap node per property).
  std::vector<std::pair<std::string_view, Property*>> by_name;
  Scope scope;
  // Input state, written by events: typed text, a toggle's value, a
  // selection, a form's mode ... (plain engine symbols: the graph's inputs).
  SymbolId state = kNoSymbol;
  SymbolId mode = kNoSymbol;         // Form: FormMode, Blank until changed
  SymbolId last_submit = kNoSymbol;  // Form
  SymbolId form_error = kNoSymbol;   // Form: {Error, ErrorKind} of the last submit
  // Timer
  bool timer_running = false;
  int64_t timer_elapsed = 0;
  SymbolId timer_value = kNoSymbol;

  // The index of `n` in by_name, or where it would be.
  size_t by_name_position(std::string_view n) const {
    auto it =
        std::lower_bound(by_name.begin(), by_name.end(), n,
                         [](const auto& entry, std::string_view key) { return entry.first < key; });
    return static_cast<size_t>(it - by_name.begin());
  }
  Property* property(std::string_view n) const {
    size_t i = by_name_position(n);
    return i < by_name.size() && by_name[i].first == n ? by_name[i].second : nullptr;
  }
  // "Screen1.Label1" (the control's screen or component, then its name).
  std::string where() const;
};

// A gallery template property's value per row, and which rows are computed
// (made when a row is first read; kept, cleared, for the node's life).
struct RowCache {
  std::vector<Value> values;
  std::vector<char> done;
};

// What recalculation reads of every node it visits comes first (one cache
// line): a long chain of short formulas is bound by memory, not by work. An
// app has a node per property (tens of thousands): what few nodes use is
// elsewhere (labels in node_labels_, row values behind a pointer).
struct Node {
  SymbolId symbol = kNoSymbol;
  int rank = 0;
  bool computed = false;
  bool evaluating = false;
  bool pending = false;
  bool named_formula = false;  // App.Formulas' (the engine caches its value)
  Value value;
  uint64_t evaluations = 0;
  Property* property = nullptr;
  Control* rows_of = nullptr;      // a gallery template's property: one value per row
  Control* form_of = nullptr;      // a form card's property: ThisItem is the form's record
  std::function<Value()> native;   // computes the node when there is no formula
  std::vector<SymbolId> reads;     // the symbols it reads
  std::unique_ptr<RowCache> rows;  // a gallery template's property, once a row is read
};

// Whether two types are the same, open or closed alike (Type's == leaves
// openness out).
inline bool same_type(const Type& a, const Type& b) { return a == b && a.open() == b.open(); }

// Whether two values are the same for change propagation: scalars by
// value, records and tables by content (data source tables by source).
bool same_value(const Value& a, const Value& b);

// same_value with two numbers decided inline: recalculation compares every
// value it recomputes, and most are numbers.
inline bool same_value_fast(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.as_number(), y = b.as_number();
    return x == y || (x != x && y != y);  // a NaN that stays NaN did not change
  }
  return same_value(a, b);
}

// The nodes waiting to be recomputed, lowest rank first (ties: lowest id), as
// a binary heap of one integer per node (rank, then id): ordering plain
// integers is the cheap part of recomputing a long chain of formulas.
class RankQueue {
 public:
  bool empty() const { return heap_.empty(); }
  // A chain of formulas queues one node at a time: a heap of one is not reordered.
  void push(int rank, int id) {
    heap_.push_back(static_cast<uint64_t>(static_cast<uint32_t>(rank)) << 32 |
                    static_cast<uint32_t>(id));
    if (heap_.size() > 1) std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
  }
  int pop() {
    if (heap_.size() > 1) std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
    int id = static_cast<int>(heap_.back() & 0xFFFFFFFFu);
    heap_.pop_back();
    return id;
  }

 private:
  std::vector<uint64_t> heap_;
};

// What a behavior formula runs for: the control whose event it is, the
// gallery row it runs in, the screen whose context variables it sees.
struct EventContext {
  Control* control = nullptr;
  Control* screen = nullptr;
  Control* gallery = nullptr;
  int row = -1;
};

// What a binding depends on besides its formula and scope: the engine's
// symbols, their types and the app's definitions. Equal stamps: a formula
// binds the same.
struct BindStamp {
  size_t symbols = 0;
  uint64_t type_changes = 0;
  uint64_t definitions = 0;
  bool operator==(const BindStamp&) const = default;
};

class RuntimeImpl final : public Runtime {
 public:
  RuntimeImpl(LoadResult loaded, RuntimeOptions options);
  ~RuntimeImpl() override;

  // Runtime
  const std::vector<AppDiagnostic>& diagnostics() const override { return diagnostics_; }
  size_t formula_count() const override { return formula_count_; }
  const AppSource& source() const override { return *app_; }
  void start() override;
  std::vector<PropertyRef> select(std::string_view control, int row) override;
  std::vector<PropertyRef> type_text(std::string_view control, std::string text, int row) override;
  std::vector<PropertyRef> toggle(std::string_view control, int row) override;
  std::vector<PropertyRef> set_input(std::string_view control, Value value, int row) override;
  std::vector<PropertyRef> navigate(std::string_view screen) override;
  std::vector<PropertyRef> poll() override;
  std::vector<PropertyRef> advance(std::chrono::milliseconds elapsed) override;
  const std::vector<PropertyRef>& changes() const override { return changes_; }
  Value value(std::string_view control, std::string_view property, int row) override;
  std::string active_screen() const override;
  ControlView view(std::string_view control) override;
  const RuntimeStats& stats() const override;
  size_t check_formulas() override;
  Engine& engine() override { return engine_; }
  Value eval(std::string_view formula, std::vector<Diagnostic>* diagnostics) override;

  // --- building (runtime.cpp) ---
  void setup_engine();
  Control* instantiate(const ControlSource& src, Control* parent, Control* screen,
                       ComponentInstance* component, bool detached = false);
  void declare_members();  // of every control instantiate made, in member_order_
  void add_properties(Control& c);
  Property& add_property(Control& c, std::string_view name, PropertyRole role,
                         const PropertySpec* spec);
  void declare_control(Control& c, bool app_wide);
  void declare_data_sources();
  void declare_variables_from_sources();
  Type control_type(const Control& c) const;
  // A member of a catalog enum as the app's formulas see it: the enum member
  // with strongly typed enums (Power Fx V1), its value otherwise.
  Value enum_value(std::string_view enum_name, std::string_view member) const;
  Control* find_control(std::string_view name, const Control* context = nullptr) const;

  // --- binding and type inference (binding.cpp) ---
  void bind_all();
  DefineResult define_formulas();
  void set_symbol_type(SymbolId symbol, Type type);  // engine_.set_type, counted (type_changes_)
  CheckOptions options_for(const Property& p);
  CheckResult check_property(Property& p, const CallObserver& observer = {});
  CheckResult check_final(Property& p);  // check_property, shared or inferred where it can be
  void keep_inferred(const Property& p, BindStamp stamp, CheckResult result);
  void parse_property(Property& p, const CheckOptions& options);
  void infer_types();
  void update_member_type(Property& p, const Type& type);
  void update_object_types();  // of the controls whose member types changed
  void report(const Property& p, const std::vector<Diagnostic>& diagnostics);
  void report_cycles();
  Type item_type(const Control& c);  // the row type of a control's Items (or DataSource)
  void refresh_output_types(Control& c);
  static bool has_typed_outputs(const Control& c);  // what refresh_output_types changes
  SymbolId context_variable(Control* screen, const std::string& name) const;
  // A member a named formula reads by name ("Label1.Text"), of a control
  // outside components; kNoSymbol when none (member_order_, while building).
  SymbolId app_member_symbol(std::string_view name) const;
  std::optional<SymbolId> missing_media(std::string_view name, const Property& p);

  // --- the graph (graph.cpp) ---
  int add_node(std::string label, SymbolId symbol, std::vector<SymbolId> reads);
  std::string node_label(int id) const;  // "Screen1.Label1.Text", for messages
  void build_graph();
  Value read_node(int id);
  void compute_reads_first(int id);
  Value compute(Node& n);
  void observe_named_formulas(const Node& n);
  Value row_value(Node& n, int row);
  void symbol_written(SymbolId symbol);
  // Queues the nodes reading `symbol` (inline: recalculation calls it for
  // every node whose value changed).
  void schedule_readers(SymbolId symbol) {
    if (symbol + 1 >= reader_begin_.size()) return;
    for (uint32_t i = reader_begin_[symbol], end = reader_begin_[symbol + 1]; i < end; ++i) {
      int r = reader_ids_[i];
      Node& n = nodes_[r];
      if (n.pending) continue;
      n.pending = true;
      pending_.push(n.rank, r);
    }
  }
  void flush();
  void begin_event();
  std::vector<PropertyRef> end_event();
  void note_change(const Node& n, int row = -1);
  int current_row(const Control* gallery) const;
  Value gallery_row(Control& gallery, int row);
  size_t gallery_row_count(Control& gallery);
  int selected_index(Control& gallery);
  Value form_record(Control& form);

  // --- controls' outputs and events (controls.cpp) ---
  void add_outputs(Control& c);
  Value control_value(Control& c);
  void run_behavior(Control& c, std::string_view property, EventContext context);
  Value run_formula(Property& p, EventContext context);
  void set_state(Control& c, Value state);
  void reset_control(Control& c);
  void show_screen(Control* screen, bool run_events = true);
  void tick_timers(int64_t elapsed_ms);
  Control* event_control(std::string_view name, int& row);

  // --- canvas functions (canvas_functions.cpp) ---
  void install_canvas_functions();
  Control* control_of_value(const Value& v);
  Value submit_form(Control& form);

  // State
  std::unique_ptr<AppSource> app_;
  // What a media name the source lacks binds to (declared before binding: a
  // NameScope must not declare symbols while the binder runs).
  SymbolId missing_image_ = kNoSymbol;
  std::set<std::string, std::less<>> warned_media_;
  // Parsed formulas by text, one map for behavior formulas (`;` chains) and
  // one for the rest: a parse depends on nothing else, and an app repeats
  // texts (catalog defaults on every control, copied controls), so each
  // distinct text is parsed once. The trees are immutable and shared.
  std::unordered_map<std::string_view, ParsedFormula> parsed_formulas_[2];
  // Final bindings of data formulas that read no symbol and nothing their
  // scope defines (`0`, `RGBA(...)`, `BorderStyle.Solid`: most catalog
  // defaults), by text: they bind the same in any scope that does not define
  // the names the binding asked for (`names`), and are shared.
  struct SharedCheck {
    CheckResult result;
    std::vector<std::string> names;
  };
  std::unordered_map<std::string_view, SharedCheck> shared_checks_;
  // App.Formulas parsed, and its last definition with the engine's symbol
  // count and type changes then (define_formulas).
  std::optional<ParsedDefinitions> parsed_definitions_;
  struct Definition {
    std::pair<size_t, uint64_t> engine_types;
    DefineResult result;
  };
  std::optional<Definition> last_definition_;
  uint64_t definitions_ = 0;   // engine_.define calls (define_formulas)
  uint64_t type_changes_ = 0;  // set_symbol_type calls
  BindStamp bind_stamp() const { return {engine_.symbol_count(), type_changes_, definitions_}; }
  // The inference passes' last binding of each formula they bind, with the
  // stamp it was bound at: the final binding (check_final) takes it when
  // nothing changed since, instead of binding the formula once more.
  struct InferredCheck {
    BindStamp stamp;
    CheckResult result;
  };
  std::unordered_map<const Property*, InferredCheck> inferred_checks_;
  std::vector<Control*> stale_object_types_;  // update_member_type, update_object_types
  bool final_bind_ = false;                   // bind_all's last pass: its diagnostics are the app's
  RuntimeOptions options_;
  std::vector<AppDiagnostic> diagnostics_;
  size_t formula_count_ = 0;
  Engine engine_;
  std::unique_ptr<host::Host> host_;
  const Catalog& catalog_;
  std::vector<std::unique_ptr<Control>> controls_;
  // Record types control_type made, by catalog type (shared by the controls
  // whose members have the same types).
  mutable std::unordered_map<const ControlType*, std::vector<Type>> control_types_;
  // Every control's properties, made in blocks (an app has tens of thousands:
  // one allocation each was a good part of building the runtime).
  static constexpr size_t kPropertyBlock = 1024;
  std::vector<std::unique_ptr<Property[]>> property_store_;
  size_t property_block_used_ = kPropertyBlock;
  Control* app_control_ = nullptr;
  std::vector<Control*> screens_;
  std::map<std::string, Control*, std::less<>> app_names_;         // app-wide control names
  std::vector<std::unique_ptr<ControlSource>> synthetic_sources_;  // detached component uses
  std::vector<std::unique_ptr<Scope>> inner_scopes_;  // scopes of formulas in definitions
  std::map<const Control*, std::map<std::string, SymbolId, std::less<>>> context_variables_;
  std::set<std::string> collections_, global_variables_;
  std::vector<std::pair<std::string, SymbolId>> data_sources_;
  std::map<std::string, std::shared_ptr<const EnumInfo>> catalog_enums_;
  std::vector<std::string> named_formulas_;  // App.Formulas' named formulas: graph nodes too
  // The controls instantiate made, children before their parent, and whether
  // each is an app-wide name: the order their objects and members are declared
  // (kept until the graph is built: app_member_symbol).
  std::vector<std::pair<Control*, bool>> member_order_;
  Type screen_type_;
  SymbolId active_screen_symbol_ = kNoSymbol;
  SymbolId device_symbol_ = kNoSymbol;  // bumped when the host's App signal (window size) changes
  Control* active_screen_ = nullptr;
  std::vector<std::pair<Control*, std::string>> back_stack_;

  std::vector<Node> nodes_;
  // The labels of nodes that are not a property's (named formulas, controls
  // as values ...); a property's node is labelled from it (node_label).
  std::unordered_map<int, std::string> node_labels_;
  std::vector<int> node_of_symbol_;  // symbol -> node, -1
  // symbol -> nodes reading it, as one array (readers of symbol s:
  // reader_ids_[reader_begin_[s] .. reader_begin_[s + 1]]): recalculation walks
  // it for every node it recomputes, so it is kept dense.
  std::vector<uint32_t> reader_begin_;
  std::vector<int> reader_ids_;
  RankQueue pending_;  // recomputed lowest rank first
  bool flushing_ = false;
  // Nodes being computed, nested (read_node): past kWarmReadDepth what a node
  // reads is computed first; past kMaxReadDepth a read is an error value.
  int read_depth_ = 0;
  static constexpr int kWarmReadDepth = 16;
  static constexpr int kMaxReadDepth = 400;
  bool graph_ready_ = false;
  std::vector<std::pair<const Control*, int>> row_context_;  // gallery template rows being computed
  std::vector<EventContext> event_stack_;
  std::vector<PropertyRef> changes_;
  std::set<std::string> change_keys_;
  // last_recomputed is made from recomputed_ (node, row) when stats() is read.
  mutable RuntimeStats stats_;
  std::vector<std::pair<int, int>> recomputed_;
  mutable bool recomputed_listed_ = true;
  int64_t clock_ms_ = 0;  // timers' clock
  std::vector<Control*> timers_;
  std::vector<std::pair<std::string, std::string>> data_source_errors_;  // table, message
  std::vector<std::function<void()>> deferred_;  // Navigate, Select: after the formula
  Control* focused_ = nullptr;
  bool exited_ = false;
  SymbolId form_patch_base_ = kNoSymbol, form_patch_changes_ = kNoSymbol;
  std::map<const Control*, std::shared_ptr<CompiledFormula>> form_patches_;
  std::map<std::string, std::string> saved_data_;  // SaveData without a store
  std::string app_key() const;
  void run_deferred();
};

// A number, or an enum member's numeric value (FormMode.New: 1).
double number_of(const Value& v);

// JSON (SaveData's format) to a value of `type`, and back.
Value value_from_json(const nlohmann::json& j, const Type& type);
nlohmann::json value_to_json(const Value& v);

}  // namespace canvasfx::player::detail
