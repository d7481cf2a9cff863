// Engine::define: named formulas, user-defined functions and user-defined
// types, given as a block of text (App.Formulas, a REPL line).
//
// A block is defined in steps:
//  1. parse (ast::parse_definitions); a syntax error defines nothing;
//  2. the user-defined types and the signatures of the functions, so that any
//     body may call any function of the block (recursion included);
//  3. the function bodies and the named formulas. A named formula is bound
//     when first referenced (Block::resolve_formula), so definitions may come
//     in any order; a formula referenced while it is being bound closes a
//     cycle, reported with its path;
//  4. a definition that reads or calls one that failed fails too (silently:
//     the first failure explains it); reads through functions become the
//     readers' own; a cycle through functions or earlier definitions is
//     found on the finished graph. What earlier blocks defined on top of a
//     redefined name is bound again.
#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "bind/messages.h"
#include "bind/type_args.h"
#include "canvasfx/coerce.h"
#include "engine/engine_impl.h"
#include "parse/ast.h"

namespace canvasfx {
namespace {

// Power Fx allows at most this many parameters (ErrUDF_TooManyParameters).
constexpr size_t kMaxParameters = 30;

// Names a user-defined function may not take: they are not functions but
// parts of the type syntax.
bool restricted_function_name(std::string_view name) {
  return name == "Type" || name == "IsType" || name == "AsType" || name == "RecordOf";
}

std::string cycle_message(const std::vector<std::string>& path) {
  std::string text = "Circular reference: ";
  for (size_t i = 0; i < path.size(); ++i) text += (i ? " \u2192 " : "") + path[i];
  return text + ".";
}

// Which vertices of a directed graph lie on a cycle: the members of strongly
// connected components of more than one vertex, and those with an edge to
// themselves (Tarjan's algorithm, iterative: chains of definitions can be
// long). Linear in the edges. `edges_of(v)` is the vector of v's edges; a
// vertex without edges is on no cycle, and only reached by the others' edges
// (an engine's symbols: thousands of controls' properties, a few formulas).
template <typename EdgesOf>
std::vector<char> on_cycles(size_t n, EdgesOf edges_of) {
  constexpr size_t kUnseen = SIZE_MAX;
  std::vector<char> found(n, 0), on_stack(n, 0);
  std::vector<size_t> index(n, kUnseen), low(n, 0), component;
  std::vector<std::pair<size_t, size_t>> walk;  // (vertex, next edge)
  size_t counter = 0;
  for (size_t root = 0; root < n; ++root) {
    if (index[root] != kUnseen || edges_of(root).empty()) continue;
    walk.assign(1, {root, 0});
    index[root] = low[root] = counter++;
    component.push_back(root);
    on_stack[root] = 1;
    while (!walk.empty()) {
      size_t at = walk.back().first;
      size_t next = walk.back().second++;
      const std::vector<size_t>& edges = edges_of(at);
      if (next < edges.size()) {
        size_t to = edges[next];
        if (to >= n) continue;
        if (to == at) found[at] = 1;
        if (index[to] == kUnseen) {
          index[to] = low[to] = counter++;
          component.push_back(to);
          on_stack[to] = 1;
          walk.emplace_back(to, 0);
        } else if (on_stack[to]) {
          low[at] = std::min(low[at], index[to]);
        }
        continue;
      }
      walk.pop_back();
      if (!walk.empty()) low[walk.back().first] = std::min(low[walk.back().first], low[at]);
      if (low[at] != index[at]) continue;
      // `at` roots a component: pop it.
      size_t first = component.size();
      do {
        --first;
        on_stack[component[first]] = 0;
      } while (component[first] != at);
      if (component.size() - first > 1)
        for (size_t k = first; k < component.size(); ++k) found[component[k]] = 1;
      component.resize(first);
    }
  }
  return found;
}

// Slices the UTF-8 text of definitions by spans given in UTF-16 code units.
// The offsets are counted once for the whole text: a block of thousands of
// definitions slices each in constant time.
class Utf16Slicer {
 public:
  explicit Utf16Slicer(std::string_view text) : text_(text) {}

  std::string slice(Span span) {
    if (byte_at_unit_.empty()) index();
    auto byte_of = [&](int32_t unit) {
      if (unit < 0 || static_cast<size_t>(unit) >= byte_at_unit_.size()) return text_.size();
      return byte_at_unit_[unit];
    };
    size_t begin = byte_of(span.min), end = byte_of(span.lim);
    if (begin > end) return {};
    return std::string(text_.substr(begin, end - begin));
  }

 private:
  // byte_at_unit_[u]: the byte where UTF-16 unit u starts (the second unit of
  // a surrogate pair has none: its entry is the end of the text); the last
  // entry is the end of the text.
  void index() {
    byte_at_unit_.reserve(text_.size() + 1);
    for (size_t i = 0; i < text_.size(); ++i) {
      auto c = static_cast<unsigned char>(text_[i]);
      if ((c & 0xC0) == 0x80) continue;  // a continuation byte
      byte_at_unit_.push_back(i);
      if (c >= 0xF0) byte_at_unit_.push_back(text_.size());
    }
    byte_at_unit_.push_back(text_.size());
  }

  std::string_view text_;
  std::vector<size_t> byte_at_unit_;
};

enum class State { Pending, Binding, Done, Failed };

class Block final : public DefinitionResolver {
 public:
  Block(Engine::Impl& impl, std::string_view text, const std::vector<ast::Definition>& definitions,
        DefineResult& result)
      : impl_(impl), text_(text), slicer_(text), definitions_(definitions), result_(result) {}

  void run() {
    collect();
    DefinitionResolver* outer = impl_.resolver;
    impl_.resolver = this;
    for (auto& [name, type] : types_) resolve_type(name);
    declare_functions();
    for (auto& f : functions_) bind_function(f);
    for (const std::string& name : binding_order()) resolve_formula(name);
    impl_.resolver = outer;
    settle();
  }

  // How many formulas may be bound inside one another (a formula is bound
  // when another that reads it is, if it was not bound before).
  static constexpr size_t kMaxBindingDepth = 256;

  // The block's formulas, each after the formulas of the block its text
  // names (found without binding: every identifier in it), so that binding one
  // rarely binds another inside it: a long chain written last link first
  // would otherwise nest one binding per link. Formulas on a cycle of names
  // keep their place in the text, so that a cycle is reported from its first
  // formula, as binding in text order finds it.
  std::vector<std::string> binding_order() const {
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < formula_order_.size(); ++i) index[formula_order_[i]] = i;
    std::vector<std::vector<size_t>> names_in(formula_order_.size());
    for (size_t i = 0; i < formula_order_.size(); ++i) {
      const ast::Definition* d = formulas_.at(formula_order_[i]).def;
      if (!d->body) continue;
      std::vector<const ast::Node*> todo{d->body.get()};
      while (!todo.empty()) {
        const ast::Node* n = todo.back();
        todo.pop_back();
        if (auto it = index.find(n->ident.name); !n->ident.name.empty() && it != index.end())
          names_in[i].push_back(it->second);
        // Pushed last first: names are found in the order of the text.
        for (auto f = n->fields.rbegin(); f != n->fields.rend(); ++f)
          if (f->value) todo.push_back(f->value.get());
        for (auto c = n->children.rbegin(); c != n->children.rend(); ++c)
          if (*c) todo.push_back(c->get());
      }
    }
    std::vector<char> cyclic = on_cycles(
        names_in.size(), [&](size_t v) -> const std::vector<size_t>& { return names_in[v]; });
    std::vector<std::string> order;
    std::vector<char> visited(formula_order_.size(), 0);
    for (size_t root = 0; root < formula_order_.size(); ++root) {
      if (visited[root]) continue;
      visited[root] = 1;
      std::vector<std::pair<size_t, size_t>> stack{{root, 0}};  // (formula, next name)
      while (!stack.empty()) {
        size_t at = stack.back().first;
        size_t next = stack.back().second++;
        if (!cyclic[at] && next < names_in[at].size()) {
          size_t read = names_in[at][next];
          if (!cyclic[read] && !visited[read]) {
            visited[read] = 1;
            stack.emplace_back(read, 0);
          }
          continue;
        }
        order.push_back(formula_order_[at]);
        stack.pop_back();
      }
    }
    return order;
  }

  Status resolve_formula(const std::string& name) override {
    auto it = formulas_.find(name);
    if (it == formulas_.end()) return Status::NotPending;
    PendingFormula& f = it->second;
    switch (f.state) {
      case State::Done:
        return Status::Resolved;
      case State::Failed:
        return Status::Failed;
      case State::Binding:
        report_cycle(name);
        return Status::Failed;
      case State::Pending:
        break;
    }
    if (binding_.size() >= kMaxBindingDepth) {
      // Only a cycle longer than this gets here (binding_order binds what a
      // formula reads before it): an error, not a stack overflow.
      error(f.def->name.span, "Named formula " + name + " is part of a chain of definitions " +
                                  "nested too deeply (more than " +
                                  std::to_string(kMaxBindingDepth) + " levels); " +
                                  "it may contain a cycle.");
      f.state = State::Failed;
      return Status::Failed;
    }
    f.state = State::Binding;
    binding_.push_back(name);
    const ast::Definition& d = *f.def;
    CheckOptions options;
    BindResult bound;
    if (d.body->kind == ast::Kind::Call && d.body->ident.name == "Type") {
      error(d.body->span,
            "Incorrect syntax: '=' cannot be used to declare user-defined types. Use ':=' "
            "instead.");
    } else {
      bound = bind(impl_, *d.body, options);
    }
    binding_.pop_back();
    if (f.state == State::Failed) return Status::Failed;  // part of a cycle found meanwhile
    bool failed = !bound.root || has_errors(bound.diagnostics) || bound.reads_failed_definition;
    append(bound.diagnostics);
    if (failed) {
      f.state = State::Failed;
      return Status::Failed;
    }
    // Declare it now: the formulas bound after this one read it by its slot.
    if (auto existing = impl_.symbol_index.find(name); existing != impl_.symbol_index.end()) {
      f.previous = impl_.symbols[existing->second];
      f.slot = existing->second;
    } else {
      f.slot = impl_.symbols.size();
      impl_.symbol_index[name] = f.slot;
      impl_.symbols.push_back(make_symbol(name, Type(), Value(), SymbolFlags{false, false}));
    }
    Symbol& symbol = impl_.symbols[f.slot];
    symbol.type = bound.root->type;
    symbol.value = Value();
    symbol.getter = nullptr;
    symbol.flags = SymbolFlags{false, false};
    symbol.formula = std::make_shared<NamedFormula>();
    symbol.formula->source = slicer_.slice(d.body->span);
    symbol.formula->set_root(std::move(bound.root));
    f.bound = std::move(bound);
    f.state = State::Done;
    f.declared = true;
    return Status::Resolved;
  }

  std::optional<Type> resolve_type(const std::string& name) override {
    auto it = types_.find(name);
    if (it == types_.end()) {
      auto existing = impl_.user_types.find(name);
      if (existing == impl_.user_types.end()) return std::nullopt;
      return existing->second;
    }
    PendingType& t = it->second;
    // A type that failed is Unknown to those using it: its own diagnostic explains them.
    switch (t.state) {
      case State::Done:
        return t.type;
      case State::Failed:
        return Type::unknown();
      case State::Binding:
        if (!t.cycle_reported)
          error(t.def->name.span,
                "Declaration of type " + name + " is invalid and may contain cycles.");
        t.cycle_reported = true;
        t.state = State::Failed;
        return Type::unknown();
      case State::Pending:
        break;
    }
    t.state = State::Binding;
    const ast::Definition& d = *t.def;
    size_t errors_before = result_.diagnostics.size();
    std::optional<Type> type;
    if (is_builtin_type_name(name)) {
      error(d.name.span, "Restricted type name " + name + " cannot be used.");
    } else {
      type = declared_type(
          *d.body, name, [&](Span span, std::string message) { error(span, std::move(message)); },
          [&](const std::string& other) { return resolve_type(other); });
    }
    if (t.state == State::Failed || !type || result_.diagnostics.size() != errors_before) {
      t.state = State::Failed;
      return Type::unknown();
    }
    t.type = *type;
    t.state = State::Done;
    return t.type;
  }

 private:
  struct PendingFormula {
    const ast::Definition* def = nullptr;
    State state = State::Pending;
    size_t slot = 0;
    std::optional<Symbol> previous;  // the definition it replaces
    bool declared = false;
    BindResult bound;
  };
  struct PendingType {
    const ast::Definition* def = nullptr;
    State state = State::Pending;
    Type type;
    bool cycle_reported = false;
  };
  struct PendingFunction {
    const ast::Definition* def = nullptr;
    UserFunction* fn = nullptr;  // null when its signature does not check
    const UserFunction* previous = nullptr;
    bool failed = false;
    std::vector<std::string> reads;  // names of the symbols its body reads
    // The same as symbols: an embedder's members (a control's `Box.Text`)
    // have no name of their own to find them by.
    std::vector<SymbolId> read_ids;
  };

  void error(Span span, std::string message) {
    result_.diagnostics.push_back(Diagnostic{span, Severity::Error, std::move(message)});
  }
  void warning(Span span, std::string message) {
    result_.diagnostics.push_back(Diagnostic{span, Severity::Warning, std::move(message)});
  }
  void append(std::vector<Diagnostic>& diagnostics) {
    for (auto& d : diagnostics) result_.diagnostics.push_back(std::move(d));
  }

  // Sorts the definitions by kind; a name defined twice in the block is an error.
  void collect() {
    std::set<std::string> functions_seen;
    for (const ast::Definition& d : definitions_) {
      const std::string& name = d.name.name;
      switch (d.kind) {
        case ast::DefinitionKind::Formula:
          if (formulas_.count(name)) {
            error(d.name.span, "NamedFormula '" + name + "' already exists.");
            continue;
          }
          if (auto it = impl_.symbol_index.find(name);
              it != impl_.symbol_index.end() && !impl_.symbols[it->second].formula) {
            error(d.name.span, "'" + name +
                                   "' is already the name of a variable or data source; a named "
                                   "formula needs a name of its own.");
            continue;
          }
          if (!d.body) continue;  // reported by the parser
          formulas_[name].def = &d;
          formula_order_.push_back(name);
          break;
        case ast::DefinitionKind::Type:
          if (types_.count(name)) {
            error(d.name.span, "Type " + name + " is already defined.");
            continue;
          }
          if (!d.body) continue;
          types_[name].def = &d;
          break;
        case ast::DefinitionKind::Function:
          if (!functions_seen.insert(name).second) {
            error(d.name.span, "Function " + name + " is already defined.");
            continue;
          }
          if (!d.body) continue;
          functions_.push_back(PendingFunction{&d, nullptr, nullptr, false, {}});
          break;
      }
    }
  }

  std::optional<Type> signature_type(const ast::Identifier& id, bool parameter) {
    if (id.name.empty()) return std::nullopt;  // missing: reported by the parser
    if (id.name == "Void") {
      if (!parameter) return Type::void_();
      error(id.span, "The stated function argument type " + id.name + " is invalid.");
      return std::nullopt;
    }
    auto type = type_by_name(id.name, [&](const std::string& n) { return resolve_type(n); });
    if (!type) error(id.span, "Unknown type " + id.name + ".");
    return type;
  }

  // Step 2: every function whose signature checks is registered, so that the
  // bodies bound next may call it.
  void declare_functions() {
    for (PendingFunction& f : functions_) {
      const ast::Definition& d = *f.def;
      const std::string& name = d.name.name;
      if (restricted_function_name(name)) {
        error(d.name.span, "Function name " + name + " is restricted.");
        continue;
      }
      if (d.params.size() > kMaxParameters) {
        error(d.name.span, "Function " + name +
                               " has too many parameters. User-defined functions support up "
                               "to " +
                               std::to_string(kMaxParameters) + " parameters.");
        continue;
      }
      auto fn = std::make_unique<UserFunction>();
      fn->name = name;
      fn->behavior = d.behavior;
      bool ok = true;
      std::set<std::string> seen;
      for (const ast::Parameter& p : d.params) {
        if (!seen.insert(p.name.name).second) {
          error(p.name.span, "Parameter " + p.name.name + " is a duplicate.");
          ok = false;
          continue;
        }
        auto type = signature_type(p.type, true);
        if (!type) {
          ok = false;
          continue;
        }
        fn->params.emplace_back(p.name.name, *type);
        fn->type_names.push_back(p.type.name);
      }
      fn->type_names.push_back(d.return_type.name);
      auto returns = signature_type(d.return_type, false);
      if (!returns) ok = false;
      if (!ok) continue;
      if (returns->is(TypeKind::Void) && !d.behavior) {
        error(d.return_type.span,
              "Void return type is only supported with behavior user-defined functions.");
        continue;
      }
      if (impl_.functions.count(name))
        warning(d.name.span, "Warning: User-defined function " + name +
                                 " will shadow the existing built-in function " + name + ".");
      fn->returns = *returns;
      fn->scope = Type::record(fn->params);
      f.previous = impl_.find_user_function(name);
      f.fn = fn.get();
      impl_.user_functions[name] = fn.get();
      impl_.user_function_store.push_back(std::move(fn));
    }
  }

  void bind_function(PendingFunction& f) {
    if (!f.fn) {
      f.failed = true;
      return;
    }
    const ast::Definition& d = *f.def;
    CheckOptions options;
    options.behavior = d.behavior;
    FunctionBodyScope scope{f.fn};
    BindResult bound = bind(impl_, *d.body, options, &scope);
    bool failed = !bound.root || has_errors(bound.diagnostics) || bound.reads_failed_definition;
    append(bound.diagnostics);
    if (!failed && !f.fn->returns.is(TypeKind::Void))
      failed = !check_return_type(d, f.fn->returns, bound.root);
    if (failed) {
      f.failed = true;
      return;
    }
    f.fn->body = std::move(bound.root);
    f.fn->calls = std::move(bound.calls);
    f.reads = std::move(bound.dependencies);
    f.read_ids = std::move(bound.dependency_ids);
    f.fn->source = slicer_.slice(d.body->span);
    if (d.behavior && f.fn->source.size() >= 2 && f.fn->source.front() == '{' &&
        f.fn->source.back() == '}')
      f.fn->source = f.fn->source.substr(1, f.fn->source.size() - 2);
  }

  // The body's value must be of the stated return type, or convert to it.
  bool check_return_type(const ast::Definition& d, const Type& declared, ir::NodePtr& body) {
    const Type& actual = body->type;
    const ast::Node* last = d.body.get();
    if (last->kind == ast::Kind::Chain && !last->children.empty())
      last = last->children.back().get();
    if (actual.is(TypeKind::Unknown) || actual.is(TypeKind::Blank) || actual.is(TypeKind::Error))
      return true;
    if (declared.is_aggregate() && actual.kind() == declared.kind()) {
      for (size_t i = 0; i < actual.field_count(); ++i) {
        const Type* expected = declared.field(actual.field_name(i));
        if (!expected) {
          error(last->span, "Invalid function body. Returned " + msg::type_name(declared) +
                                " value, contains an unexpected additional field '" +
                                actual.field_name(i) + "'.");
          return false;
        }
        const Type& got = actual.field_type(i);
        if (got.kind() != expected->kind() && !got.is(TypeKind::Blank)) {
          error(last->span, "Incompatible function body. The '" + actual.field_name(i) +
                                "' column in the function return type expects a '" +
                                msg::type_name(*expected) + "' type and you're returning a '" +
                                msg::type_name(got) + "' type in function body.");
          return false;
        }
      }
      body->type = declared;
      return true;
    }
    bool scalars = !declared.is_aggregate() && !actual.is_aggregate() &&
                   !actual.is(TypeKind::Void) && can_coerce(actual, declared);
    if (actual.kind() == declared.kind() && !declared.is(TypeKind::Enum)) return true;
    if (!scalars) {
      error(last->span, "The stated function return type '" + msg::type_name(declared) +
                            "' does not match the return type of the function body '" +
                            msg::type_name(actual) + "'.");
      return false;
    }
    auto wrapper = std::make_unique<ir::Node>();
    wrapper->op = ir::Op::Coerce;
    wrapper->type = declared;
    wrapper->span = body->span;
    wrapper->coerce_from = actual.kind();
    wrapper->kids.push_back(std::move(body));
    body = std::move(wrapper);
    return true;
  }

  void report_cycle(const std::string& name) {
    auto from = std::find(binding_.begin(), binding_.end(), name);
    std::vector<std::string> path(from, binding_.end());
    path.push_back(name);
    for (size_t i = 0; i + 1 < path.size(); ++i) formulas_[path[i]].state = State::Failed;
    error(formulas_[name].def->name.span, cycle_message(path));
  }

  size_t slot_of(const std::string& name) const {
    auto it = impl_.symbol_index.find(name);
    return it == impl_.symbol_index.end() ? SIZE_MAX : it->second;
  }

  // Step 4.
  void settle() {
    propagate_failures();
    // Reads: direct ones, and those of the functions called, transitively.
    for (PendingFunction& f : functions_) {
      if (f.failed || !f.fn) continue;
      f.fn->reads.clear();
      for (const std::string& n : f.reads)
        if (size_t s = slot_of(n); s != SIZE_MAX) f.fn->reads.push_back(s);
      f.fn->reads.insert(f.fn->reads.end(), f.read_ids.begin(), f.read_ids.end());
      std::sort(f.fn->reads.begin(), f.fn->reads.end());
      f.fn->reads.erase(std::unique(f.fn->reads.begin(), f.fn->reads.end()), f.fn->reads.end());
    }
    close_function_reads();
    for (const std::string& name : formula_order_) {
      PendingFormula& f = formulas_[name];
      if (f.state != State::Done) continue;
      NamedFormula& formula = *impl_.symbols[f.slot].formula;
      std::set<size_t> reads;
      for (const std::string& n : f.bound.dependencies)
        if (size_t s = slot_of(n); s != SIZE_MAX) reads.insert(s);
      // Members (`Box.Text`) are found by their symbol: they have no name.
      reads.insert(f.bound.dependency_ids.begin(), f.bound.dependency_ids.end());
      for (const UserFunction* c : f.bound.calls) reads.insert(c->reads.begin(), c->reads.end());
      formula.reads.assign(reads.begin(), reads.end());
      formula.called.clear();
      for (const UserFunction* c : f.bound.calls) formula.called.push_back(c->name);
    }
    // Cycles through functions or through formulas of earlier blocks.
    std::vector<char> on_cycle = slots_on_cycles();
    for (const std::string& name : formula_order_) {
      PendingFormula& f = formulas_[name];
      if (f.state != State::Done || f.slot >= on_cycle.size() || !on_cycle[f.slot]) continue;
      std::vector<size_t> path;
      if (find_cycle(f.slot, f.slot, path)) {
        std::vector<std::string> names{name};
        for (size_t s : path) names.push_back(impl_.symbols[s].name);
        error(f.def->name.span, cycle_message(names));
        f.state = State::Failed;
      }
    }
    propagate_failures();
    // Undo the declarations of the formulas that failed after all.
    for (auto& [name, f] : formulas_) {
      if (f.state != State::Failed || !f.declared) continue;
      if (f.previous) {
        impl_.symbols[f.slot] = *f.previous;
      } else {
        impl_.symbol_index.erase(name);
        impl_.symbols[f.slot] = Symbol{};  // a tombstone: slots never move
      }
    }
    for (PendingFunction& f : functions_) {
      if (!f.failed || !f.fn) continue;
      if (f.previous)
        impl_.user_functions[f.fn->name] = f.previous;
      else
        impl_.user_functions.erase(f.fn->name);
    }

    // What is defined now.
    for (const ast::Definition& d : definitions_) {
      bool defined = false;
      switch (d.kind) {
        case ast::DefinitionKind::Formula: {
          auto it = formulas_.find(d.name.name);
          defined =
              it != formulas_.end() && it->second.def == &d && it->second.state == State::Done;
          break;
        }
        case ast::DefinitionKind::Type: {
          auto it = types_.find(d.name.name);
          defined = it != types_.end() && it->second.def == &d && it->second.state == State::Done;
          if (defined) impl_.user_types[d.name.name] = it->second.type;
          break;
        }
        case ast::DefinitionKind::Function:
          for (const PendingFunction& f : functions_)
            if (f.def == &d && !f.failed && f.fn) defined = true;
          break;
      }
      if (defined) {
        result_.defined.push_back(
            DefinedName{static_cast<DefinitionKind>(d.kind), d.name.name, d.name.span});
        redefined_ = redefined_ || replaced(d);
      }
    }
    if (redefined_) rebind_earlier_definitions();
    impl_.rebuild_dependents();
    for (Symbol& s : impl_.symbols)
      if (s.formula) {
        s.formula_cached = false;
        s.formula->volatile_value = false;
      }
    // Volatile: reads a computed symbol, or a volatile formula.
    for (bool changed = true; changed;) {
      changed = false;
      for (Symbol& s : impl_.symbols)
        if (s.formula && !s.formula->volatile_value && reads_volatile(s.formula->reads)) {
          s.formula->volatile_value = true;
          changed = true;
        }
    }
  }

  // A definition that calls a failed function or reads a failed formula fails,
  // until nothing changes.
  void propagate_failures() {
    std::unordered_set<const UserFunction*> failed_functions;
    std::unordered_set<std::string> failed_formulas;
    auto fails = [&](const std::vector<const UserFunction*>& calls,
                     const std::vector<std::string>& reads) {
      for (const UserFunction* c : calls)
        if (failed_functions.count(c)) return true;
      for (const std::string& r : reads)
        if (failed_formulas.count(r)) return true;
      return false;
    };
    for (bool changed = true; changed;) {
      changed = false;
      for (PendingFunction& f : functions_) {
        if (f.fn && (f.failed || fails(f.fn->calls, f.reads)) &&
            failed_functions.insert(f.fn).second) {
          f.failed = true;
          changed = true;
        }
      }
      for (auto& [name, f] : formulas_) {
        if (f.state == State::Done && fails(f.bound.calls, f.bound.dependencies))
          f.state = State::Failed;
        if (f.state == State::Failed && failed_formulas.insert(name).second) changed = true;
      }
    }
  }

  bool replaced(const ast::Definition& d) const {
    switch (d.kind) {
      case ast::DefinitionKind::Formula: {
        auto it = formulas_.find(d.name.name);
        return it != formulas_.end() && it->second.previous.has_value();
      }
      case ast::DefinitionKind::Function:
        for (const PendingFunction& f : functions_)
          if (f.def == &d) return f.previous != nullptr;
        return false;
      case ast::DefinitionKind::Type:
        return true;  // types are compiled into what uses them
    }
    return false;
  }

  bool reads_volatile(const std::vector<size_t>& reads) const {
    for (size_t s : reads) {
      if (s >= impl_.symbols.size()) continue;
      const Symbol& symbol = impl_.symbols[s];
      if ((symbol.getter && !symbol.flags.announces_changes) ||
          (symbol.formula && symbol.formula->volatile_value))
        return true;
    }
    return false;
  }

  // Whether `to` is reachable from `from` through formulas' reads; `path` the
  // symbols on the way (ending with `to`).
  // A path of reads from formula `from` back to `to` (depth first, without
  // recursion: chains of formulas can be long).
  bool find_cycle(size_t from, size_t to, std::vector<size_t>& path) {
    std::unordered_set<size_t> seen;
    std::vector<std::pair<size_t, size_t>> stack{{from, 0}};  // (formula, next read)
    while (!stack.empty()) {
      size_t at = stack.back().first;
      size_t next = stack.back().second++;
      const auto& formula = impl_.symbols[at].formula;
      if (!formula || next >= formula->reads.size()) {
        stack.pop_back();
        if (!path.empty()) path.pop_back();
        continue;
      }
      size_t r = formula->reads[next];
      if (r == to) {
        path.push_back(r);
        return true;
      }
      if (!seen.insert(r).second) continue;
      path.push_back(r);
      stack.emplace_back(r, 0);
    }
    return false;
  }

  // Per symbol slot, whether its formula lies on a cycle of reads (on_cycles).
  std::vector<char> slots_on_cycles() const {
    const auto& symbols = impl_.symbols;
    static const std::vector<size_t> kNoReads;
    return on_cycles(symbols.size(), [&](size_t s) -> const std::vector<size_t>& {
      return symbols[s].formula ? symbols[s].formula->reads : kNoReads;
    });
  }

  // Every function's reads include those of the functions it calls.
  void close_function_reads() {
    for (bool changed = true; changed;) {
      changed = false;
      for (auto& fn : impl_.user_function_store) {
        std::set<size_t> reads(fn->reads.begin(), fn->reads.end());
        size_t before = reads.size();
        for (const UserFunction* c : fn->calls) reads.insert(c->reads.begin(), c->reads.end());
        if (reads.size() != before) {
          fn->reads.assign(reads.begin(), reads.end());
          changed = true;
        }
      }
    }
  }

  // After a redefinition, the formulas and functions of earlier blocks are
  // bound again against what the names mean now. One that no longer checks
  // keeps its name; its value becomes an error (a warning says why).
  void rebind_earlier_definitions() {
    std::unordered_set<const UserFunction*> block_functions;
    for (const PendingFunction& f : functions_)
      if (f.fn) block_functions.insert(f.fn);
    for (auto& [name, fn] : impl_.user_functions) {
      auto* function = const_cast<UserFunction*>(fn);
      if (block_functions.count(fn) || function->source.empty()) continue;
      auto parsed =
          ast::parse(function->source, ast::ParseOptions{.allow_chaining = function->behavior});
      if (!parsed.root || has_errors(parsed.diagnostics)) continue;
      CheckOptions options;
      options.behavior = function->behavior;
      FunctionBodyScope scope{function};
      BindResult bound = bind(impl_, *parsed.root, options, &scope);
      if (!bound.root || has_errors(bound.diagnostics)) {
        function->body = nullptr;
        warning(Span{},
                "Function " + name + " no longer checks: " +
                    (bound.diagnostics.empty() ? std::string() : bound.diagnostics[0].message));
        continue;
      }
      function->body = std::move(bound.root);
      function->calls = std::move(bound.calls);
      function->reads.clear();
      for (const std::string& n : bound.dependencies)
        if (size_t s = slot_of(n); s != SIZE_MAX) function->reads.push_back(s);
    }
    close_function_reads();
    std::unordered_set<size_t> block_slots;
    for (auto& [name, f] : formulas_)
      if (f.state == State::Done) block_slots.insert(f.slot);
    // Earlier formulas in definition (slot) order: each reads only formulas
    // defined before it, or rebound before it here.
    for (size_t slot = 0; slot < impl_.symbols.size(); ++slot) {
      Symbol& symbol = impl_.symbols[slot];
      if (!symbol.formula || block_slots.count(slot)) continue;
      auto formula = std::make_shared<NamedFormula>(*symbol.formula);
      auto parsed = ast::parse(formula->source);
      if (!parsed.root || has_errors(parsed.diagnostics)) continue;
      BindResult bound = bind(impl_, *parsed.root, CheckOptions{});
      if (!bound.root || has_errors(bound.diagnostics)) {
        formula->set_root(nullptr);
        formula->failure = bound.diagnostics.empty() ? "" : bound.diagnostics[0].message;
        warning(Span{}, "Named formula " + symbol.name + " no longer checks: " + formula->failure);
      } else {
        symbol.type = bound.root->type;
        formula->set_root(std::move(bound.root));
        formula->failure.clear();
        std::set<size_t> reads;
        for (const std::string& n : bound.dependencies)
          if (size_t s = slot_of(n); s != SIZE_MAX) reads.insert(s);
        for (const UserFunction* c : bound.calls) reads.insert(c->reads.begin(), c->reads.end());
        formula->reads.assign(reads.begin(), reads.end());
      }
      symbol.formula = std::move(formula);
    }
  }

  Engine::Impl& impl_;
  std::string_view text_;
  Utf16Slicer slicer_;
  const std::vector<ast::Definition>& definitions_;
  DefineResult& result_;
  std::map<std::string, PendingFormula> formulas_;
  std::vector<std::string> formula_order_;
  std::map<std::string, PendingType> types_;
  std::vector<PendingFunction> functions_;
  std::vector<std::string> binding_;  // the formulas being bound, outermost first
  bool redefined_ = false;
};

}  // namespace

std::string UserFunction::signature() const {
  std::string text = name + "(";
  for (size_t i = 0; i < params.size(); ++i)
    text += (i ? ", " : "") + params[i].first + ": " + type_names[i];
  return text + "): " + type_names.back();
}

void Engine::Impl::symbol_changed(size_t slot) {
  if (slot >= symbols.size()) return;
  // Only the formulas reading it: a Set in a loop stays cheap when none does.
  // A formula that is stale already has stale readers (a formula is cached
  // only after what it reads is), so the walk stops there: a change costs what
  // it makes stale, and a chain of formulas is walked once, not once per link.
  std::vector<size_t> todo = symbols[slot].dependents;
  while (!todo.empty()) {
    size_t s = todo.back();
    todo.pop_back();
    Symbol& reader = symbols[s];
    if (!reader.formula || !reader.formula_cached) continue;
    reader.formula_cached = false;
    for (size_t d : symbols[s].dependents) todo.push_back(d);  // most have one: no memmove call
  }
  if (change_listener) change_listener(slot);
}

std::vector<size_t> Engine::Impl::formulas_reading(size_t slot) const {
  std::set<size_t> found;
  std::vector<size_t> todo = symbols[slot].dependents;
  while (!todo.empty()) {
    size_t s = todo.back();
    todo.pop_back();
    if (!found.insert(s).second) continue;
    todo.insert(todo.end(), symbols[s].dependents.begin(), symbols[s].dependents.end());
  }
  // Kahn's algorithm over the reads among the found formulas; ties by slot.
  std::map<size_t, size_t> pending_reads;
  for (size_t s : found) {
    size_t n = 0;
    for (size_t r : symbols[s].formula->reads) n += found.count(r);
    pending_reads[s] = n;
  }
  std::vector<size_t> order;
  std::set<size_t> ready;
  for (auto& [s, n] : pending_reads)
    if (n == 0) ready.insert(s);
  while (!ready.empty()) {
    size_t s = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(s);
    for (size_t d : symbols[s].dependents)
      if (found.count(d) && --pending_reads[d] == 0) ready.insert(d);
  }
  return order;
}

void Engine::Impl::rebuild_dependents() {
  for (Symbol& s : symbols) s.dependents.clear();
  for (size_t slot = 0; slot < symbols.size(); ++slot) {
    const auto& formula = symbols[slot].formula;
    if (!formula) continue;
    for (size_t r : formula->reads)
      if (r < symbols.size()) symbols[r].dependents.push_back(slot);
  }
}

// The text is kept: the definitions' spans and sources are slices of it.
class ParsedDefinitionsImpl {
 public:
  std::string text;
  ast::DefinitionsResult parsed;
};

ParsedDefinitions::ParsedDefinitions(std::shared_ptr<const ParsedDefinitionsImpl> impl)
    : impl_(std::move(impl)) {}

ParsedDefinitions Engine::parse_definitions(std::string_view text, const DefineOptions& options) {
  ast::DefinitionsOptions parse_options;
  parse_options.final_semicolon_optional = options.final_semicolon_optional;
  parse_options.reserved_keywords = !impl_->features.disable_reserved_keywords;
  parse_options.max_length = impl_->max_formula_length;
  parse_options.max_literal_length = impl_->max_literal_length;
  auto impl = std::make_shared<ParsedDefinitionsImpl>();
  impl->text = std::string(text);
  impl->parsed = ast::parse_definitions(impl->text, parse_options);
  return ParsedDefinitions(std::move(impl));
}

DefineResult Engine::define(std::string_view text, const DefineOptions& options) {
  return define(parse_definitions(text, options));
}

DefineResult Engine::define(const ParsedDefinitions& parsed_definitions) {
  const ParsedDefinitionsImpl& parsed = *parsed_definitions.impl_;
  DefineResult result;
  result.diagnostics = parsed.parsed.diagnostics;
  if (has_errors(result.diagnostics)) return result;
  Block block(*impl_, parsed.text, parsed.parsed.definitions, result);
  block.run();
  std::stable_sort(
      result.diagnostics.begin(), result.diagnostics.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.span.min < b.span.min; });
  return result;
}

bool Engine::is_definition(std::string_view text) { return ast::starts_with_definition(text); }

bool Engine::is_formula(std::string_view name) const {
  auto id = find_symbol(name);
  return id && impl_->symbols[*id].formula;
}

std::vector<std::string> Engine::formula_names() const {
  std::vector<std::string> names;
  for (const Symbol& s : impl_->symbols)
    if (s.formula) names.push_back(s.name);
  return names;
}

Value Engine::formula_value(std::string_view name) {
  auto id = find_symbol(name);
  if (!id || !impl_->symbols[*id].formula)
    return Value::error(ErrorKind::InvalidArgument,
                        "No named formula is called " + std::string(name), Span{});
  return read_formula(*impl_, *id);
}

std::vector<std::string> Engine::formula_dependencies(std::string_view name) const {
  std::vector<std::string> names;
  auto id = find_symbol(name);
  if (!id || !impl_->symbols[*id].formula) return names;
  for (size_t s : impl_->symbols[*id].formula->reads)
    if (s < impl_->symbols.size() && !impl_->symbols[s].name.empty())
      names.push_back(impl_->symbols[s].name);
  return names;
}

std::vector<std::string> Engine::invalidated_by(std::string_view symbol) const {
  std::vector<std::string> names;
  auto id = find_symbol(symbol);
  if (!id) return names;
  for (size_t s : impl_->formulas_reading(*id)) names.push_back(impl_->symbols[s].name);
  return names;
}

void Engine::invalidate(std::string_view symbol) {
  if (auto id = find_symbol(symbol)) impl_->symbol_changed(*id);
}

void Engine::invalidate(SymbolId id) { impl_->symbol_changed(id); }

void Engine::set_change_listener(std::function<void(std::string_view)> listener) {
  if (!listener) {
    impl_->change_listener = nullptr;
    return;
  }
  impl_->change_listener = [this, listener = std::move(listener)](SymbolId slot) {
    listener(impl_->symbols[slot].name);
  };
}

void Engine::set_change_listener(std::function<void(SymbolId)> listener) {
  impl_->change_listener = std::move(listener);
}

bool Engine::is_user_function(std::string_view name) const {
  return impl_->find_user_function(name) != nullptr;
}

std::string Engine::user_function_signature(std::string_view name) const {
  const UserFunction* fn = impl_->find_user_function(name);
  return fn ? fn->signature() : std::string();
}

std::optional<Type> Engine::user_type(std::string_view name) const {
  auto it = impl_->user_types.find(std::string(name));
  if (it == impl_->user_types.end()) return std::nullopt;
  return it->second;
}

}  // namespace canvasfx
