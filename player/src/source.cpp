// The source model's helpers (source.h).
#include "canvasfx/player/source.h"

#include <fmt/format.h>

namespace canvasfx::player {

SourcePos FormulaText::position(int32_t utf16) const {
  SourcePos pos{file, 0, 0};
  if (line_starts.empty()) return pos;
  size_t line = 0;
  int column = line_starts[0].second;
  int32_t units = 0;
  for (size_t i = 0; i < text.size() && units < utf16;) {
    unsigned char c = text[i];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    units += len == 4 ? 2 : 1;
    if (c == '\n') {
      ++line;
      column = line < line_starts.size() ? line_starts[line].second : 1;
    } else {
      ++column;
    }
    i += len;
  }
  size_t l = std::min(line, line_starts.size() - 1);
  pos.line = line_starts[l].first + static_cast<int>(line - l);
  pos.column = column;
  return pos;
}

const PropertySource* ControlSource::property(std::string_view name) const {
  for (const auto& p : properties)
    if (p.name == name) return &p;
  return nullptr;
}

namespace {
size_t count_formulas(const ControlSource& c) {
  size_t n = c.properties.size();
  for (const auto& child : c.children) n += count_formulas(child);
  return n;
}
}  // namespace

size_t AppSource::formula_count() const {
  size_t n = count_formulas(app);
  for (const auto& s : screens) n += count_formulas(s);
  for (const auto& c : components) {
    n += count_formulas(c.body);
    for (const auto& p : c.custom_properties) n += p.default_formula ? 1 : 0;
  }
  return n;
}

const ComponentSource* AppSource::component(std::string_view name) const {
  for (const auto& c : components)
    if (c.body.name == name) return &c;
  return nullptr;
}

const PcfTemplateSource* AppSource::pcf_template(std::string_view name) const {
  for (const auto& t : pcf_templates)
    if (t.name == name) return &t;
  return nullptr;
}

std::string format_app_diagnostic(const AppDiagnostic& d, std::string_view where) {
  std::string out = fmt::format("{}:{}:{}: {}: {}", d.pos.file, d.pos.line, d.pos.column,
                                d.severity == Severity::Error ? "error" : "warning", d.message);
  if (!where.empty()) {
    out += fmt::format(" [{}]", where);
  } else if (!d.control.empty()) {
    std::string path =
        d.screen.empty() || d.screen == d.control ? d.control : d.screen + "." + d.control;
    out += fmt::format(" [{}{}{}]", path, d.property.empty() ? "" : ".", d.property);
  }
  return out;
}

}  // namespace canvasfx::player
