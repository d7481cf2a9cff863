// Helpers shared by the table and record functions (tables*.cpp): the row
// and column plumbing that Filter, AddColumns, Sort, Summarize ... all need,
// and the FunctionTables of the family's files, which install_tables() adds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/function.h"

namespace canvasfx::stdlib {

FunctionTable table_query_functions();   // tables.cpp: Filter LookUp First ... Search
FunctionTable table_column_functions();  // tables_columns.cpp: AddColumns DropColumns ...
FunctionTable table_sort_functions();    // tables_sort.cpp: Sort SortByColumns
FunctionTable table_group_functions();   // tables_group.cpp: Summarize Join
std::shared_ptr<const EnumInfo> sort_order_enum();
std::shared_ptr<const EnumInfo> join_type_enum();  // tables_group.cpp

// --- type rules ---------------------------------------------------------

// The row type of a table or record argument (empty for anything else).
Type row_type_of(const Type& t);
// Argument i's column name when it is known while checking (a literal or an
// identifier); reports and returns nullopt otherwise.
std::optional<std::string> column_name_arg(CheckContext& ctx, size_t i);
// Reports "The specified column 'x' does not exist." (naming a similar column
// when there is one) unless `row` has the column; returns its type or nullptr.
const Type* require_column(CheckContext& ctx, size_t i, const Type& row, const std::string& name);
// A lambda predicate must be Boolean: numbers coerce, text does not.
void require_predicate(CheckContext& ctx, size_t i);
// Is `t` a value Sort/Summarize can order or group by (no records, tables ...)?
bool is_primitive(const Type& t);
// The result type of mapping rows to values of type `t`: a table of records
// of `t`, or a one-column `Value` table of scalars (ConsistentOneColumnTableResult).
Type table_of_results(const Type& t);

// --- run time -----------------------------------------------------------

// Gives a record every field of `row_type`, Blank where missing.
Value normalize_row(const Value& row, const Type& row_type);
// A lambda result (not an Error) as a row of table_of_results(lambda_type),
// whose row type is `row_type`: records are rows (Blank a blank row), other
// values the `Value` column.
Value result_row(const Value& v, const Type& lambda_type, const Type& row_type);
// Orders two non-blank values of the same kind: numbers, booleans, date/time,
// text (culture-aware, lower case first, as Power Fx sorts text). <0, 0, >0.
int compare_values(const Value& a, const Value& b);
// Equality for Distinct/Summarize grouping: Blank equals only Blank.
bool same_value(const Value& a, const Value& b);
// A SortOrder argument (text "ascending"/"descending" or the enum member).
bool is_descending(const Value& order);

}  // namespace canvasfx::stdlib
