#include "display.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>

#include "canvasfx/engine.h"

namespace canvasfx::cli {
namespace {

// One UTF-8 sequence at s[i]: its length in bytes and its code point, or
// {1, -1} for a byte that does not start a valid sequence.
struct Decoded {
  size_t len;
  int32_t cp;
};

Decoded decode(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return {1, b};
  size_t len;
  int32_t cp;
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    cp = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    cp = b & 0x07;
  } else {
    return {1, -1};
  }
  if (i + len > s.size()) return {1, -1};
  for (size_t k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return {1, -1};
    cp = (cp << 6) | (c & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return {1, -1};
  return {len, cp};
}

constexpr const char* kReplacement = "\xEF\xBF\xBD";

// One terminal cell of a source line.
struct Cell {
  std::string text;
  size_t byte;  // offset in the source
  bool tab;
};

}  // namespace

size_t utf16_to_byte(std::string_view s, int32_t offset) {
  if (offset <= 0) return 0;
  int64_t units = 0;
  size_t i = 0;
  while (i < s.size() && units < offset) {
    Decoded d = decode(s, i);
    units += d.cp >= 0x10000 ? 2 : 1;
    i += d.len;
  }
  return i;
}

std::string sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    Decoded d = decode(s, i);
    if (d.cp < 0)
      out += kReplacement;
    else if ((d.cp < 0x20 && d.cp != '\n' && d.cp != '\t') || d.cp == 0x7F ||
             (d.cp >= 0x80 && d.cp < 0xA0))
      out += '?';
    else
      out.append(s.substr(i, d.len));
    i += d.len;
  }
  return out;
}

namespace {

// Columns of one grapheme cluster (bytes [begin, end) of s).
size_t cluster_width(std::string_view s, int32_t begin, int32_t end) {
  UChar32 first = -1;
  for (int32_t i = begin; i < end;) {
    UChar32 cp;
    U8_NEXT(s.data(), i, end, cp);
    if (cp == 0xFE0F) return 2;  // VARIATION SELECTOR-16: shown as an emoji
    if (first < 0) first = cp;
  }
  if (first < 0) return 0;
  auto eaw = u_getIntPropertyValue(first, UCHAR_EAST_ASIAN_WIDTH);
  if (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH ||
      u_hasBinaryProperty(first, UCHAR_EMOJI_PRESENTATION))
    return 2;
  auto category = U_GET_GC_MASK(first);
  if (category & (U_GC_MN_MASK | U_GC_ME_MASK | U_GC_CF_MASK)) return 0;
  return 1;
}

// Calls f(begin, end) for each grapheme cluster of s (byte offsets); stops when f returns false.
template <typename F>
void for_each_cluster(std::string_view s, F&& f) {
  UErrorCode status = U_ZERO_ERROR;
  // Creating a break iterator loads rules: one per thread, reused.
  static thread_local std::unique_ptr<icu::BreakIterator> clusters(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  UText* text = utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &status);
  if (U_FAILURE(status) || !clusters) {
    utext_close(text);
    for (size_t i = 0; i < s.size(); ++i)
      if (!f(static_cast<int32_t>(i), static_cast<int32_t>(i + 1))) break;
    return;
  }
  clusters->setText(text, status);
  int32_t begin = clusters->first();
  for (int32_t end = clusters->next(); end != icu::BreakIterator::DONE;
       begin = end, end = clusters->next())
    if (!f(begin, end)) break;
  utext_close(text);
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

size_t display_width(std::string_view s) {
  if (is_ascii(s)) return s.size();
  size_t n = 0;
  for_each_cluster(s, [&](int32_t b, int32_t e) {
    n += cluster_width(s, b, e);
    return true;
  });
  return n;
}

std::string truncate_to_width(std::string_view s, size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return {};
  size_t used = 0, cut = 0;
  for_each_cluster(s, [&](int32_t b, int32_t e) {
    size_t w = cluster_width(s, b, e);
    if (used + w + 1 > width) return false;  // keep a column for "…"
    used += w;
    cut = static_cast<size_t>(e);
    return true;
  });
  return std::string(s.substr(0, cut)) + "…";
}

size_t terminal_width() {
  if (!::isatty(STDOUT_FILENO)) return 0;
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS"); columns && std::atoi(columns) > 0)
    return static_cast<size_t>(std::atoi(columns));
  return 80;
}

std::string render_caret(std::string_view source, Span span, size_t width) {
  size_t min_b = utf16_to_byte(source, span.min);
  size_t lim_b = std::max(min_b, utf16_to_byte(source, span.lim));
  size_t line_start = 0;
  if (min_b > 0) {
    size_t nl = source.rfind('\n', min_b - 1);
    if (nl != std::string_view::npos) line_start = nl + 1;
  }
  size_t line_end = source.find('\n', min_b);
  if (line_end == std::string_view::npos) line_end = source.size();
  if (line_end > line_start && source[line_end - 1] == '\r') --line_end;
  if (min_b > line_end) min_b = line_end;  // a span starting at the '\r' of "\r\n"

  // Decode only around the span: a line may be megabytes long.
  const size_t context = width * 4;
  bool cut_left = false, cut_right = false;
  size_t from = line_start, to = line_end;
  if (min_b - line_start > context) {
    from = min_b - context;
    while (from < min_b && (static_cast<unsigned char>(source[from]) & 0xC0) == 0x80) ++from;
    cut_left = true;
  }
  if (to > min_b + context) {
    to = min_b + context;
    cut_right = true;
  }

  std::vector<Cell> cells;
  for (size_t i = from; i < to;) {
    Decoded d = decode(source, i);
    if (i + d.len > to) break;
    Cell c{{}, i, false};
    if (d.cp < 0)
      c.text = kReplacement;
    else if (d.cp == '\t')
      c.tab = true, c.text = "\t";
    else if (d.cp < 0x20 || d.cp == 0x7F || (d.cp >= 0x80 && d.cp < 0xA0))
      c.text = "?";
    else
      c.text = std::string(source.substr(i, d.len));
    cells.push_back(std::move(c));
    i += d.len;
  }

  // Caret cells; an empty span (or one at the end of the line) gets one caret.
  size_t first = cells.size(), last = cells.size();
  for (size_t k = 0; k < cells.size(); ++k)
    if (cells[k].byte >= min_b && cells[k].byte < lim_b) {
      if (first == cells.size()) first = k;
      last = k + 1;
    }
  if (first == cells.size()) {
    first = 0;
    while (first < cells.size() && cells[first].byte < min_b) ++first;
    last = first + 1;
  }

  // Window of `width` cells that shows the start of the span.
  size_t begin = 0, end = cells.size();
  if (end > width) {
    begin = first > width / 3 ? first - width / 3 : 0;
    end = std::min(cells.size(), begin + width);
    if (begin > 0) cut_left = true;
    if (end < cells.size()) cut_right = true;
  }
  std::string text = "  ", marks = "  ";
  if (cut_left) text += "…", marks += " ";
  for (size_t k = begin; k < end; ++k) text += cells[k].text;
  if (cut_right) text += "…";
  for (size_t k = begin; k < std::max(last, first + 1) && k < end + 1; ++k) {
    // As many marks as the cell takes columns: two under 漢, none under a combining mark.
    size_t columns = k < cells.size() && !cells[k].tab ? display_width(cells[k].text) : 1;
    if (k < first)
      marks += k < cells.size() && cells[k].tab ? std::string(1, '\t') : std::string(columns, ' ');
    else
      marks += std::string(std::max<size_t>(columns, k == first ? 1 : 0), '^');
  }
  return text + "\n" + marks + "\n";
}

std::string paint(std::string_view text, Colour c, bool enabled) {
  if (!enabled || c == Colour::None) return std::string(text);
  const char* code = "";
  switch (c) {
    case Colour::Red:
      code = "\x1b[31m";
      break;
    case Colour::Yellow:
      code = "\x1b[33m";
      break;
    case Colour::Green:
      code = "\x1b[32m";
      break;
    case Colour::Cyan:
      code = "\x1b[36m";
      break;
    case Colour::Dim:
      code = "\x1b[2m";
      break;
    case Colour::Bold:
      code = "\x1b[1m";
      break;
    case Colour::None:
      break;
  }
  return code + std::string(text) + "\x1b[0m";
}

std::string render_diagnostics(std::string_view source, const std::vector<Diagnostic>& ds,
                               bool colour, size_t max) {
  std::string out;
  size_t shown = 0;
  for (const auto& d : ds) {
    if (shown == max) {
      out += fmt::format("… and {} more\n", ds.size() - shown);
      break;
    }
    ++shown;
    out += paint(sanitize(format_diagnostic(d)),
                 d.severity == Severity::Error ? Colour::Red : Colour::Yellow, colour);
    out += "\n";
    out += render_caret(source, d.span);
  }
  return out;
}

namespace {

// A cell's text on one line.
std::string cell_text(const std::string& s) {
  std::string out = sanitize(s);
  for (auto& c : out)
    if (c == '\n' || c == '\t') c = ' ';
  return out;
}

std::string pad(const std::string& s, size_t width) {
  size_t w = display_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

constexpr size_t kColumnGap = 2;
constexpr size_t kNarrowestColumn = 4;  // three columns of text and "…"

// Shrinks the widest columns until the grid fits `limit` columns (or none can shrink).
void fit_widths(std::vector<size_t>& widths, size_t limit) {
  auto total = [&] {
    size_t t = 0;
    for (size_t w : widths) t += w;
    return t + kColumnGap * (widths.empty() ? 0 : widths.size() - 1);
  };
  while (total() > limit) {
    auto widest = std::max_element(widths.begin(), widths.end());
    if (widest == widths.end() || *widest <= kNarrowestColumn) return;
    *widest -= 1;
  }
}

}  // namespace

std::string render_value(const Value& v, const ValueDisplay& display) {
  const PrintOptions shown{.error_messages = true};
  if (!v.is_table()) return print_value(v, shown);
  const auto& rows = v.rows();
  if (rows.empty()) return print_value(v, shown);

  std::vector<std::string> columns;
  std::map<std::string, size_t> index;
  auto add_column = [&](const std::string& name) {
    if (index.emplace(name, columns.size()).second) columns.push_back(name);
  };
  const Type& rt = v.row_type();
  for (size_t i = 0; i < rt.field_count(); ++i) add_column(rt.field_name(i));
  size_t count = display.max_rows == 0 ? rows.size() : std::min(rows.size(), display.max_rows);
  for (size_t r = 0; r < count; ++r)
    if (rows[r].is_record())
      for (const auto& [name, _] : rows[r].fields()) add_column(name);
  if (columns.empty()) return print_value(v, shown);
  std::sort(columns.begin(), columns.end());

  std::vector<std::vector<std::string>> grid;
  grid.emplace_back();
  for (const auto& c : columns) grid.back().push_back(cell_text(c));
  for (size_t r = 0; r < count; ++r) {
    std::vector<std::string> line(columns.size());
    if (rows[r].is_record()) {
      for (size_t c = 0; c < columns.size(); ++c) {
        const Value* f = rows[r].field(columns[c]);
        line[c] = cell_text(f ? print_value(*f, shown) : "Blank()");
      }
    } else {
      line[0] = cell_text(print_value(rows[r], shown));  // a blank or error row
    }
    grid.push_back(std::move(line));
  }
  std::vector<size_t> widths(columns.size(), 0);
  for (const auto& line : grid)
    for (size_t c = 0; c < line.size(); ++c)
      widths[c] = std::max(widths[c], display_width(line[c]));
  if (display.max_cell > 0)
    for (size_t& w : widths) w = std::min(w, display.max_cell);
  if (display.width > 0) fit_widths(widths, display.width);

  std::string out;
  auto emit = [&](const std::vector<std::string>& line) {
    std::string s;
    for (size_t c = 0; c < line.size(); ++c) {
      if (c) s += std::string(kColumnGap, ' ');
      std::string cell = truncate_to_width(line[c], widths[c]);
      s += c + 1 == line.size() ? cell : pad(cell, widths[c]);
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out += s + "\n";
  };
  emit(grid[0]);
  std::vector<std::string> rule;
  for (size_t w : widths) {
    std::string r;
    for (size_t k = 0; k < w; ++k) r += "─";
    rule.push_back(r);
  }
  emit(rule);
  for (size_t r = 1; r < grid.size(); ++r) emit(grid[r]);
  if (rows.size() > count) out += fmt::format("… {} more rows\n", rows.size() - count);
  out.pop_back();  // the caller ends the line
  return out;
}

}  // namespace canvasfx::cli
