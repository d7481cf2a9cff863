// Data sources over the store's local tables (data_source.h): reading rows,
// delegating calls as SQL, writing through transactions.
//
// Delegated SQL must compute exactly what the evaluator computes row by row,
// so the translation follows the evaluator's rules, not SQL's:
//   - a boolean SQL expression produced here is never NULL: a Blank boolean
//     counts as false (coalesce(col, 0)), as Filter, And, Or and Not treat it;
//   - `=` / `<>` treat Blank as a value equal only to Blank: `a IS b`;
//   - `<`, `>` ... compare Blank as 0: coalesce(a, 0) < coalesce(b, 0);
//   - case-insensitive text tests (in, StartsWith, EndsWith, Search) call
//     cfx_* functions registered on the connection that use the same Unicode
//     folding as the interpreter, because SQLite's lower() is ASCII-only;
//   - ties keep the table's order (rowid), as the stable row-by-row sort does;
//   - Sum adds left to right in row order (cfx_sum), as the evaluator does.
// Anything else (text ordering, which is culture-aware; date/time values,
// which the store keeps in UTC; nested lambdas) is not delegated.
#include "data_source.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>

#include "canvasfx/timezone.h"
#include "canvasfx/unicode.h"
#include "store_impl.h"

namespace canvasfx::host {

void SourceContext::record(const std::string& statement) {
  statements.push_back(statement);
  if (statements.size() > kMaxStatements) statements.pop_front();
  if (on_statement) on_statement(statement);
}

namespace {

using Kind = DelegationExpr::Kind;

// ---------------------------------------------------------------- values <-> cells

std::string guid_text(const Guid& g) {
  std::string s;
  for (size_t i = 0; i < g.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += fmt::format("{:02x}", g[i]);
  }
  return s;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Guid> parse_guid(std::string_view s) {
  Guid g{};
  size_t n = 0;
  for (char ch : s) {
    if (ch == '-') continue;
    int d = hex_digit(ch);
    if (d < 0 || n >= 32) return std::nullopt;
    g[n / 2] = static_cast<uint8_t>(n % 2 ? (g[n / 2] | d) : (d << 4));
    ++n;
  }
  if (n != 32) return std::nullopt;
  return g;
}

Type column_type(ColumnType t) {
  switch (t) {
    case ColumnType::Number:
      return Type::number();
    case ColumnType::Boolean:
      return Type::boolean();
    case ColumnType::DateTime:
      return Type::datetime();
    case ColumnType::Guid:
      return Type::guid();
    default:
      return Type::text();
  }
}

bool is_blob(ColumnType t) { return t == ColumnType::File || t == ColumnType::Image; }

Value read_value(sqlite3_stmt* st, int i, ColumnType type, const std::string& zone) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) return Value::blank();
  switch (type) {
    case ColumnType::Number:
      return Value::number(sqlite3_column_double(st, i));
    case ColumnType::Boolean:
      return Value::boolean(sqlite3_column_int64(st, i) != 0);
    case ColumnType::DateTime:
      return Value::datetime(utc_to_wall_ms(zone, sqlite3_column_int64(st, i)));
    case ColumnType::Guid: {
      auto g = parse_guid(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
      return g ? Value::guid(*g) : Value::blank();
    }
    default:
      return Value::text(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                     static_cast<size_t>(sqlite3_column_bytes(st, i))));
  }
}

// A field of a record as a store cell, or nullopt when the value doesn't fit the column.
std::optional<Cell> to_cell(const Value& v, ColumnType type, const std::string& zone) {
  if (v.is_blank()) return Cell{};
  switch (type) {
    case ColumnType::Number:
      if (v.is_number()) return Cell{v.as_number()};
      break;
    case ColumnType::Boolean:
      if (v.is_boolean()) return Cell{v.as_boolean()};
      break;
    case ColumnType::DateTime:
      if (v.is(ValueKind::DateTime)) return Cell{wall_to_utc_ms(zone, v.as_datetime())};
      if (v.is(ValueKind::Date)) return Cell{wall_to_utc_ms(zone, v.as_date() * 86'400'000)};
      break;
    case ColumnType::Guid:
      if (v.is(ValueKind::Guid)) return Cell{guid_text(v.as_guid())};
      break;
    case ColumnType::Text:
    case ColumnType::Lookup:
      if (v.is_text()) return Cell{v.as_text()};
      break;
    default:
      break;
  }
  return std::nullopt;
}

void bind_params(sqlite3_stmt* st, const std::vector<SqlParam>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int at = static_cast<int>(i + 1);
    std::visit(
        [&](const auto& p) {
          using T = std::decay_t<decltype(p)>;
          if constexpr (std::is_same_v<T, std::monostate>)
            sqlite3_bind_null(st, at);
          else if constexpr (std::is_same_v<T, int64_t>)
            sqlite3_bind_int64(st, at, p);
          else if constexpr (std::is_same_v<T, double>)
            sqlite3_bind_double(st, at, p);
          else
            sqlite3_bind_text(st, at, p.data(), static_cast<int>(p.size()), SQLITE_TRANSIENT);
        },
        params[i]);
  }
}

std::string describe_params(const std::vector<SqlParam>& params) {
  if (params.empty()) return "";
  std::string out = "  -- params:";
  for (const auto& p : params) {
    out += ' ';
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>)
            out += "NULL";
          else if constexpr (std::is_same_v<T, std::string>)
            out += fmt::format("'{}'", v);
          else
            out += fmt::format("{}", v);
        },
        p);
  }
  return out;
}

// ---------------------------------------------------------------- predicates -> SQL

// Translates DelegationExprs over one table; nullopt where the translation
// could differ from the evaluator.
class SqlBuilder {
 public:
  SqlBuilder(const TableSchema& schema, std::vector<SqlParam>& params)
      : schema_(schema), params_(params) {}

  // A WHERE clause. Where only WHERE reads the value (at the top, and under
  // AND / OR, which map NULL to false consistently) NULL may stand for false,
  // so a column equal to a non-Blank constant is the plain `col = ?` (cheaper
  // than `col IS ?`, and indexable).
  std::optional<std::string> where(const DelegationExpr& e) {
    if (e.kind == Kind::And || e.kind == Kind::Or) {
      auto a = where(e.kids[0]);
      if (!a) return std::nullopt;
      auto b = where(e.kids[1]);
      if (!b) return std::nullopt;
      return fmt::format("({} {} {})", *a, e.kind == Kind::And ? "AND" : "OR", *b);
    }
    if (e.kind == Kind::Compare && e.compare == DelegationCompare::Equal) {
      auto column_and_value = [](const DelegationExpr& x, const DelegationExpr& y) {
        return x.kind == Kind::Column && y.kind == Kind::Constant && !y.constant.is_blank();
      };
      if (column_and_value(e.kids[0], e.kids[1]) || column_and_value(e.kids[1], e.kids[0])) {
        size_t mark = params_.size();
        auto a = operand(e.kids[0]), b = operand(e.kids[1]);
        if (a && b && a->kind == b->kind) return fmt::format("({} = {})", a->sql, b->sql);
        params_.resize(mark);
      }
    }
    return condition(e);
  }

  // A boolean expression that is never NULL.
  std::optional<std::string> condition(const DelegationExpr& e) {
    if (!e.type.is(TypeKind::Boolean)) return std::nullopt;
    switch (e.kind) {
      case Kind::Column:
      case Kind::Constant: {
        auto v = operand(e);
        if (!v) return std::nullopt;
        return fmt::format("coalesce({}, 0)", v->sql);
      }
      case Kind::And:
      case Kind::Or: {
        auto a = condition(e.kids[0]), b = condition(e.kids[1]);
        if (!a || !b) return std::nullopt;
        return fmt::format("({} {} {})", *a, e.kind == Kind::And ? "AND" : "OR", *b);
      }
      case Kind::Not: {
        auto a = condition(e.kids[0]);
        if (!a) return std::nullopt;
        return fmt::format("(NOT {})", *a);
      }
      case Kind::Compare:
        return compare(e);
      case Kind::InText:
      case Kind::ExactInText: {
        auto needle = text_operand(e.kids[0]), hay = text_operand(e.kids[1]);
        if (!needle || !hay) return std::nullopt;
        if (e.kind == Kind::InText) return fmt::format("cfx_contains({}, {})", *hay, *needle);
        return fmt::format("(instr(coalesce({}, ''), coalesce({}, '')) > 0)", *hay, *needle);
      }
      case Kind::Call:
        return call(e);
    }
    return std::nullopt;
  }

 private:
  struct Operand {
    std::string sql;
    TypeKind kind;  // Number, Text, Boolean, Guid, or Blank for a Blank constant
  };

  std::optional<Operand> operand(const DelegationExpr& e) {
    if (e.kind == Kind::Column) {
      for (const auto& c : schema_.columns) {
        if (c.name != e.name) continue;
        switch (c.type) {
          case ColumnType::Number:
            return Operand{quote_identifier(c.name), TypeKind::Number};
          case ColumnType::Boolean:
            return Operand{quote_identifier(c.name), TypeKind::Boolean};
          case ColumnType::Guid:
            return Operand{quote_identifier(c.name), TypeKind::Guid};
          case ColumnType::Text:
          case ColumnType::Lookup:
            return Operand{quote_identifier(c.name), TypeKind::Text};
          default:
            return std::nullopt;  // DateTime is stored as UTC; blobs aren't columns
        }
      }
      return std::nullopt;
    }
    if (e.kind == Kind::Constant) {
      const Value& v = e.constant;
      switch (v.kind()) {
        case ValueKind::Blank:
          return param(std::monostate{}, TypeKind::Blank);
        case ValueKind::Boolean:
          return param(int64_t{v.as_boolean()}, TypeKind::Boolean);
        case ValueKind::Number:
          return param(v.as_number(), TypeKind::Number);
        case ValueKind::Text:
          return param(v.as_text(), TypeKind::Text);
        case ValueKind::Guid:
          return param(guid_text(v.as_guid()), TypeKind::Guid);
        default:
          return std::nullopt;
      }
    }
    if (auto c = condition(e)) return Operand{*c, TypeKind::Boolean};
    return std::nullopt;
  }

  std::optional<std::string> text_operand(const DelegationExpr& e) {
    auto v = operand(e);
    if (!v || (v->kind != TypeKind::Text && v->kind != TypeKind::Blank)) return std::nullopt;
    return v->sql;
  }

  Operand param(SqlParam p, TypeKind kind) {
    params_.push_back(std::move(p));
    return {"?", kind};
  }

  std::optional<std::string> compare(const DelegationExpr& e) {
    auto a = operand(e.kids[0]);
    if (!a) return std::nullopt;
    auto b = operand(e.kids[1]);
    if (!b) return std::nullopt;
    // Values of different kinds: the evaluator's equality is false, SQL's may not be.
    if (a->kind != b->kind && a->kind != TypeKind::Blank && b->kind != TypeKind::Blank)
      return std::nullopt;
    using C = DelegationCompare;
    if (e.compare == C::Equal) return fmt::format("({} IS {})", a->sql, b->sql);
    if (e.compare == C::NotEqual) return fmt::format("({} IS NOT {})", a->sql, b->sql);
    for (const Operand* o : {&*a, &*b})
      if (o->kind != TypeKind::Number && o->kind != TypeKind::Boolean && o->kind != TypeKind::Blank)
        return std::nullopt;
    const char* op = e.compare == C::Less        ? "<"
                     : e.compare == C::LessEqual ? "<="
                     : e.compare == C::Greater   ? ">"
                                                 : ">=";
    return fmt::format("(coalesce({}, 0) {} coalesce({}, 0))", a->sql, op, b->sql);
  }

  std::optional<std::string> call(const DelegationExpr& e) {
    if ((e.name == "And" || e.name == "Or" || e.name == "Not") && !e.kids.empty()) {
      std::string joined;
      for (const auto& kid : e.kids) {
        auto c = condition(kid);
        if (!c) return std::nullopt;
        joined += (joined.empty() ? "" : e.name == "And" ? " AND " : " OR ") + *c;
      }
      if (e.name == "Not")
        return e.kids.size() == 1 ? std::optional("(NOT " + joined + ")") : std::nullopt;
      return "(" + joined + ")";
    }
    if ((e.name == "StartsWith" || e.name == "EndsWith") && e.kids.size() == 2) {
      auto text = text_operand(e.kids[0]), affix = text_operand(e.kids[1]);
      if (!text || !affix) return std::nullopt;
      return fmt::format("{}({}, {})", e.name == "StartsWith" ? "cfx_starts_with" : "cfx_ends_with",
                         *text, *affix);
    }
    if (e.name == "IsBlank" && e.kids.size() == 1) {
      // IsBlank is also true for empty text.
      auto v = operand(e.kids[0]);
      if (!v) return std::nullopt;
      if (v->kind == TypeKind::Text) return fmt::format("({0} IS NULL OR {0} = '')", v->sql);
      if (v->sql == "?") return std::nullopt;  // a constant: the parameter would be used twice
      return fmt::format("({} IS NULL)", v->sql);
    }
    return std::nullopt;
  }

  const TableSchema& schema_;
  std::vector<SqlParam>& params_;
};

// ---------------------------------------------------------------- SQL functions

std::string_view arg_text(sqlite3_value* v) {
  const unsigned char* p = sqlite3_value_text(v);
  return p ? std::string_view(reinterpret_cast<const char*>(p),
                              static_cast<size_t>(sqlite3_value_bytes(v)))
           : std::string_view();
}

icu::UnicodeString folded(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())))
      .foldCase();
}

void sql_contains(sqlite3_context* c, int, sqlite3_value** v) {
  sqlite3_result_int(c, text_contains_ignore_case(arg_text(v[0]), arg_text(v[1])) ? 1 : 0);
}

void sql_affix(sqlite3_context* c, int, sqlite3_value** v) {
  bool at_start = sqlite3_user_data(c) != nullptr;
  icu::UnicodeString text = folded(arg_text(v[0])), affix = folded(arg_text(v[1]));
  sqlite3_result_int(c, (at_start ? text.startsWith(affix) : text.endsWith(affix)) ? 1 : 0);
}

// Left-to-right double sum; NULL without values.
struct SumState {
  double sum;
  bool any;
};
void sql_sum_step(sqlite3_context* c, int, sqlite3_value** v) {
  auto* s = static_cast<SumState*>(sqlite3_aggregate_context(c, sizeof(SumState)));
  if (!s || sqlite3_value_type(v[0]) == SQLITE_NULL) return;
  s->sum += sqlite3_value_double(v[0]);
  s->any = true;
}
void sql_sum_final(sqlite3_context* c) {
  auto* s = static_cast<SumState*>(sqlite3_aggregate_context(c, 0));
  if (s && s->any)
    sqlite3_result_double(c, s->sum);
  else
    sqlite3_result_null(c);
}

}  // namespace

void register_sql_functions(Store& store) {
  sqlite3* db = store.impl().db.get();
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  static int kStart = 1;
  sqlite3_create_function(db, "cfx_contains", 2, flags, nullptr, sql_contains, nullptr, nullptr);
  sqlite3_create_function(db, "cfx_starts_with", 2, flags, &kStart, sql_affix, nullptr, nullptr);
  sqlite3_create_function(db, "cfx_ends_with", 2, flags, nullptr, sql_affix, nullptr, nullptr);
  sqlite3_create_function(db, "cfx_sum", 1, flags, nullptr, nullptr, sql_sum_step, sql_sum_final);
}

Type row_type_of(const TableSchema& schema) {
  std::vector<std::pair<std::string, Type>> fields;
  for (const auto& c : schema.columns)
    if (!is_blob(c.type)) fields.emplace_back(c.name, column_type(c.type));
  return Type::record(std::move(fields));
}

// ---------------------------------------------------------------- StoreSource

StoreSource::StoreSource(std::shared_ptr<SourceContext> context, TableSchema schema, Type row_type,
                         Query query)
    : context_(std::move(context)),
      schema_(std::move(schema)),
      row_type_(std::move(row_type)),
      query_(std::move(query)) {
  for (const auto& c : schema_.columns)
    if (!is_blob(c.type)) columns_.push_back({&c, quote_identifier(c.name)});
  std::sort(columns_.begin(), columns_.end(),
            [](const Column& a, const Column& b) { return a.schema->name < b.schema->name; });
  for (const auto& c : columns_) select_list_ += (select_list_.empty() ? "" : ", ") + c.quoted;
}

const ColumnSchema* StoreSource::column(std::string_view name) const {
  for (const auto& c : columns_)
    if (c.schema->name == name) return c.schema;
  return nullptr;
}

std::string StoreSource::select(std::string_view what, const Query& q) const {
  std::string sql = fmt::format("SELECT {} FROM {}", what, quote_identifier(schema_.name));
  if (!q.where.empty()) sql += " WHERE " + q.where;
  sql += " ORDER BY " + (q.order_by.empty() ? "" : q.order_by + ", ") + "rowid";
  if (q.limit) sql += fmt::format(" LIMIT {}", *q.limit);
  return sql;
}

namespace {
// Runs a read of `table`; a SQLite failure ends the evaluation with a Sync
// error naming the store, the table and SQLite's reason.
template <typename F>
auto reading(const SourceContext& context, const std::string& table, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const sql::Error& e) {
    const Store::Impl& impl = context.store.impl();
    throw TableSourceError(
        ErrorKind::Sync,
        store_failure(impl.path, fmt::format("read '{}'", table), e, impl.busy_timeout_ms).what());
  }
}
}  // namespace

std::vector<Value> StoreSource::run_rows(const Query& q) const {
  std::string sql = select(select_list_, q);
  context_->record(sql + describe_params(q.params));
  return reading(*context_, schema_.name, [&] {
    auto st = context_->store.impl().db.prepare(sql);
    bind_params(st.get(), q.params);
    const std::string& zone = context_->engine.time_zone();
    std::vector<Value> out;
    while (st.step()) {
      Fields fields;
      fields.reserve(columns_.size());
      for (size_t i = 0; i < columns_.size(); ++i)
        fields.emplace_back(columns_[i].schema->name, read_value(st.get(), static_cast<int>(i),
                                                                 columns_[i].schema->type, zone));
      out.push_back(Value::record_sorted(std::move(fields)));
    }
    return out;
  });
}

std::vector<Value> StoreSource::rows() const { return run_rows(query_); }

Value StoreSource::run_scalar(const std::string& sql, const std::vector<SqlParam>& params) const {
  context_->record(sql + describe_params(params));
  return reading(*context_, schema_.name, [&] {
    auto st = context_->store.impl().db.prepare(sql);
    bind_params(st.get(), params);
    if (!st.step() || st.is_null(0)) return Value::blank();
    return Value::number(st.real(0));
  });
}

// A delegated call that cannot read the store is an error value at the call.
std::optional<Value> StoreSource::delegate(const DelegationRequest& r) const {
  try {
    return delegate_or_throw(r);
  } catch (const TableSourceError& e) {
    return Value::error(e.kind(), e.what(), r.span);
  }
}

std::optional<Value> StoreSource::delegate_or_throw(const DelegationRequest& r) const {
  std::string_view f = r.function;
  if (f == "Filter") return filter(r, 1);
  if (f == "CountRows") return count(r, 1);
  if (f == "CountIf") return count(r, 1);
  if (f == "First" || f == "LookUp") return first(r);
  if (f == "FirstN") return first_n(r);
  if (f == "Search") return search(r);
  if (f == "Sort") return sort(r);
  if (f == "SortByColumns") return sort_by_columns(r);
  if (f == "Sum" || f == "Min" || f == "Max" || f == "Average") return aggregate(r);
  return std::nullopt;
}

// The query narrowed by the conditions in lambdas [from, end), or nullopt.
// A LIMIT comes after WHERE in SQL, so a limited query isn't narrowed.
static std::optional<Query> with_conditions(const TableSchema& schema, Query q,
                                            const DelegationRequest& r, size_t from) {
  if (q.limit && from < r.lambdas.size()) return std::nullopt;
  for (size_t i = from; i < r.lambdas.size(); ++i) {
    if (!r.lambdas[i]) return std::nullopt;
    std::vector<SqlParam> params;
    auto c = SqlBuilder(schema, params).where(*r.lambdas[i]);
    if (!c) return std::nullopt;
    q.where = q.where.empty() ? *c : fmt::format("({}) AND {}", q.where, *c);
    q.params.insert(q.params.end(), params.begin(), params.end());
  }
  return q;
}

std::optional<Value> StoreSource::narrow(const DelegationRequest& r, Query q) const {
  Type row_type = r.result_type.is(TypeKind::Table) ? r.result_type.as_record() : row_type_;
  return Value::table_source(
      std::make_shared<StoreSource>(context_, schema_, row_type, std::move(q)), row_type);
}

// Filter(source, condition, ...)
std::optional<Value> StoreSource::filter(const DelegationRequest& r, size_t from) const {
  if (r.args.size() < 2) return std::nullopt;
  auto q = with_conditions(schema_, query_, r, from);
  if (!q) return std::nullopt;
  return narrow(r, std::move(*q));
}

// CountRows(source), CountIf(source, condition, ...)
std::optional<Value> StoreSource::count(const DelegationRequest& r, size_t from) const {
  auto q = with_conditions(schema_, query_, r, from);
  if (!q) return std::nullopt;
  std::string sql;
  if (q->limit) {
    sql = fmt::format("SELECT count(*) FROM ({})", select("1", *q));
  } else {
    sql = fmt::format("SELECT count(*) FROM {}", quote_identifier(schema_.name));
    if (!q->where.empty()) sql += " WHERE " + q->where;
  }
  Value n = run_scalar(sql, q->params);
  return n.is_blank() ? Value::number(0) : n;
}

// First(source), LookUp(source, condition): the first row, or Blank.
std::optional<Value> StoreSource::first(const DelegationRequest& r) const {
  if (r.function == "LookUp" && r.args.size() != 2) return std::nullopt;  // a reduction formula
  auto q = with_conditions(schema_, query_, r, 1);
  if (!q) return std::nullopt;
  q->limit = q->limit ? std::min<int64_t>(*q->limit, 1) : 1;
  auto rows = run_rows(*q);
  if (rows.empty()) return Value::blank();
  return rows.front();
}

// FirstN(source [, count]): a whole, non-negative count.
std::optional<Value> StoreSource::first_n(const DelegationRequest& r) const {
  double n = r.args.size() > 1 ? (r.args[1].is_number() ? r.args[1].as_number() : -1) : 1;
  if (n < 0 || n != std::floor(n) || n > 1e15) return std::nullopt;
  Query q = query_;
  q.limit =
      q.limit ? std::min<int64_t>(*q.limit, static_cast<int64_t>(n)) : static_cast<int64_t>(n);
  return narrow(r, std::move(q));
}

// Search(source, text, column, ...): rows where a text column contains the
// text, ignoring case; every row when the text is empty.
std::optional<Value> StoreSource::search(const DelegationRequest& r) const {
  if (r.args.size() < 3 || !r.args[1].is_text() || query_.limit) return std::nullopt;
  const std::string& needle = r.args[1].as_text();
  Query q = query_;
  if (!needle.empty()) {
    std::string any;
    for (size_t i = 2; i < r.args.size(); ++i) {
      if (!r.args[i].is_text()) return std::nullopt;
      const ColumnSchema* c = column(r.args[i].as_text());
      // Only text cells can match (as row by row).
      if (!c || (c->type != ColumnType::Text && c->type != ColumnType::Lookup)) continue;
      any += fmt::format("{}cfx_contains({}, ?)", any.empty() ? "" : " OR ",
                         quote_identifier(c->name));
      q.params.push_back(needle);
    }
    if (any.empty()) any = "0";
    q.where = q.where.empty() ? "(" + any + ")" : fmt::format("({}) AND ({})", q.where, any);
  }
  return narrow(r, std::move(q));
}

namespace {
// Sort keys that SQL orders as the evaluator does: numbers and booleans.
// Blank sorts last in either direction.
std::optional<std::string> order_term(const ColumnSchema* c, bool descending) {
  if (!c || (c->type != ColumnType::Number && c->type != ColumnType::Boolean)) return std::nullopt;
  std::string q = quote_identifier(c->name);
  return fmt::format("{} IS NULL, {}{}", q, q, descending ? " DESC" : "");
}

std::optional<bool> is_descending(const Value& order) {
  const Value& v = order.is(ValueKind::Enum) ? order.enum_underlying() : order;
  if (v.is_blank()) return false;
  if (!v.is_text()) return std::nullopt;
  if (text_equal_ignore_case(v.as_text(), "descending")) return true;
  if (text_equal_ignore_case(v.as_text(), "ascending")) return false;
  return std::nullopt;
}
}  // namespace

// Sort(source, column [, order]): a new primary key; the previous order breaks ties.
std::optional<Value> StoreSource::sort(const DelegationRequest& r) const {
  if (query_.limit || r.args.size() < 2 || !r.lambdas[1] || r.lambdas[1]->kind != Kind::Column)
    return std::nullopt;
  auto desc = r.args.size() > 2 ? is_descending(r.args[2]) : std::optional<bool>(false);
  if (!desc) return std::nullopt;
  auto term = order_term(column(r.lambdas[1]->name), *desc);
  if (!term) return std::nullopt;
  Query q = query_;
  q.order_by = q.order_by.empty() ? *term : *term + ", " + q.order_by;
  return narrow(r, std::move(q));
}

// SortByColumns(source, column1 [, order1, column2, order2, ...])
std::optional<Value> StoreSource::sort_by_columns(const DelegationRequest& r) const {
  if (query_.limit) return std::nullopt;
  std::string terms;
  for (size_t i = 1; i < r.args.size(); i += 2) {
    if (!r.args[i].is_text()) return std::nullopt;
    auto desc = i + 1 < r.args.size() ? is_descending(r.args[i + 1]) : std::optional<bool>(false);
    if (!desc) return std::nullopt;
    auto term = order_term(column(r.args[i].as_text()), *desc);
    if (!term) return std::nullopt;
    terms += (terms.empty() ? "" : ", ") + *term;
  }
  Query q = query_;
  q.order_by = q.order_by.empty() ? terms : terms + ", " + q.order_by;
  return narrow(r, std::move(q));
}

// Sum, Min, Max, Average(source, column) over a number column.
std::optional<Value> StoreSource::aggregate(const DelegationRequest& r) const {
  if (r.args.size() != 2 || !r.lambdas[1] || r.lambdas[1]->kind != Kind::Column ||
      !r.result_type.is(TypeKind::Number))
    return std::nullopt;
  const ColumnSchema* c = column(r.lambdas[1]->name);
  if (!c || c->type != ColumnType::Number) return std::nullopt;
  std::string col = quote_identifier(c->name);
  // Row order matters to a floating-point sum: add in the table's order.
  std::string rows = select(col, query_);
  Value v;
  if (r.function == "Sum" || r.function == "Average") {
    auto st_sql = fmt::format("SELECT cfx_sum({0}), count({0}) FROM ({1})", col, rows);
    context_->record(st_sql + describe_params(query_.params));
    std::optional<std::pair<double, int64_t>> sum_count = reading(*context_, schema_.name, [&] {
      auto st = context_->store.impl().db.prepare(st_sql);
      bind_params(st.get(), query_.params);
      st.step();
      return st.is_null(0) ? std::nullopt
                           : std::optional<std::pair<double, int64_t>>({st.real(0), st.int64(1)});
    });
    if (!sum_count) {
      if (r.function == "Sum") return Value::blank();
      return Value::error(ErrorKind::Div0, {}, r.span);
    }
    double sum = sum_count->first;
    if (r.function == "Average") sum /= static_cast<double>(sum_count->second);
    if (!std::isfinite(sum)) return Value::error(ErrorKind::Numeric, {}, r.span);
    return Value::number(sum);
  }
  return run_scalar(
      fmt::format("SELECT {}({}) FROM ({})", r.function == "Min" ? "min" : "max", col, rows),
      query_.params);
}

// ---------------------------------------------------------------- writes

std::optional<std::string> StoreSource::key_of(const Value& row) const {
  if (!row.is_record()) return std::nullopt;
  const ColumnSchema* key = schema_.column(schema_.key_column);
  const Value* v = row.field(key->name);
  if (!v) return std::nullopt;
  auto cell = to_cell(*v, key->type, context_->engine.time_zone());
  if (!cell || !std::holds_alternative<std::string>(*cell)) return std::nullopt;
  return std::get<std::string>(*cell);
}

Value StoreSource::read_by_key(const std::string& key) const {
  Query q;
  q.where = fmt::format("{} = ?", quote_identifier(schema_.column(schema_.key_column)->name));
  q.params.push_back(key);
  auto rows = run_rows(q);
  return rows.empty() ? Value::blank() : rows.front();
}

std::vector<MutableTableSource::WriteError> StoreSource::last_write_errors() const {
  auto it = context_->write_errors.find(schema_.name);
  return it == context_->write_errors.end() ? std::vector<WriteError>{} : it->second;
}

namespace {

// The Power Fx kind of a failed store write: the store itself failing (locked,
// read-only, full, damaged) is a data-source failure, ErrorKind.Sync.
ErrorKind error_kind_of(const StoreError& e) {
  switch (e.cause()) {
    case StoreError::Cause::NotFound:
      return ErrorKind::NotFound;
    case StoreError::Cause::Duplicate:
      return ErrorKind::ConstraintViolated;
    case StoreError::Cause::Invalid:
      return ErrorKind::Validation;
    default:
      return ErrorKind::Sync;
  }
}

// Runs `body` in one store transaction; a failure of the store or a failed
// check (an Error value from body) rolls everything back, rows and queue
// entries. The outcome is what Errors(source) shows until the next write:
// nothing, or the error for each row the write was about (`subjects`; one
// Blank record for rows being created).
template <typename Body>
Value transactionally(SourceContext& context, const std::string& table,
                      const std::vector<Value>& subjects, Body body) {
  Value result;
  try {
    Transaction txn = context.store.transaction();
    result = body(txn);
    if (!result.is_error()) txn.commit();  // else txn's destructor rolls back
  } catch (const StoreError& e) {
    result = Value::error(error_kind_of(e), e.what());
  } catch (const TableSourceError& e) {
    result = Value::error(e.kind(), e.what());
  }
  auto& errors = context.write_errors[table];
  errors.clear();
  if (result.is_error())
    for (const ErrorInfo& info : result.errors()) {
      if (subjects.empty()) errors.push_back({Value::blank(), info});
      for (const Value& row : subjects) errors.push_back({row, info});
    }
  return result;
}

}  // namespace

Value StoreSource::insert(const std::vector<Value>& records) const {
  return transactionally(*context_, schema_.name, {}, [&](Transaction& txn) -> Value {
    const std::string& zone = context_->engine.time_zone();
    std::vector<Value> stored;
    for (const Value& rec : records) {
      Row row;
      for (const auto& [name, value] : rec.fields()) {
        const ColumnSchema* c = column(name);
        if (!c) continue;  // the row type has no such column
        auto cell = to_cell(value, c->type, zone);
        if (!cell)
          return Value::error(ErrorKind::Validation,
                              fmt::format("The value of '{}' does not fit its column.", name));
        row.emplace_back(c->name, std::move(*cell));
      }
      stored.push_back(read_by_key(txn.create(schema_.name, row)));
    }
    return Value::table(std::move(stored), row_type_);
  });
}

Value StoreSource::update(const std::vector<std::pair<Value, Value>>& changes) const {
  std::vector<Value> subjects;
  for (const auto& change : changes) subjects.push_back(change.first);
  return transactionally(*context_, schema_.name, subjects, [&](Transaction& txn) -> Value {
    const std::string& zone = context_->engine.time_zone();
    const ColumnSchema* key_col = schema_.column(schema_.key_column);
    std::vector<Value> stored;
    for (const auto& [existing, record] : changes) {
      auto key = key_of(existing);
      if (!key) return Value::error(ErrorKind::NotFound, "The record was not found.");
      Value current = read_by_key(*key);
      if (current.is_blank()) return Value::error(ErrorKind::NotFound, "The record was not found.");
      Row row;  // only the columns that change: the queue entry uploads exactly those
      for (const auto& [name, value] : record.fields()) {
        const ColumnSchema* c = column(name);
        if (!c) continue;
        const Value* old = current.field(name);
        bool same = old && (old->is_blank() ? value.is_blank()
                                            : !value.is_blank() && old->kind() == value.kind() &&
                                                  values_equal(*old, value));
        if (same) continue;
        if (c == key_col)
          return Value::error(ErrorKind::Validation,
                              fmt::format("The key column '{}' cannot be changed.", c->name));
        auto cell = to_cell(value, c->type, zone);
        if (!cell)
          return Value::error(ErrorKind::Validation,
                              fmt::format("The value of '{}' does not fit its column.", name));
        row.emplace_back(c->name, std::move(*cell));
      }
      if (!row.empty()) txn.update(schema_.name, *key, row);
      stored.push_back(read_by_key(*key));
    }
    return Value::table(std::move(stored), row_type_);
  });
}

Value StoreSource::remove(const std::vector<Value>& existing) const {
  return transactionally(*context_, schema_.name, existing, [&](Transaction& txn) -> Value {
    for (const Value& row : existing) {
      auto key = key_of(row);
      if (!key) return Value::error(ErrorKind::NotFound, "The record was not found.");
      txn.remove(schema_.name, *key);
    }
    return Value::void_();
  });
}

}  // namespace canvasfx::host
