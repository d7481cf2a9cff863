// Reading property formulas out of YAML: where a formula starts (a plain,
// quoted or block scalar, `=` first), and the position of each of its lines
// in the file, so that a diagnostic inside a formula points at file:line:column.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/player/source.h"
#include "yaml_tree.h"

namespace canvasfx::player {

struct YamlFile {
  std::string path;  // relative to the app's root
  std::string text;
  std::vector<std::string_view> lines;  // views into text: a YamlFile does not move
  std::unique_ptr<YamlTree> tree;
  YamlNode root;

  SourcePos pos(const YamlMark& mark) const;
  SourcePos pos(const YamlNode& node) const { return pos(node.mark()); }
};

class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::vector<AppDiagnostic>& out) : out_(out) {}
  void error(SourcePos pos, std::string message, std::string control = {},
             std::string property = {});
  void warning(SourcePos pos, std::string message, std::string control = {},
               std::string property = {});

 private:
  std::vector<AppDiagnostic>& out_;
};

// Parses `text`; a YAML error is a diagnostic and gives null.
std::unique_ptr<YamlFile> parse_yaml(std::string path, std::string text, DiagnosticSink& sink);

// A property value as a formula. A null value is no formula (nullopt, no
// diagnostic); a value that is not text starting with '=' is an error.
std::optional<FormulaText> formula_of(const YamlFile& file, const YamlNode& value,
                                      DiagnosticSink& sink, const std::string& control,
                                      const std::string& property);

// A scalar's text, or "" (with an error) when the node is not a scalar.
std::string scalar_of(const YamlFile& file, const YamlNode& node, DiagnosticSink& sink,
                      std::string_view what);

// A mapping's value for `key`, or a null node: unlike operator[], never an
// invalid node (whose use throws) when the key is missing or `map` is no map.
YamlNode child(const YamlNode& map, std::string_view key);

// Number of code points in a UTF-8 string.
int code_points(std::string_view utf8);

}  // namespace canvasfx::player
