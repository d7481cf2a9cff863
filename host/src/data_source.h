// The store's local tables as Power Fx data sources (private to canvasfx_host).
//
// A StoreSource is a query over one local table: the whole table, or the
// table narrowed by what delegated calls added (a WHERE clause with its bound
// parameters, an ORDER BY, a LIMIT). Its rows are read lazily, once per Table
// value, when a function needs them row by row. Delegated calls
// (delegation.h) that it can answer exactly become either a narrower query
// (Filter, Search, Sort, SortByColumns, FirstN) or one SQL statement whose
// result is the call's value (CountRows, CountIf, First, LookUp, Sum, Min,
// Max, Average). Writes (mutable_source.h) go through Store::Transaction, so
// each call's rows and their upsync-queue entries commit together or not at all.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "canvasfx/delegation.h"
#include "canvasfx/engine.h"
#include "canvasfx/host/store.h"
#include "canvasfx/mutable_source.h"

namespace canvasfx::host {

// What the data sources of one Host share.
struct SourceContext {
  Store& store;
  Engine& engine;  // its time zone converts the store's UTC instants to wall clock
  std::function<void(const std::string&)> on_statement;  // each SQL statement, for --explain
  std::deque<std::string> statements;                    // the last kMaxStatements
  static constexpr size_t kMaxStatements = 50;
  void record(const std::string& statement);
  // Errors(source): the errors of the last write to each table, by table name.
  std::map<std::string, std::vector<MutableTableSource::WriteError>> write_errors;
};

// A SQL parameter value.
using SqlParam = std::variant<std::monostate, int64_t, double, std::string>;

struct Query {
  std::string where;             // "" or a SQL expression that is never NULL
  std::vector<SqlParam> params;  // the `?` of `where`, in order
  std::string order_by;          // "" or "key1 DESC, ..." (no parameters)
  std::optional<int64_t> limit;
};

// The Power Fx row type of a local table: file and image columns are left
// out (their content is uploaded through queue entries, not read by formulas).
Type row_type_of(const TableSchema& schema);

class StoreSource final : public MutableTableSource, public DelegatingSource {
 public:
  StoreSource(std::shared_ptr<SourceContext> context, TableSchema schema, Type row_type,
              Query query = {});

  std::vector<Value> rows() const override;
  std::string name() const override { return schema_.name; }
  Value insert(const std::vector<Value>& records) const override;
  Value update(const std::vector<std::pair<Value, Value>>& changes) const override;
  Value remove(const std::vector<Value>& existing) const override;
  std::optional<Value> delegate(const DelegationRequest& request) const override;
  std::vector<WriteError> last_write_errors() const override;

  const Query& query() const { return query_; }

 private:
  struct Column {
    const ColumnSchema* schema;
    std::string quoted;
  };
  std::optional<Value> delegate_or_throw(const DelegationRequest& r) const;
  std::optional<Value> narrow(const DelegationRequest& r, Query q) const;
  std::optional<Value> filter(const DelegationRequest& r, size_t first_predicate) const;
  std::optional<Value> count(const DelegationRequest& r, size_t first_predicate) const;
  std::optional<Value> first(const DelegationRequest& r) const;
  std::optional<Value> first_n(const DelegationRequest& r) const;
  std::optional<Value> search(const DelegationRequest& r) const;
  std::optional<Value> sort(const DelegationRequest& r) const;
  std::optional<Value> sort_by_columns(const DelegationRequest& r) const;
  std::optional<Value> aggregate(const DelegationRequest& r) const;

  // The SELECT of this query's rows with `what` as the result columns.
  std::string select(std::string_view what, const Query& q) const;
  // Reads; a SQLite failure throws TableSourceError (ErrorKind::Sync).
  std::vector<Value> run_rows(const Query& q) const;
  Value run_scalar(const std::string& sql, const std::vector<SqlParam>& params) const;
  const ColumnSchema* column(std::string_view name) const;  // exact, Power Fx names
  Value read_by_key(const std::string& key) const;
  std::optional<std::string> key_of(const Value& row) const;

  std::shared_ptr<SourceContext> context_;
  TableSchema schema_;
  Type row_type_;
  Query query_;
  std::vector<Column> columns_;  // the row type's columns, sorted by name
  std::string select_list_;
};

// Registers the SQL functions the generated statements use (cfx_contains,
// cfx_starts_with, cfx_ends_with, cfx_sum) on the store's connection.
void register_sql_functions(Store& store);

}  // namespace canvasfx::host
