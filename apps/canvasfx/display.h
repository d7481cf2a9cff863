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

// How render_value shows a value to a person.
struct ValueDisplay {
  size_t max_rows = 10;  // rows of a table's grid; then "… N more rows". 0: all
  size_t max_cell = 40;  // columns of a cell, cut with "…". 0: no limit
  size_t width = 0;      // the terminal's columns: wide grids shrink their widest
                         // columns to fit. 0: no limit (a pipe)
};

// A table of records as an aligned grid; anything else in the canonical form
// with error messages (print_value with PrintOptions::error_messages).
std::string render_value(const Value& v, const ValueDisplay& display = {});

// Terminal columns the text takes, by grapheme cluster (ICU): East Asian wide
// and fullwidth characters and emoji take two, combining marks and format
// characters none, a ZWJ emoji sequence two.
size_t display_width(std::string_view text);
// The longest prefix of whole grapheme clusters that fits in `width` columns,
// ending with "…" when the text was cut.
std::string truncate_to_width(std::string_view text, size_t width);

// The columns of the terminal on stdout, or 0 when stdout is not a terminal.
size_t terminal_width();

}  // namespace canvasfx::cli
