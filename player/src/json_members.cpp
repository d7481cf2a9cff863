// parse_json_kept (loaders.h): the parts of a JSON text a loader reads,
// without building (or lexing as tokens) the parts it does not. Code component
// packages and component .json companions are mostly resources, auth settings,
// display texts and definition snapshots the player never reads (over two
// thirds of a package's text, 95% of a component's); a scan that only matches
// strings and brackets passes over them many times faster than a parse.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "loaders.h"

namespace canvasfx::player {

namespace {

constexpr size_t kMalformed = std::string_view::npos;

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

// From the opening quote at s[i]: the index past the closing one (the first
// quote not escaped: after an even number of backslashes).
size_t skip_string(std::string_view s, size_t i) {
  for (size_t quote = s.find('"', i + 1); quote != std::string_view::npos;
       quote = s.find('"', quote + 1)) {
    size_t backslashes = 0;
    while (quote - backslashes > i + 1 && s[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
  }
  return kMalformed;
}

// From the first character of a value: the index past it. Only strings and
// brackets are matched: what is inside a skipped value is not otherwise checked.
size_t skip_value(std::string_view s, size_t i) {
  if (i >= s.size()) return kMalformed;
  if (s[i] == '"') return skip_string(s, i);
  if (s[i] != '{' && s[i] != '[') {
    size_t start = i;
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
           s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
      ++i;
    return i == start ? kMalformed : i;
  }
  std::string closers;  // the brackets still open, innermost last
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') {
      i = skip_string(s, i);
      if (i == kMalformed) return kMalformed;
      continue;
    }
    if (c == '{') closers.push_back('}');
    if (c == '[') closers.push_back(']');
    if (c == '}' || c == ']') {
      if (closers.back() != c) return kMalformed;
      closers.pop_back();
      if (closers.empty()) return i + 1;
    }
    ++i;
  }
  return kMalformed;
}

// Thrown when the text is not what this reader understands: the caller then
// parses the whole text, for nlohmann's error (or its value).
struct NotUnderstood {};

class KeptReader {
 public:
  explicit KeptReader(std::string_view s) : s_(s) {}

  nlohmann::json document(const std::vector<JsonKeep>& keep) {
    size_t i = skip_space(s_, 0);
    nlohmann::json out = value(i, &keep);
    if (skip_space(s_, i) != s_.size()) throw NotUnderstood{};
    return out;
  }

 private:
  // The value at s_[i] (i moves past it): whole when `keep` is null, else an
  // object's kept members (in arrays, each element's).
  nlohmann::json value(size_t& i, const std::vector<JsonKeep>* keep) {
    if (i >= s_.size()) throw NotUnderstood{};
    if (keep && s_[i] == '{') return object(i, *keep);
    if (keep && s_[i] == '[') return array(i, *keep);
    size_t end = skip_value(s_, i);
    if (end == kMalformed) throw NotUnderstood{};
    std::string_view text = s_.substr(i, end - i);
    i = end;
    // Most kept values are strings: no parser for them.
    if (auto string = ascii_string(text)) return *string;
    return decoded(text);
  }

  // A string of printable ASCII and escapes as JSON reads it; nothing for
  // anything else (nlohmann checks the UTF-8 and says what is wrong). Some
  // kept strings are long JSON texts themselves (a table's metadata).
  static std::optional<std::string> ascii_string(std::string_view text) {
    if (text.size() < 2 || text.front() != '"') return std::nullopt;
    std::string out;
    out.reserve(text.size() - 2);
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      auto c = static_cast<unsigned char>(text[i]);
      if (c < 0x20 || c >= 0x80) return std::nullopt;
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (++i + 1 >= text.size()) return std::nullopt;
      switch (text[i]) {
        case '"':
        case '\\':
        case '/':
          out += text[i];
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        default:
          return std::nullopt;  // \u escapes (and bad ones): nlohmann's
      }
    }
    return out;
  }

  static nlohmann::json decoded(std::string_view text) {
    try {
      return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
      throw NotUnderstood{};  // the whole parse says where
    }
  }

  nlohmann::json object(size_t& i, const std::vector<JsonKeep>& keep) {
    nlohmann::json out = nlohmann::json::object();
    if (opens_empty(i, '}')) return out;
    do {
      if (i >= s_.size() || s_[i] != '"') throw NotUnderstood{};
      size_t key_end = skip_string(s_, i);
      if (key_end == kMalformed) throw NotUnderstood{};
      std::string key(s_.substr(i + 1, key_end - i - 2));
      if (key.find('\\') != std::string::npos)
        key = decoded(s_.substr(i, key_end - i)).get<std::string>();
      auto kept =
          std::find_if(keep.begin(), keep.end(), [&](const JsonKeep& k) { return k.key == key; });
      i = skip_space(s_, key_end);
      if (i >= s_.size() || s_[i] != ':') throw NotUnderstood{};
      i = skip_space(s_, i + 1);
      if (kept != keep.end()) {
        out[key] = value(i, kept->inner.empty() ? nullptr : &kept->inner);
      } else {
        i = skip_value(s_, i);
        if (i == kMalformed) throw NotUnderstood{};
      }
    } while (!closes(i, '}'));
    return out;
  }

  nlohmann::json array(size_t& i, const std::vector<JsonKeep>& keep) {
    nlohmann::json out = nlohmann::json::array();
    if (opens_empty(i, ']')) return out;
    do out.push_back(value(i, &keep));
    while (!closes(i, ']'));
    return out;
  }

  // From an opening bracket: past it, and past `close` too when nothing is inside.
  bool opens_empty(size_t& i, char close) {
    i = skip_space(s_, i + 1);
    if (i >= s_.size() || s_[i] != close) return false;
    ++i;
    return true;
  }

  // After a member or an element: past the closing bracket (true) or past a comma.
  bool closes(size_t& i, char close) {
    i = skip_space(s_, i);
    if (i >= s_.size()) throw NotUnderstood{};
    if (s_[i] == close) {
      ++i;
      return true;
    }
    if (s_[i] != ',') throw NotUnderstood{};
    i = skip_space(s_, i + 1);
    return false;
  }

  std::string_view s_;
};

// The whole parse, pruned the same way (the reader's fallback).
void prune(nlohmann::json& j, const std::vector<JsonKeep>& keep) {
  if (j.is_array()) {
    for (auto& element : j) prune(element, keep);
    return;
  }
  if (!j.is_object()) return;
  nlohmann::json out = nlohmann::json::object();
  for (const JsonKeep& k : keep)
    if (auto it = j.find(k.key); it != j.end()) {
      if (!k.inner.empty()) prune(*it, k.inner);
      out[k.key] = std::move(*it);
    }
  j = std::move(out);
}

}  // namespace

nlohmann::json parse_json_kept(std::string_view text, const std::vector<JsonKeep>& keep) {
  try {
    return KeptReader(text).document(keep);
  } catch (const NotUnderstood&) {
  }
  nlohmann::json whole = nlohmann::json::parse(text);
  prune(whole, keep);
  return whole;
}

}  // namespace canvasfx::player
