// What the REPL tells a person about the language, from what the engine
// knows (its functions, symbols and enums), so that it is never out of date:
//
//   Help()               the REPL's commands and the functions by family
//   Help(Filter)         each overload's signature and the first line of the
//                        function's reference page (reference_summaries.h)
//   "did you mean"       for a name or function the binder did not recognise
//   completion           names, functions, enum members and columns after `.`,
//                        the row's columns inside Filter(t, …) and friends
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/diagnostic.h"
#include "canvasfx/engine.h"

namespace canvasfx::cli {

// The REPL's Help(): its commands, then every function grouped by family
// (stdlib's families; the others, the host's, last), wrapped to `width` columns.
std::string help_overview(const Engine& engine, size_t width = 80);

// Help(Filter): the signatures and the reference summary of a function; for a
// variable, data source or signal its type; for an enum its members. nullopt
// when the engine knows no such name.
std::optional<std::string> help_for(const Engine& engine, std::string_view name);

// One overload as a person reads it: "Filter(table, boolean for each row, …)".
std::string signature(const FunctionDef& row);

// A name as a formula writes it: Accounts, 'Sales Orders' (quoted when not an identifier).
std::string formula_name(std::string_view name);

// A type as Power Fx writes it: Number, {a: Number, b: Text}, [{Value: Number}].
std::string type_text(const Type& type);

// Up to `max` names the engine knows that look like `name` (spelling mistakes,
// letter case), closest first. functions_only: only function names.
std::vector<std::string> similar_names(const Engine& engine, std::string_view name,
                                       bool functions_only, size_t max = 3);

// "Did you mean Filter?" lines for the diagnostics about unknown names and
// functions; "" when there is nothing to suggest.
std::string did_you_mean(const Engine& engine, const std::vector<Diagnostic>& diagnostics);

// Completion of the text before the cursor: candidates replace the bytes from
// `start` to the end of that text. Functions come with their "(".
struct Completion {
  size_t start = 0;
  std::vector<std::string> candidates;  // sorted, unique
};
Completion complete(Engine& engine, std::string_view before_cursor);

}  // namespace canvasfx::cli
