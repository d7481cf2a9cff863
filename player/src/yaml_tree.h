// A YAML document as an immutable tree of nodes with their positions: what
// the app loaders read (yaml_source.h).
//
// Built from libyaml's event parser, several times faster than yaml-cpp's
// node trees on an app's sources. The loaders were written against
// yaml-cpp's reading, and nodes read the same: a plain "", "~", "null",
// "Null" or "NULL" is null, a missing value is null where the next token
// starts. A document libyaml rejects, or one holding what the two read
// differently (anchors, aliases, tags, a '?' token), is read with yaml-cpp,
// so its error, or its tree, is exactly what the loaders had before.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace canvasfx::player {

// 0-based; the column counts bytes from the start of the line.
struct YamlMark {
  int line = 0;
  int column = 0;
};

class YamlTree;
template <bool kEntries>
class YamlChildren;

class YamlNode {
 public:
  YamlNode() = default;  // no node: what a missing key gives
  YamlNode(const YamlTree* tree, uint32_t id) : tree_(tree), id_(id) {}

  bool is_defined() const { return tree_ != nullptr; }
  bool is_null() const;
  bool is_scalar() const;
  bool is_sequence() const;
  bool is_map() const;
  const std::string& scalar() const;  // "" unless a scalar
  YamlMark mark() const;
  size_t size() const;  // entries of a map, items of a sequence, else 0

  // A scalar's text; "null" for a null node (as yaml-cpp's as<std::string>);
  // `fallback` for a sequence, a map or no node.
  std::string text_or(std::string_view fallback) const;
  // A scalar y/yes/true/on or n/no/false/off (all lower, all upper or
  // capitalized), else `fallback`.
  bool bool_or(bool fallback) const;

  // A map's entries or a sequence's items in document order (empty for
  // other nodes).
  YamlChildren<true> entries() const;
  YamlChildren<false> items() const;

 private:
  const YamlTree* tree_ = nullptr;
  uint32_t id_ = 0;
};

struct YamlEntry {
  YamlNode first;   // the key
  YamlNode second;  // the value
};

class YamlTree {
 public:
  enum class Kind : uint8_t { Null, Scalar, Sequence, Map };
  struct Node {
    Kind kind = Kind::Null;
    YamlMark mark;
    std::string scalar;
    uint32_t first_child = 0;  // into children_: a map's key, value pairs, a sequence's items
    uint32_t child_count = 0;  // entries of a map, items of a sequence
  };

  // The first document of `text` (no BOM) whose lines start at `lines`
  // (views into `text`), or the parse error.
  struct Error {
    YamlMark mark;
    std::string message;  // the whole diagnostic: "invalid YAML: ..."
  };
  static std::unique_ptr<YamlTree> parse(std::string_view text,
                                         const std::vector<std::string_view>& lines,
                                         std::optional<Error>& error);

  YamlNode root() const { return YamlNode(this, 0); }
  // A null node of no document (what a missing key reads as).
  static YamlNode null_node();

 private:
  friend class YamlNode;
  friend class YamlTreeBuilder;
  std::vector<Node> nodes_;
  std::vector<uint32_t> children_;
};

// A map's entries (key, value pairs) or a sequence's items, in document order.
template <bool kEntries>
class YamlChildren {
 public:
  static constexpr size_t kStep = kEntries ? 2 : 1;  // ids per child in YamlTree::children_
  class iterator {
   public:
    iterator(const YamlTree* tree, const uint32_t* at) : tree_(tree), at_(at) {}
    auto operator*() const {
      if constexpr (kEntries)
        return YamlEntry{YamlNode(tree_, at_[0]), YamlNode(tree_, at_[1])};
      else
        return YamlNode(tree_, at_[0]);
    }
    iterator& operator++() {
      at_ += kStep;
      return *this;
    }
    bool operator!=(const iterator& o) const { return at_ != o.at_; }

   private:
    const YamlTree* tree_;
    const uint32_t* at_;
  };
  YamlChildren(const YamlTree* tree, const uint32_t* begin, size_t count)
      : tree_(tree), begin_(begin), end_(begin + kStep * count) {}
  iterator begin() const { return {tree_, begin_}; }
  iterator end() const { return {tree_, end_}; }

 private:
  const YamlTree* tree_;
  const uint32_t* begin_;
  const uint32_t* end_;
};

}  // namespace canvasfx::player
