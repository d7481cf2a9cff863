// YAML documents as node trees (yaml_tree.h): libyaml's events, or
// yaml-cpp's node tree for a document libyaml rejects.
#include "yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>
#include <yaml.h>

#include <cstring>
#include <optional>
#include <set>
#include <sstream>

namespace canvasfx::player {

namespace {

// Finds the first alias (*name) of a map or a list in a YAML document. App
// source has no use for them (Studio never writes anchors), and such an alias
// makes yaml-cpp share a node: `S: &s {Children: [L: *s]}` is a control inside
// itself, which copying the tree (or the loader) would walk forever, and
// aliases of aliases make a tree exponentially large. So it is an error, found
// before the tree is built; an alias of a scalar is only its text again.
// (libyaml's reader hands documents with anchors to yaml-cpp.)
class AliasFinder final : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> alias;
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!alias && collections_.count(anchor)) alias = mark;
  }
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    if (anchor) collections_.insert(anchor);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    if (anchor) collections_.insert(anchor);
  }
  void OnMapEnd() override {}

 private:
  std::set<YAML::anchor_t> collections_;  // anchors of maps and lists
};

YamlTree::Node node_of(YamlTree::Kind kind, YamlMark mark) {
  YamlTree::Node n;
  n.kind = kind;
  n.mark = mark;
  return n;
}

}  // namespace

bool YamlNode::is_null() const { return tree_ && tree_->nodes_[id_].kind == YamlTree::Kind::Null; }
bool YamlNode::is_scalar() const {
  return tree_ && tree_->nodes_[id_].kind == YamlTree::Kind::Scalar;
}
bool YamlNode::is_sequence() const {
  return tree_ && tree_->nodes_[id_].kind == YamlTree::Kind::Sequence;
}
bool YamlNode::is_map() const { return tree_ && tree_->nodes_[id_].kind == YamlTree::Kind::Map; }

const std::string& YamlNode::scalar() const {
  static const std::string kNone;
  return is_scalar() ? tree_->nodes_[id_].scalar : kNone;
}

YamlMark YamlNode::mark() const { return tree_ ? tree_->nodes_[id_].mark : YamlMark{-1, -1}; }

size_t YamlNode::size() const {
  return is_map() || is_sequence() ? tree_->nodes_[id_].child_count : 0;
}

std::string YamlNode::text_or(std::string_view fallback) const {
  if (is_null()) return "null";
  if (is_scalar()) return scalar();
  return std::string(fallback);
}

bool YamlNode::bool_or(bool fallback) const {
  if (!is_scalar()) return fallback;
  const std::string& s = scalar();
  if (s.empty()) return fallback;
  // One case throughout, or a capital first letter.
  auto all = [&](size_t from, auto test) {
    for (size_t i = from; i < s.size(); ++i)
      if (!test(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  bool flexible = all(0, ::islower) || all(0, ::isupper) || (::isupper(s[0]) && all(1, ::islower));
  if (!flexible) return fallback;
  std::string lower;
  for (char c : s) lower += static_cast<char>(::tolower(static_cast<unsigned char>(c)));
  for (const char* t : {"y", "yes", "true", "on"})
    if (lower == t) return true;
  for (const char* f : {"n", "no", "false", "off"})
    if (lower == f) return false;
  return fallback;
}

YamlChildren<true> YamlNode::entries() const {
  if (!is_map()) return {tree_, nullptr, 0};
  const auto& n = tree_->nodes_[id_];
  return {tree_, tree_->children_.data() + n.first_child, n.child_count};
}

YamlChildren<false> YamlNode::items() const {
  if (!is_sequence()) return {tree_, nullptr, 0};
  const auto& n = tree_->nodes_[id_];
  return {tree_, tree_->children_.data() + n.first_child, n.child_count};
}

class YamlTreeBuilder {
 public:
  YamlTreeBuilder(std::string_view text, const std::vector<std::string_view>& lines)
      : text_(text), lines_(lines), tree_(std::make_unique<YamlTree>()) {}

  // The first document from libyaml's events; false when libyaml rejects it
  // or it holds what yaml-cpp reads otherwise.
  bool from_events() {
    if (may_hold_question_mark_token()) return false;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return false;
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text_.data()),
                                 text_.size());
    bool ok = true;
    for (bool done = false; !done;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        ok = false;
        break;
      }
      ok = on_event(event, done);
      yaml_event_delete(&event);
      if (!ok) break;
    }
    yaml_parser_delete(&parser);
    return ok;
  }

  // The first document from yaml-cpp's node tree; false (and `error`) when
  // yaml-cpp rejects it too.
  bool from_yaml_cpp(std::optional<YamlTree::Error>& error) {
    tree_ = std::make_unique<YamlTree>();
    YAML::Node root;
    try {
      std::string text(text_);
      std::istringstream in(text);
      YAML::Parser parser(in);
      AliasFinder finder;
      parser.HandleNextDocument(finder);  // the document YAML::Load reads
      if (finder.alias) {
        error = YamlTree::Error{
            {finder.alias->line, finder.alias->column},
            "YAML aliases (*name) are not supported in app source: write the value out"};
        return false;
      }
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      error = YamlTree::Error{{e.mark.line, e.mark.column}, "invalid YAML: " + e.msg};
      return false;
    }
    add_yaml_cpp_node(root);
    return true;
  }

  std::unique_ptr<YamlTree> take() {
    if (tree_->nodes_.empty())
      tree_->nodes_.push_back(node_of(YamlTree::Kind::Null, {-1, -1}));  // an empty stream
    return std::move(tree_);
  }

 private:
  YamlMark mark_of(const yaml_mark_t& m) const {
    YamlMark out{static_cast<int>(m.line), static_cast<int>(m.column)};
    // libyaml counts columns in characters; the loaders count bytes.
    if (m.line < lines_.size()) {
      std::string_view line = lines_[m.line];
      size_t byte = 0, chars = 0;
      for (; chars < m.column && byte < line.size(); ++chars) {
        ++byte;  // a character's first byte, then its continuation bytes
        while (byte < line.size() && (static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80)
          ++byte;
      }
      out.column = static_cast<int>(byte + (m.column - chars));
    }
    return out;
  }

  // Whether a '?' may start a token (an explicit key, or what yaml-cpp takes
  // for one): after a blank, a line start or a flow indicator, before a blank
  // or a line end. yaml-cpp reads those differently from libyaml; they are
  // rare in app sources ("Sure?" inside a formula is not one).
  bool may_hold_question_mark_token() const {
    for (size_t at = text_.find('?'); at != std::string_view::npos; at = text_.find('?', at + 1)) {
      char before = at == 0 ? '\n' : text_[at - 1];
      char after = at + 1 == text_.size() ? '\n' : text_[at + 1];
      if (std::string_view(" \t\r\n[{,").find(before) != std::string_view::npos &&
          std::string_view(" \t\r\n").find(after) != std::string_view::npos)
        return true;
    }
    return false;
  }

  // Where yaml-cpp's scanner finds the token after `from`: the next character
  // that is not a blank, a line break or in a comment; none at the end.
  std::optional<YamlMark> next_token(YamlMark from) const {
    for (size_t l = from.line; l < lines_.size(); ++l) {
      std::string_view line = lines_[l];
      for (size_t c = l == static_cast<size_t>(from.line) ? from.column : 0; c < line.size(); ++c) {
        if (line[c] == ' ' || line[c] == '\t' || line[c] == '\r') continue;
        if (line[c] == '#') break;  // a comment, to the end of the line
        return YamlMark{static_cast<int>(l), static_cast<int>(c)};
      }
    }
    return std::nullopt;
  }

  uint32_t add_node(YamlTree::Kind kind, YamlMark mark) {
    auto id = static_cast<uint32_t>(tree_->nodes_.size());
    tree_->nodes_.push_back(node_of(kind, mark));
    if (!open_.empty()) pending_.push_back(id);
    return id;
  }

  struct Open {
    uint32_t id;
    size_t first_pending;
    bool flow;
  };

  void open(uint32_t id, bool flow) {
    open_.push_back({id, pending_.size(), flow});
    flow_depth_ += flow;
  }

  void close() {
    auto [id, start, flow] = open_.back();
    open_.pop_back();
    flow_depth_ -= flow;
    auto& n = tree_->nodes_[id];
    n.first_child = static_cast<uint32_t>(tree_->children_.size());
    size_t count = pending_.size() - start;
    n.child_count = static_cast<uint32_t>(n.kind == YamlTree::Kind::Map ? count / 2 : count);
    tree_->children_.insert(tree_->children_.end(), pending_.begin() + start, pending_.end());
    pending_.resize(start);
  }

  // False for what this reader leaves to yaml-cpp: anchors, aliases and tags
  // (which the sources Power Apps writes never hold), and errors.
  bool on_event(const yaml_event_t& e, bool& done) {
    switch (e.type) {
      case YAML_SCALAR_EVENT: {
        const auto& s = e.data.scalar;
        if (s.anchor || s.tag) return false;
        // yaml-cpp ends a plain scalar in a flow collection at a '?'.
        if (flow_depth_ > 0 && s.style == YAML_PLAIN_SCALAR_STYLE &&
            std::memchr(s.value, '?', s.length))
          return false;
        std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
        bool null = s.style == YAML_PLAIN_SCALAR_STYLE &&
                    (value.empty() || value == "~" || value == "null" || value == "Null" ||
                     value == "NULL");
        YamlMark mark = mark_of(e.start_mark);
        // A missing value (libyaml's empty scalar) is null where the next
        // token starts, or at the start of the last line at the end.
        if (null && e.start_mark.index == e.end_mark.index)
          mark = next_token(mark).value_or(YamlMark{static_cast<int>(lines_.size()) - 1, 0});
        uint32_t id = add_node(null ? YamlTree::Kind::Null : YamlTree::Kind::Scalar, mark);
        if (!null) tree_->nodes_[id].scalar.assign(value);
        return true;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        bool map = e.type == YAML_MAPPING_START_EVENT;
        if (map ? e.data.mapping_start.anchor || e.data.mapping_start.tag
                : e.data.sequence_start.anchor || e.data.sequence_start.tag)
          return false;
        bool flow = map ? e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                        : e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        open(add_node(map ? YamlTree::Kind::Map : YamlTree::Kind::Sequence, mark_of(e.start_mark)),
             flow);
        return true;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        close();
        return true;
      case YAML_ALIAS_EVENT:
        return false;
      case YAML_DOCUMENT_END_EVENT:
        // Only the first document, as YAML::Load; but what follows it must
        // start another (yaml-cpp reads the next token): one more event.
        after_document_ = true;
        return true;
      case YAML_DOCUMENT_START_EVENT:
      case YAML_STREAM_END_EVENT:
        done = after_document_ || e.type == YAML_STREAM_END_EVENT;
        return true;
      default:
        return true;
    }
  }

  uint32_t add_yaml_cpp_node(const YAML::Node& node) {
    YamlMark mark{node.Mark().line, node.Mark().column};
    auto id = static_cast<uint32_t>(tree_->nodes_.size());
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        tree_->nodes_.push_back(node_of(YamlTree::Kind::Scalar, mark));
        tree_->nodes_[id].scalar = node.Scalar();
        return id;
      case YAML::NodeType::Sequence:
      case YAML::NodeType::Map: {
        bool map = node.IsMap();
        tree_->nodes_.push_back(
            node_of(map ? YamlTree::Kind::Map : YamlTree::Kind::Sequence, mark));
        std::vector<uint32_t> kids;
        for (const auto& item : node) {
          if (map) {
            kids.push_back(add_yaml_cpp_node(item.first));
            kids.push_back(add_yaml_cpp_node(item.second));
          } else {
            kids.push_back(add_yaml_cpp_node(item));
          }
        }
        auto& n = tree_->nodes_[id];
        n.first_child = static_cast<uint32_t>(tree_->children_.size());
        n.child_count = static_cast<uint32_t>(map ? kids.size() / 2 : kids.size());
        tree_->children_.insert(tree_->children_.end(), kids.begin(), kids.end());
        return id;
      }
      default:
        tree_->nodes_.push_back(node_of(YamlTree::Kind::Null, mark));
        return id;
    }
  }

  std::string_view text_;
  const std::vector<std::string_view>& lines_;
  std::unique_ptr<YamlTree> tree_;
  std::vector<Open> open_;         // the collections being read
  std::vector<uint32_t> pending_;  // children of the open collections
  int flow_depth_ = 0;             // open flow collections
  bool after_document_ = false;
};

YamlNode YamlTree::null_node() {
  static const YamlTree tree = [] {
    YamlTree t;
    t.nodes_.push_back(node_of(Kind::Null, {-1, -1}));
    return t;
  }();
  return tree.root();
}

std::unique_ptr<YamlTree> YamlTree::parse(std::string_view text,
                                          const std::vector<std::string_view>& lines,
                                          std::optional<Error>& error) {
  YamlTreeBuilder builder(text, lines);
  if (!builder.from_events() && !builder.from_yaml_cpp(error)) return nullptr;
  return builder.take();
}

}  // namespace canvasfx::player
