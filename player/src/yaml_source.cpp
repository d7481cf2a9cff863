// Formulas out of YAML scalars (yaml_source.h).
#include "yaml_source.h"

#include <fmt/format.h>

#include <algorithm>

namespace canvasfx::player {

int code_points(std::string_view utf8) {
  int n = 0;
  for (unsigned char c : utf8)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

SourcePos YamlFile::pos(const YamlMark& mark) const {
  SourcePos p{path, mark.line + 1, mark.column + 1};
  // Marks count columns in bytes; diagnostics count code points.
  if (mark.line >= 0 && static_cast<size_t>(mark.line) < lines.size()) {
    std::string_view line = lines[mark.line];
    size_t bytes = std::min<size_t>(mark.column, line.size());
    p.column = code_points(line.substr(0, bytes)) + 1;
  }
  return p;
}

void DiagnosticSink::error(SourcePos pos, std::string message, std::string control,
                           std::string property) {
  out_.push_back(app_diagnostic(std::move(pos), Severity::Error, std::move(message),
                                std::move(control), std::move(property)));
}

void DiagnosticSink::warning(SourcePos pos, std::string message, std::string control,
                             std::string property) {
  out_.push_back(app_diagnostic(std::move(pos), Severity::Warning, std::move(message),
                                std::move(control), std::move(property)));
}

std::unique_ptr<YamlFile> parse_yaml(std::string path, std::string text, DiagnosticSink& sink) {
  auto file = std::make_unique<YamlFile>();
  file->path = std::move(path);
  file->text = std::move(text);
  // A UTF-8 byte order mark is not part of the document.
  if (file->text.compare(0, 3, "\xEF\xBB\xBF") == 0) file->text.erase(0, 3);
  std::string_view all = file->text;
  for (size_t start = 0; start <= all.size();) {
    size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    file->lines.push_back(line);
    start = end + 1;
  }
  std::optional<YamlTree::Error> error;
  file->tree = YamlTree::parse(file->text, file->lines, error);
  if (!file->tree) {
    sink.error(file->pos(error->mark), error->message);
    return nullptr;
  }
  file->root = file->tree->root();
  return file;
}

std::string scalar_of(const YamlFile& file, const YamlNode& node, DiagnosticSink& sink,
                      std::string_view what) {
  if (node.is_scalar()) return node.scalar();
  if (!node.is_null()) sink.error(file.pos(node), fmt::format("{} must be a text value", what));
  return {};
}

YamlNode child(const YamlNode& map, std::string_view key) {
  for (const auto& entry : map.entries())
    if (entry.first.is_scalar() && entry.first.scalar() == key) return entry.second;
  return YamlTree::null_node();
}

namespace {

int leading_spaces(std::string_view line) {
  int n = 0;
  while (n < static_cast<int>(line.size()) && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

}  // namespace

std::optional<FormulaText> formula_of(const YamlFile& file, const YamlNode& value,
                                      DiagnosticSink& sink, const std::string& control,
                                      const std::string& property) {
  if (!value.is_defined() || value.is_null()) return std::nullopt;
  SourcePos at = file.pos(value);
  if (!value.is_scalar()) {
    sink.error(at, "a property value must be a formula starting with '='", control, property);
    return std::nullopt;
  }
  const std::string& s = value.scalar();
  const YamlMark mark = value.mark();
  // Where each line of the scalar's value starts in the file.
  std::vector<std::pair<int, int>> value_lines;
  char style = 0;
  if (mark.line >= 0 && static_cast<size_t>(mark.line) < file.lines.size()) {
    std::string_view line = file.lines[mark.line];
    if (static_cast<size_t>(mark.column) < line.size()) style = line[mark.column];
  }
  if (style == '|' || style == '>') {
    // A block scalar: its lines start below the indicator, at the block's indentation.
    int indent = -1;
    for (size_t l = mark.line + 1; l < file.lines.size() && indent < 0; ++l)
      if (leading_spaces(file.lines[l]) < static_cast<int>(file.lines[l].size()))
        indent = leading_spaces(file.lines[l]);
    if (indent < 0) indent = 0;
    size_t count = 1 + std::count(s.begin(), s.end(), '\n');
    for (size_t i = 0; i < count; ++i) value_lines.emplace_back(mark.line + 2 + i, indent + 1);
  } else {
    int column = at.column + (style == '"' || style == '\'' ? 1 : 0);
    value_lines.emplace_back(at.line, column);
    // Folded plain or quoted scalars: later lines are approximated by their file lines.
    size_t count = std::count(s.begin(), s.end(), '\n');
    for (size_t i = 1; i <= count; ++i) {
      int l = at.line + static_cast<int>(i);
      int indent =
          l - 1 < static_cast<int>(file.lines.size()) ? leading_spaces(file.lines[l - 1]) : 0;
      value_lines.emplace_back(l, indent + 1);
    }
  }
  // The formula starts after the first '=' (whitespace before it is allowed).
  size_t eq = s.find_first_not_of(" \t\r\n");
  if (eq == std::string::npos || s[eq] != '=') {
    sink.error(at, "a formula must start with '='", control, property);
    return std::nullopt;
  }
  size_t eq_line = std::count(s.begin(), s.begin() + eq, '\n');
  size_t line_begin = s.rfind('\n', eq);
  line_begin = line_begin == std::string::npos ? 0 : line_begin + 1;
  FormulaText formula;
  formula.text = s.substr(eq + 1);
  formula.file = file.path;
  for (size_t i = eq_line; i < value_lines.size(); ++i) {
    auto [line, column] = value_lines[i];
    if (i == eq_line)
      column += code_points(std::string_view(s).substr(line_begin, eq + 1 - line_begin));
    formula.line_starts.emplace_back(line, column);
  }
  return formula;
}

}  // namespace canvasfx::player
