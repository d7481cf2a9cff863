// How the command line shows things to a person: diagnostics with the source
// line and a caret line under the span, tables as aligned grids, colours.
// Pure functions of their inputs, so tests can pin them down.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/diagnostic.h"
#include "canvasfx/value.h"

namespace canvasfx::cli {

// Byte offset in `source` (UTF-8) of a UTF-16 offset. A byte that is not valid
// UTF-8 counts as one unit (it reads as U+FFFD). Clamped to source.size().
size_t utf16_to_byte(std::string_view source, int32_t utf16_offset);

// Two lines, each ending in '\n': the source line that holds span.min and
// carets under the span (clipped to that line; at least one caret). Long lines
// show a window of about `width` columns with "…" where text is cut. Control
// characters and invalid UTF-8 are shown as "?" and U+FFFD.
std::string render_caret(std::string_view source, Span span, size_t width = 100);

// Replaces invalid UTF-8 with U+FFFD and control characters (except '\n' and
// '\t') with '?', so hostile text cannot garble a terminal.
std::string sanitize(std::string_view text);

enum class Colour { None, Red, Yellow, Green, Cyan, Dim, Bold };
std::string paint(std::string_view text, Colour c, bool enabled);

// Every diagnostic: "Error 3-5: message" then the caret lines; after `max`
// diagnostics, "… and N more".
std::string render_diagnostics(std::string_view source, const std::vector<Diagnostic>& diagnostics,
                               bool colour, size_t max = 20);

// REPL display of a value: a table with rows as an aligned grid of the first
// `max_rows` rows (then "… N more rows"), anything else canonically.
std::string render_value(const Value& v, size_t max_rows = 10, size_t max_cell = 40);

// Number of code points (what a terminal column count approximates).
size_t display_width(std::string_view text);

}  // namespace canvasfx::cli
