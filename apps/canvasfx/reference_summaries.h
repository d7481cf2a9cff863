// The first line of prose of each Power Fx reference page, for Help(Filter).
// The table is generated at configure time (apps/reference_summaries.cmake)
// from the pages in CANVASFX_REFERENCE_DOCS; it is empty without them.
#pragma once

#include <string_view>

namespace canvasfx::cli {

// "Finds one or more records in a table." for "function-filter-lookup.md";
// "" when the page was not read.
std::string_view reference_summary(std::string_view page);

}  // namespace canvasfx::cli
