// Host data sources that the mutation functions can write.
//
// A Table value whose source() is a MutableTableSource is a handle on rows
// that live outside the engine (a SQLite table in the host). Collect, Patch,
// Remove, Clear ... (stdlib/mutation.cpp) and deep writes such as
// Patch(First(Source).Items, ...) (the evaluator's write_place) detect it with
// dynamic_cast and send the change to the source instead of rebuilding the
// table in memory; afterwards the variable is given a fresh handle
// (fresh_value), so the next read materializes the rows as they are now.
//
// Contract for implementers:
//   * Every call is one transaction: all of its rows are written, or none are
//     and the result is an Error value (ErrorKind::Conflict, NotFound,
//     ConstraintViolated, CreatePermission ...; ErrorKind::Sync when the
//     store itself failed: read-only, locked, full) saying why.
//   * last_write_errors() is what Errors(source) shows: the errors of the
//     last call, none after a call that succeeded.
//   * Rows passed in are records of the table's row type; `existing` rows are
//     values that rows() produced (match them by key or by value).
//   * The methods are const because a source is shared by immutable Values:
//     they change the external store, never the handle.
//   * Create sources with std::make_shared (fresh_value uses shared_from_this).
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "canvasfx/value.h"

namespace canvasfx {

class MutableTableSource : public TableSource,
                           public std::enable_shared_from_this<MutableTableSource> {
 public:
  // Adds records; returns a Table of the rows as stored (generated columns
  // filled in), in the order given.
  virtual Value insert(const std::vector<Value>& records) const = 0;
  // Replaces each pair's existing row by its complete new record; returns a
  // Table of the rows as stored.
  virtual Value update(const std::vector<std::pair<Value, Value>>& changes) const = 0;
  // Removes the existing rows; returns Void.
  virtual Value remove(const std::vector<Value>& existing) const = 0;

  // An error of the last write: the row it was about (Blank for a record being
  // created) and the error (function-errors.md's Record, Error, Message).
  struct WriteError {
    Value record;
    ErrorInfo error;
  };
  virtual std::vector<WriteError> last_write_errors() const { return {}; }

  // A new handle on this source with the given row type: reading it reads
  // the rows as they are after the writes.
  Value fresh_value(const Type& row_type) const {
    return Value::table_source(shared_from_this(), row_type);
  }
};

}  // namespace canvasfx
