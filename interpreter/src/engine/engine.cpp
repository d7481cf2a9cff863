// The public Engine: symbols, builtins, check and eval.
#include <algorithm>
#include <stdexcept>

#include "bind/invariants.h"
#include "canvasfx/timezone.h"
#include "engine/engine_impl.h"
#include "parse/ast.h"
#include "value/memory_meter.h"

namespace canvasfx {

namespace {
// 268435456 -> "256 MB": budgets are set in whole megabytes, or shown in bytes.
std::string describe_bytes(int64_t bytes) {
  constexpr int64_t kMB = 1024 * 1024;
  if (bytes % kMB == 0) return std::to_string(bytes / kMB) + " MB";
  return std::to_string(bytes) + " bytes";
}
}  // namespace

CompiledFormula::CompiledFormula(std::shared_ptr<const CompiledFormulaImpl> impl)
    : impl_(std::move(impl)) {}

Value CompiledFormula::eval(Engine& engine) const { return run(engine, nullptr); }
Value CompiledFormula::eval(Engine& engine, const Value& row) const { return run(engine, &row); }

Value CompiledFormula::run(Engine& engine, const Value* row) const {
  Engine::Impl& state = engine.impl();
  // A cancel() stands until the outermost evaluation ends: one made while the
  // formula was still being checked stops it too.
  struct Running {
    Engine::Impl& state;
    explicit Running(Engine::Impl& s) : state(s) { ++state.running_evaluations; }
    ~Running() {
      if (--state.running_evaluations == 0)
        state.cancel_requested.store(false, std::memory_order_relaxed);
    }
  } running(state);
  try {
    return evaluate(state, *impl_->root, impl_->behavior, row);
  } catch (const EvaluationTimeout&) {
    return Value::error(ErrorKind::Timeout, "The formula ran longer than the time limit",
                        impl_->root->span);
  } catch (const EvaluationCancelled&) {
    return Value::error(ErrorKind::Timeout, "The evaluation was cancelled", impl_->root->span);
  } catch (const memory::EvaluationOutOfMemory& e) {
    return Value::error(
        ErrorKind::InsufficientMemory,
        "The formula needed more memory than its budget of " + describe_bytes(e.budget) + ".",
        impl_->root->span);
  } catch (const TableSourceError& e) {
    return Value::error(e.kind(), e.what(), impl_->root->span);
  } catch (const std::bad_alloc&) {
    return Value::error(ErrorKind::InsufficientMemory, "Out of memory", impl_->root->span);
  } catch (const std::exception& e) {
    // A host fault or a bug: an error value at the engine boundary, never a crash.
    return Value::error(ErrorKind::Internal, e.what(), impl_->root->span);
  }
}

const Type& CompiledFormula::type() const { return impl_->type; }
const std::vector<std::string>& CompiledFormula::dependencies() const {
  return impl_->dependencies;
}
const std::vector<SymbolId>& CompiledFormula::dependency_ids() const {
  return impl_->dependency_ids;
}

ParsedFormula::ParsedFormula(std::shared_ptr<const ParsedFormulaImpl> impl)
    : impl_(std::move(impl)) {}
const std::vector<Diagnostic>& ParsedFormula::diagnostics() const {
  return impl_->parsed->diagnostics;
}
bool ParsedFormula::behavior() const { return impl_->behavior; }

const size_t* Symbol::member(std::string_view name) const {
  auto it = std::lower_bound(members.begin(), members.end(), name,
                             [](const auto& m, std::string_view n) { return m.first < n; });
  return it != members.end() && it->first == name ? &it->second : nullptr;
}

Engine::Engine(Features features) : impl_(std::make_unique<Impl>()) {
  impl_->features = features;
  impl_->time_zone = default_time_zone();
}
Engine::~Engine() = default;

Features& Engine::features() { return impl_->features; }
const Features& Engine::features() const { return impl_->features; }

void Engine::add_functions(FunctionTable rows) {
  for (const FunctionDef& row : rows) impl_->functions[std::string(row.name)].push_back(&row);
}

void Engine::add_enum(std::shared_ptr<const EnumInfo> info) {
  std::string name = info->name;
  impl_->enums[name] = std::move(info);
}

const EnumInfo* Engine::find_enum(std::string_view name) const {
  auto it = impl_->enums.find(std::string(name));
  return it == impl_->enums.end() ? nullptr : it->second.get();
}

bool Engine::has_function(std::string_view name) const {
  return impl_->functions.count(std::string(name)) > 0;
}

std::vector<std::string> Engine::function_names() const {
  std::vector<std::string> names;
  for (const auto& [name, rows] : impl_->functions) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<const FunctionDef*> Engine::function_overloads(std::string_view name) const {
  auto it = impl_->functions.find(std::string(name));
  return it == impl_->functions.end() ? std::vector<const FunctionDef*>{} : it->second;
}

std::vector<std::string> Engine::enum_names() const {
  std::vector<std::string> names;
  for (const auto& [name, info] : impl_->enums) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

Engine::SymbolId Engine::declare(std::string name, Type type, Value initial, SymbolFlags flags) {
  if (flags.hidden) {
    size_t id = impl_->symbols.size();
    impl_->symbols.push_back(
        make_symbol(std::move(name), std::move(type), std::move(initial), flags));
    return id;
  }
  if (auto it = impl_->symbol_index.find(name); it != impl_->symbol_index.end()) {
    Symbol& s = impl_->symbols[it->second];
    s.type = std::move(type);
    s.value = std::move(initial);
    s.flags = flags;
    s.getter = nullptr;
    s.formula = nullptr;
    impl_->symbol_changed(it->second);
    return it->second;
  }
  size_t id = impl_->symbols.size();
  impl_->symbol_index[name] = id;
  impl_->symbols.push_back(
      make_symbol(std::move(name), std::move(type), std::move(initial), flags));
  return id;
}

void Engine::reserve_symbols(size_t count) {
  impl_->symbols.reserve(impl_->symbols.size() + count);
}

Engine::SymbolId Engine::declare_computed(std::string name, Type type, SymbolGetter getter,
                                          SymbolFlags flags) {
  SymbolId id = declare(std::move(name), std::move(type), Value(), flags);
  impl_->symbols[id].getter = std::move(getter);
  return id;
}

namespace {
// The static type of a runtime value, for symbols declared from values.
Type type_of_value(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Blank:
      return Type::blank();
    case ValueKind::Boolean:
      return Type::boolean();
    case ValueKind::Number:
      return Type::number();
    case ValueKind::Text:
      return Type::text();
    case ValueKind::Date:
      return Type::date();
    case ValueKind::Time:
      return Type::time();
    case ValueKind::DateTime:
      return Type::datetime();
    case ValueKind::Color:
      return Type::color();
    case ValueKind::Guid:
      return Type::guid();
    case ValueKind::Record: {
      std::vector<std::pair<std::string, Type>> fields;
      for (const auto& [name, value] : v.fields()) fields.emplace_back(name, type_of_value(value));
      return Type::record(std::move(fields));
    }
    case ValueKind::Table: {
      if (v.row_type().field_count() > 0 || v.rows().empty()) return v.row_type().as_table();
      for (const Value& row : v.rows())
        if (row.is_record()) return type_of_value(row).as_table();
      return Type::table({});
    }
    case ValueKind::Enum:
      return Type::enum_of(v.enum_info());
    case ValueKind::Untyped:
      return Type::untyped();
    case ValueKind::Error:
      return Type::error();
    case ValueKind::Void:
      return Type::void_();
  }
  return Type::unknown();
}
}  // namespace

Engine::SymbolId Engine::set_value(std::string_view name, Value value) {
  if (auto it = impl_->symbol_index.find(std::string(name)); it != impl_->symbol_index.end()) {
    impl_->symbols[it->second].value = std::move(value);
    impl_->symbol_changed(it->second);
    return it->second;
  }
  Type t = type_of_value(value);
  return declare(std::string(name), std::move(t), std::move(value));
}

void Engine::set_value(SymbolId id, Value value) {
  impl_->symbols.at(id).value = std::move(value);
  impl_->symbol_changed(id);
}

void Engine::set_members(SymbolId object, std::vector<std::pair<std::string, SymbolId>> members) {
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  impl_->symbols.at(object).members = std::move(members);
}

std::optional<Engine::SymbolId> Engine::find_symbol(std::string_view name) const {
  auto it = impl_->symbol_index.find(std::string(name));
  if (it == impl_->symbol_index.end()) return std::nullopt;
  return it->second;
}

Value Engine::value(std::string_view name) const {
  auto id = find_symbol(name);
  return id ? value(*id) : Value();
}

Value Engine::value(SymbolId id) const {
  const Symbol& s = impl_->symbols.at(id);
  if (s.formula) return read_formula(*impl_, id);
  return s.getter ? s.getter() : s.value;
}

const Type& Engine::symbol_type(SymbolId id) const { return impl_->symbols.at(id).type; }
void Engine::set_type(SymbolId id, Type type) { impl_->symbols.at(id).type = std::move(type); }
std::string_view Engine::symbol_name(SymbolId id) const { return impl_->symbols.at(id).name; }
size_t Engine::symbol_count() const { return impl_->symbols.size(); }

CheckResult Engine::check(std::string_view formula, const CheckOptions& options) {
  return check(parse(formula, options), options);
}

ParsedFormula Engine::parse(std::string_view formula, const CheckOptions& options) {
  ast::ParseOptions parse_options;
  parse_options.max_length = impl_->max_formula_length;
  parse_options.max_literal_length = impl_->max_literal_length;
  parse_options.allow_chaining = options.behavior || impl_->features.enable_expression_chaining;
  parse_options.text_first = impl_->features.text_first;
  parse_options.reserved_keywords = !impl_->features.disable_reserved_keywords;
  auto impl = std::make_shared<ParsedFormulaImpl>();
  impl->parsed = std::make_shared<const ast::ParseResult>(ast::parse(formula, parse_options));
  impl->behavior = options.behavior;
  return ParsedFormula(std::move(impl));
}

CheckResult Engine::check(const ParsedFormula& parsed_formula, const CheckOptions& options) {
  CheckResult result;
  const ast::ParseResult& parsed = *parsed_formula.impl_->parsed;
  result.diagnostics = parsed.diagnostics;
  if (!parsed.root || has_errors(result.diagnostics)) return result;

  BindResult bound = bind(*impl_, *parsed.root, options);
  for (auto& d : bound.diagnostics) result.diagnostics.push_back(std::move(d));
  std::stable_sort(
      result.diagnostics.begin(), result.diagnostics.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.span.min < b.span.min; });
  result.type = bound.root ? bound.root->type : Type::unknown();
  if (has_errors(result.diagnostics) || !bound.root) return result;

  for (auto& symbol : bound.declared) {
    result.declared = symbol.name;
    declare(symbol.name, symbol.type);
  }
  // The REPL shows `x: value` after an assignment: a function of a variable and
  // its value (Set), the same shape the binder lets declare a variable.
  const ir::Node* last = bound.root.get();
  while (last->op == ir::Op::Chain && !last->kids.empty()) last = last->kids.back().get();
  if (last->op == ir::Op::Call && last->fn && last->fn->params == "va" && !last->kids.empty() &&
      last->kids[0]->op == ir::Op::Global && last->kids[0]->slot < impl_->symbols.size())
    result.assigned = impl_->symbols[last->kids[0]->slot].name;

  mark_row_invariants(*bound.root);
  auto impl = std::make_shared<CompiledFormulaImpl>();
  impl->root = std::move(bound.root);
  impl->type = result.type;
  impl->dependencies = std::move(bound.dependencies);
  impl->dependency_ids = std::move(bound.dependency_ids);
  impl->behavior = options.behavior;
  result.formula = std::make_shared<CompiledFormula>(std::move(impl));
  return result;
}

Value Engine::eval(std::string_view formula, const CheckOptions& options) {
  CheckResult checked = check(formula, options);
  if (!checked.ok()) {
    std::vector<ErrorInfo> errors;
    for (const auto& d : checked.diagnostics)
      if (d.severity == Severity::Error)
        errors.push_back(ErrorInfo{static_cast<int>(ErrorKind::AnalysisError), d.message, d.span});
    return Value::errors(std::move(errors));
  }
  return checked.formula->eval(*this);
}

void Engine::set_time_zone(std::string id) {
  auto normalized = normalize_time_zone(id);
  impl_->time_zone = normalized ? *normalized : id;
}
const std::string& Engine::time_zone() const { return impl_->time_zone; }
void Engine::set_clock(std::function<int64_t()> utc_ms) { impl_->clock = std::move(utc_ms); }
void Engine::set_random(std::function<double()> random) { impl_->random = std::move(random); }
void Engine::set_time_limit(std::chrono::milliseconds limit) {
  impl_->time_limit_ms = limit.count();
}
void Engine::set_memory_limit(size_t bytes) {
  impl_->memory_limit_bytes = static_cast<int64_t>(bytes);
}
void Engine::set_formula_limits(size_t max_formula_length, size_t max_literal_length) {
  impl_->max_formula_length = max_formula_length;
  impl_->max_literal_length = max_literal_length;
}
void Engine::cancel() { impl_->cancel_requested.store(true, std::memory_order_relaxed); }
void Engine::set_host_handler(std::string name, HostHandler handler) {
  impl_->host_handlers[std::move(name)] = std::move(handler);
}

}  // namespace canvasfx
