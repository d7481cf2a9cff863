// The dependency graph (runtime_impl.h): nodes, ranks, lazy computation and
// change propagation.
//
// A node is computed when first read (its member symbol's getter calls
// read_node). When a symbol is written, the nodes that read it are queued by
// rank; flush() recomputes them lowest rank first, so a node runs after
// everything it reads: each at most once per change, never on a stale input.
// A node that was never computed absorbs the change: nothing read it, so
// nothing depends on its value yet. A recomputed node whose value is the same
// as before does not queue its readers.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "canvasfx/coerce.h"
#include "runtime_impl.h"

namespace canvasfx::player::detail {

bool same_value(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  if (a.is_number()) {  // the common case, inline
    double x = a.as_number(), y = b.as_number();
    // NaN never equals itself, but a NaN that stays NaN did not change.
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  switch (a.kind()) {
    case ValueKind::Blank:
    case ValueKind::Void:
      return true;
    case ValueKind::Error:
      return a.same_object(b) ||
             (a.errors().size() == b.errors().size() &&
              std::equal(a.errors().begin(), a.errors().end(), b.errors().begin(),
                         [](const ErrorInfo& x, const ErrorInfo& y) {
                           return x.kind == y.kind && x.message == y.message;
                         }));
    case ValueKind::Record: {
      if (a.same_object(b)) return true;
      const Fields& fa = a.fields();
      const Fields& fb = b.fields();
      if (fa.size() != fb.size()) return false;
      for (size_t i = 0; i < fa.size(); ++i)
        if (fa[i].first != fb[i].first || !same_value(fa[i].second, fb[i].second)) return false;
      return true;
    }
    case ValueKind::Table: {
      if (a.same_object(b)) return true;
      // A data source's rows are read on demand: a fresh handle means the table changed.
      if (a.source() || b.source()) return a.source() == b.source();
      const auto& ra = a.rows();
      const auto& rb = b.rows();
      if (ra.size() != rb.size()) return false;
      for (size_t i = 0; i < ra.size(); ++i)
        if (!same_value(ra[i], rb[i])) return false;
      return true;
    }
    case ValueKind::Enum:
      return a.enum_info() == b.enum_info() && a.enum_index() == b.enum_index();
    case ValueKind::Untyped:
      return a.untyped_ptr() == b.untyped_ptr();
    default:
      return values_equal(a, b);
  }
}

int RuntimeImpl::add_node(std::string label, SymbolId symbol, std::vector<SymbolId> reads) {
  int id = static_cast<int>(nodes_.size());
  Node& n = nodes_.emplace_back();  // in place: a Node is large to move
  if (!label.empty()) node_labels_.emplace(id, std::move(label));
  n.symbol = symbol;
  n.reads = std::move(reads);
  if (symbol != kNoSymbol) {
    if (node_of_symbol_.size() <= symbol) node_of_symbol_.resize(symbol + 1, -1);
    node_of_symbol_[symbol] = id;
  }
  return id;
}

std::string RuntimeImpl::node_label(int id) const {
  if (auto it = node_labels_.find(id); it != node_labels_.end()) return it->second;
  const Property* p = nodes_[id].property;
  return p ? fmt::format("{}.{}", p->owner->where(), p->name) : std::string();
}

void RuntimeImpl::build_graph() {
  // Named formulas are nodes too: the engine computes and caches them, the
  // graph orders their recalculation among the properties that read them.
  for (const auto& name : named_formulas_) {
    auto id = engine_.find_symbol(name);
    if (!id) continue;
    std::vector<SymbolId> reads;
    for (const auto& dep : engine_.formula_dependencies(name)) {
      if (auto s = engine_.find_symbol(dep))
        reads.push_back(*s);
      else if (SymbolId member = app_member_symbol(dep); member != kNoSymbol)
        reads.push_back(member);
    }
    int node = add_node(name, *id, std::move(reads));
    nodes_[node].named_formula = true;
  }
  for (auto& n : nodes_) {
    Property* p = n.property;
    if (!p || n.native) continue;
    if (p->compiled) {
      const auto& deps = p->compiled->dependency_ids();
      n.reads.insert(n.reads.end(), deps.begin(), deps.end());
    }
    // A template control's property is computed per row of its gallery; a
    // card's, for its form's record.
    const Control& c = *p->owner;
    const Control* row_owner = p->from_definition ? nullptr : c.row_owner;
    if (row_owner && row_owner->kind == "gallery") {
      n.rows_of = const_cast<Control*>(row_owner);
      if (Property* items = row_owner->property("Items")) n.reads.push_back(items->symbol);
      if (row_owner->state != kNoSymbol) n.reads.push_back(row_owner->state);
    } else if (row_owner && row_owner->kind == "form") {
      n.form_of = const_cast<Control*>(row_owner);
      for (const char* name : {"Item", "DataSource", "Mode"})
        if (Property* q = row_owner->property(name)) n.reads.push_back(q->symbol);
    }
  }
  stats_.nodes = nodes_.size();
  stats_.formulas = formula_count_;
  size_t symbols = engine_.symbol_count();
  node_of_symbol_.resize(symbols, -1);
  reader_begin_.assign(symbols + 1, 0);
  for (auto& n : nodes_) {
    std::sort(n.reads.begin(), n.reads.end());
    n.reads.erase(std::unique(n.reads.begin(), n.reads.end()), n.reads.end());
    for (SymbolId s : n.reads)
      if (s < symbols) ++reader_begin_[s + 1];
  }
  for (size_t s = 0; s < symbols; ++s) reader_begin_[s + 1] += reader_begin_[s];
  reader_ids_.assign(reader_begin_[symbols], -1);
  std::vector<uint32_t> filled(reader_begin_.begin(), reader_begin_.end() - 1);
  for (size_t i = 0; i < nodes_.size(); ++i)
    for (SymbolId s : nodes_[i].reads)
      if (s < symbols) reader_ids_[filled[s]++] = static_cast<int>(i);
  // Ranks by an iterative depth-first walk; a node met again on the walk's
  // path is a cycle, reported once with its members.
  enum : char { kNew, kOnPath, kDone };
  std::vector<char> mark(nodes_.size(), kNew);
  std::vector<std::pair<int, size_t>> stack;
  std::vector<char> cyclic(nodes_.size(), 0);
  for (size_t root = 0; root < nodes_.size(); ++root) {
    if (mark[root] != kNew) continue;
    stack.emplace_back(static_cast<int>(root), 0);
    mark[root] = kOnPath;
    while (!stack.empty()) {
      auto& [id, next] = stack.back();
      Node& n = nodes_[id];
      if (next < n.reads.size()) {
        SymbolId s = n.reads[next++];
        int dep = s < node_of_symbol_.size() ? node_of_symbol_[s] : -1;
        if (dep < 0) continue;
        if (mark[dep] == kNew) {
          mark[dep] = kOnPath;
          stack.emplace_back(dep, 0);
        } else if (mark[dep] == kOnPath && !cyclic[dep]) {
          // The cycle: from dep on the path to here.
          std::vector<std::string> names;
          auto from = std::find_if(stack.begin(), stack.end(),
                                   [&](const auto& e) { return e.first == dep; });
          for (auto it = from; it != stack.end(); ++it) {
            cyclic[it->first] = 1;
            names.push_back(node_label(it->first));
          }
          names.push_back(node_label(dep));
          std::string cycle;
          for (const auto& name : names) cycle += (cycle.empty() ? "" : " -> ") + name;
          for (auto it = from; it != stack.end(); ++it)
            if (Property* p = nodes_[it->first].property; p && p->formula) {
              AppDiagnostic d;
              d.pos = p->formula->position(0);
              d.message = "circular reference: " + cycle;
              d.control = p->owner->name;
              d.property = p->name;
              d.screen =
                  p->owner->screen && p->owner->screen != p->owner ? p->owner->screen->name : "";
              diagnostics_.push_back(std::move(d));
            }
        } else if (mark[dep] == kDone) {
          n.rank = std::max(n.rank, nodes_[dep].rank + 1);
        }
        continue;
      }
      mark[id] = kDone;
      int done = id;
      stack.pop_back();
      if (!stack.empty()) {
        Node& parent = nodes_[stack.back().first];
        parent.rank = std::max(parent.rank, nodes_[done].rank + 1);
      }
    }
  }
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (cyclic[i]) {
      nodes_[i].named_formula = false;  // its value is the cycle's error, not the engine's
      nodes_[i].native = [] {
        return Value::error(ErrorKind::InvalidFunctionUsage, "circular reference");
      };
      nodes_[i].rows_of = nullptr;
    }
  graph_ready_ = true;
}

const RuntimeStats& RuntimeImpl::stats() const {
  if (!recomputed_listed_) {
    stats_.last_recomputed.clear();
    for (auto [id, row] : recomputed_)
      stats_.last_recomputed.push_back(row < 0 ? node_label(id)
                                               : fmt::format("{}[{}]", node_label(id), row));
    recomputed_listed_ = true;
  }
  return stats_;
}

int RuntimeImpl::current_row(const Control* gallery) const {
  for (auto it = row_context_.rbegin(); it != row_context_.rend(); ++it)
    if (it->first == gallery) return it->second;
  return -1;
}

Value RuntimeImpl::read_node(int id) {
  if (!graph_ready_) return Value::blank();
  if (!pending_.empty() && !flushing_) flush();
  Node& n = nodes_[id];
  if (n.rows_of) {
    int row = current_row(n.rows_of);
    if (row < 0) row = selected_index(*n.rows_of);
    if (row < 0) return Value::blank();
    return row_value(n, row);
  }
  if (!n.computed) {
    // Properties reading properties nest one evaluation per link when first
    // read: past a few levels, what this one reads is computed first.
    if (read_depth_ == kWarmReadDepth) compute_reads_first(id);
    if (read_depth_ >= kMaxReadDepth)
      return Value::error(ErrorKind::InvalidFunctionUsage,
                          node_label(id) + " reads properties nested too deeply (more than " +
                              std::to_string(kMaxReadDepth) + " levels)");
    ++read_depth_;
    Value v;
    try {
      v = compute(nodes_[id]);
    } catch (...) {
      --read_depth_;
      throw;
    }
    --read_depth_;
    Node& again = nodes_[id];  // compute may have grown nothing, but stay safe
    again.value = std::move(v);
    again.computed = true;
    // Once: a computed node stays computed, and so do the formulas it read.
    observe_named_formulas(again);
  }
  return nodes_[id].value;
}

// The uncomputed nodes that node `id` reads, transitively, computed each
// after what it reads (an iterative depth-first walk): reading them afterwards
// nests no further. Gallery template nodes are computed per row when read.
void RuntimeImpl::compute_reads_first(int id) {
  auto uncomputed = [this](SymbolId s) {
    int dep = s < node_of_symbol_.size() ? node_of_symbol_[s] : -1;
    if (dep < 0) return -1;
    const Node& d = nodes_[dep];
    return !d.computed && !d.evaluating && !d.rows_of ? dep : -1;
  };
  const auto& direct = nodes_[id].reads;
  if (std::none_of(direct.begin(), direct.end(), [&](SymbolId s) { return uncomputed(s) >= 0; }))
    return;
  std::unordered_set<int> visited{id};
  std::vector<std::pair<int, size_t>> stack{{id, 0}};  // (node, next read)
  while (!stack.empty()) {
    int at = stack.back().first;
    size_t next = stack.back().second++;
    if (next < nodes_[at].reads.size()) {
      int dep = uncomputed(nodes_[at].reads[next]);
      if (dep >= 0 && visited.insert(dep).second) stack.emplace_back(dep, 0);
      continue;
    }
    stack.pop_back();
    if (at != id && !nodes_[at].computed) (void)read_node(at);
  }
}

Value RuntimeImpl::compute(Node& n) {
  if (n.evaluating) return Value::error(ErrorKind::InvalidFunctionUsage, "circular reference");
  n.evaluating = true;
  ++n.evaluations;
  ++stats_.evaluations;
  Value v;
  Property* p = n.property;
  if (n.named_formula) {
    v = engine_.value(n.symbol);  // the engine's cached value, or computed now
  } else if (n.native) {
    v = n.native();
  } else if (p && p->compiled) {
    if (n.form_of) {
      Value record = form_record(*n.form_of);
      v = p->compiled->eval(engine_, record);
    } else {
      v = p->compiled->eval(engine_);
    }
    // The control gets the kind of value it expects (a number for a Text, ...).
    const Type& want = p->declared;
    if (!v.is_blank() && !v.is_error() && !want.is(TypeKind::Unknown) && !want.is_aggregate() &&
        !want.is(TypeKind::Enum))
      v = coerce_to(v, want.kind());
  } else if (p && p->check_failed) {
    v = Value::error(ErrorKind::AnalysisError,
                     fmt::format("{} has a formula with errors", p->name));
  }
  n.evaluating = false;
  return v;
}

// A formula reads a named formula through the engine, which computes and
// caches it without the graph's read_node: the named formulas a node read are
// computed now (the engine holds their values), so a change to what they read
// must recompute them and reach this node. Each is visited once: one already
// computed has had its own reads observed.
void RuntimeImpl::observe_named_formulas(const Node& n) {
  auto unobserved = [this](SymbolId s) {
    int dep = s < node_of_symbol_.size() ? node_of_symbol_[s] : -1;
    return dep >= 0 && nodes_[dep].named_formula && !nodes_[dep].computed ? dep : -1;
  };
  // The common case, on every recompute: nothing new to observe, no allocation.
  if (std::none_of(n.reads.begin(), n.reads.end(), [&](SymbolId s) { return unobserved(s) >= 0; }))
    return;
  std::vector<const Node*> todo{&n};
  while (!todo.empty()) {
    const Node* at = todo.back();
    todo.pop_back();
    for (SymbolId s : at->reads)
      if (int dep = unobserved(s); dep >= 0) {
        nodes_[dep].value = engine_.value(s);
        nodes_[dep].computed = true;
        todo.push_back(&nodes_[dep]);
      }
  }
}

Value RuntimeImpl::row_value(Node& n, int row) {
  size_t count = gallery_row_count(*n.rows_of);
  if (static_cast<size_t>(row) >= count) return Value::blank();
  if (!n.rows) n.rows = std::make_unique<RowCache>();
  RowCache& rows = *n.rows;
  if (rows.values.size() != count) {
    rows.values.assign(count, Value());
    rows.done.assign(count, 0);
  }
  if (!rows.done[row]) {
    if (n.evaluating) return Value::error(ErrorKind::InvalidFunctionUsage, "circular reference");
    row_context_.emplace_back(n.rows_of, row);
    n.evaluating = true;
    ++n.evaluations;
    ++stats_.evaluations;
    Value v;
    if (n.native) {
      v = n.native();
    } else if (n.property && n.property->compiled) {
      Value record = gallery_row(*n.rows_of, row);
      v = n.property->compiled->eval(engine_, record);
      const Type& want = n.property->declared;
      if (!v.is_blank() && !v.is_error() && !want.is(TypeKind::Unknown) && !want.is_aggregate())
        v = coerce_to(v, want.kind());
    } else if (n.property && n.property->check_failed) {
      v = Value::error(ErrorKind::AnalysisError,
                       fmt::format("{} has a formula with errors", n.property->name));
    }
    n.evaluating = false;
    row_context_.pop_back();
    observe_named_formulas(n);
    // Reading rows may have resized the cache (Items recomputed): index again.
    if (rows.values.size() == count) {
      rows.values[row] = v;
      rows.done[row] = 1;
    }
    return v;
  }
  return rows.values[row];
}

void RuntimeImpl::symbol_written(SymbolId symbol) {
  if (!graph_ready_) return;
  schedule_readers(symbol);
}

void RuntimeImpl::note_change(const Node& n, int row) {
  if (!n.property) return;
  PropertyRef ref{n.property->owner->name, std::string(n.property->name), row};
  if (n.property->owner->component && n.property->owner->component->instance)
    ref.control = n.property->owner->component->instance->name + "." + ref.control;
  if (change_keys_.insert(ref.text()).second) changes_.push_back(std::move(ref));
}

void RuntimeImpl::flush() {
  if (flushing_) return;
  flushing_ = true;
  while (!pending_.empty()) {
    int id = pending_.pop();
    Node& n = nodes_[id];
    n.pending = false;
    if (n.named_formula) {
      // The common case of a chain of named formulas, kept lean: the engine
      // computes the formula (it caches the value), nothing here allocates.
      if (!n.computed) continue;
      ++n.evaluations;
      ++stats_.evaluations;
      recomputed_.emplace_back(id, -1);
      recomputed_listed_ = false;
      const Value* now = engine_.formula_value(n.symbol);
      if (!now || same_value_fast(n.value, *now)) continue;
      n.value = *now;
      schedule_readers(n.symbol);
      continue;
    }
    if (n.rows_of) {
      if (!n.rows || n.rows->values.empty()) continue;  // no row was ever read
      std::vector<Value> old = std::move(n.rows->values);
      std::vector<char> done = std::move(n.rows->done);
      n.rows->values.clear();
      n.rows->done.clear();
      bool changed = false;
      size_t count = gallery_row_count(*n.rows_of);
      if (count != old.size()) changed = true;
      for (size_t r = 0; r < count && r < old.size(); ++r) {
        if (!done[r]) continue;
        Value now = row_value(nodes_[id], static_cast<int>(r));
        recomputed_.emplace_back(id, static_cast<int>(r));
        recomputed_listed_ = false;
        if (!same_value(old[r], now)) {
          changed = true;
          note_change(nodes_[id], static_cast<int>(r));
        }
      }
      if (changed) {
        schedule_readers(nodes_[id].symbol);
        engine_.invalidate(nodes_[id].symbol);
      }
      continue;
    }
    if (!n.computed) continue;  // never read: nothing depends on it yet
    Value now = compute(n);
    Node& again = nodes_[id];
    recomputed_.emplace_back(id, -1);
    recomputed_listed_ = false;
    if (same_value_fast(again.value, now)) continue;
    again.value = std::move(now);
    note_change(again);
    schedule_readers(again.symbol);
    // Named formulas reading the property keep a cached value in the engine.
    if (!again.named_formula) engine_.invalidate(again.symbol);
  }
  flushing_ = false;
}

void RuntimeImpl::begin_event() {
  flush();
  changes_.clear();
  change_keys_.clear();
  recomputed_.clear();
  recomputed_listed_ = false;
}

std::vector<PropertyRef> RuntimeImpl::end_event() {
  flush();
  return changes_;
}

}  // namespace canvasfx::player::detail
