// Regular expressions: IsMatch, Match, MatchAll and the Match and MatchOptions
// enums. Reference pages: function-ismatch.md, power-fx-lang/regular-expressions.md.
//
// Design: Power Fx accepts a portable subset of regular expressions and
// rejects the rest while checking, so the pattern and the options must be
// constants. check_regex() runs a Translator over the pattern once: it
// enforces the subset with Power Fx's exact messages and, in the same pass,
// rewrites the pattern into ICU syntax (plain groups do not capture unless
// MatchOptions.NumberedSubMatches, named groups become numbered ICU groups,
// \w \s and friends get Power Fx's Unicode definitions, categories cover the
// Basic Multilingual Plane, IgnoreCase is spelled out as sets of the simple
// lower-case equivalents instead of ICU's full case folding, free spacing is
// applied outside character classes only). The compiled icu::RegexPattern is
// the call's payload; each evaluation only creates a matcher, with a time
// limit so that a catastrophic pattern ends in an error instead of hanging.
#include "regex.h"

#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "canvasfx/unicode.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

// ICU's work units (roughly milliseconds) a match may take before it fails.
constexpr int32_t kTimeLimit = 2000;
// Power Fx's limit on the name of a submatch, in UTF-16 code units.
constexpr size_t kMaxNameLength = 62;
// The context that messages quote is cut to this many UTF-16 code units.
constexpr size_t kContextLength = 12;
// The longest text a look behind may match, in characters.
constexpr int64_t kMaxLookbehind = 250;
// A length bound that stands for "unlimited" (saturating arithmetic below it).
constexpr int64_t kUnbounded = int64_t{1} << 40;

// MatchOptions members are option letters; the options argument is their concatenation.
struct Options {
  bool begins = false, ends = false, ignore_case = false, multiline = false;
  bool dot_all = false, free_spacing = false, numbered = false;
};

Options parse_options(std::string_view text) {
  Options o;
  for (char c : text) {
    switch (c) {
      case '^':
        o.begins = true;
        break;
      case '$':
        o.ends = true;
        break;
      case 'i':
        o.ignore_case = true;
        break;
      case 'm':
        o.multiline = true;
        break;
      case 's':
        o.dot_all = true;
        break;
      case 'x':
        o.free_spacing = true;
        break;
      case 'N':
        o.numbered = true;
        break;
      default:
        break;
    }
  }
  return o;
}

std::string utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::u32string code_points(std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  std::u32string out;
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) out += u.char32At(i);
  return out;
}

// A quoted context: control characters (a newline in the pattern) show as spaces.
std::string printable(std::u32string_view s) {
  std::u32string out(s);
  for (char32_t& c : out)
    if (c < 0x20) c = ' ';
  return utf8(out);
}

size_t utf16_units(char32_t c) { return c >= 0x10000 ? 2 : 1; }

// The end of `s`, at most kContextLength UTF-16 units, "..." when cut.
std::string quote_tail(std::u32string_view s) {
  size_t units = 0, from = s.size();
  while (from > 0 && units + utf16_units(s[from - 1]) <= kContextLength)
    units += utf16_units(s[--from]);
  return from > 0 ? "..." + printable(s.substr(from)) : printable(s);
}

// The start of `s`, at most kContextLength UTF-16 units, "..." when cut.
std::string quote_head(std::u32string_view s) {
  size_t units = 0, to = 0;
  while (to < s.size() && units + utf16_units(s[to]) <= kContextLength)
    units += utf16_units(s[to++]);
  return to < s.size() ? printable(s.substr(0, to)) + "..." : printable(s);
}

int64_t bounded_add(int64_t a, int64_t b) { return std::min(a + b, kUnbounded); }
int64_t bounded_mul(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  return a >= kUnbounded / b ? kUnbounded : a * b;
}

// The characters that end a free-spacing comment: what `.` does not match.
bool is_newline(char32_t c) {
  return c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == 0x85 || c == 0x2028 ||
         c == 0x2029;
}

bool is_hex(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char32_t hex_value(char32_t c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_space(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || u_isUWhiteSpace(c);
}
bool is_name_start(char32_t c) {
  return c == '_' || u_isalpha(c) || u_hasBinaryProperty(c, UCHAR_ALPHABETIC);
}
bool is_name_char(char32_t c) {
  return is_name_start(c) || u_charType(c) == U_DECIMAL_DIGIT_NUMBER;
}

// A set as ICU regular expression text: its ranges, spelled out.
std::string set_text(const icu::UnicodeSet& set) {
  if (set.isEmpty()) return "[^\\x{0}-\\x{10FFFF}]";
  std::string out = "[";
  char buf[40];
  for (int32_t r = 0; r < set.getRangeCount(); ++r) {
    auto from = static_cast<unsigned>(set.getRangeStart(r));
    auto to = static_cast<unsigned>(set.getRangeEnd(r));
    if (from == to)
      std::snprintf(buf, sizeof buf, "\\x{%X}", from);
    else
      std::snprintf(buf, sizeof buf, "\\x{%X}-\\x{%X}", from, to);
    out += buf;
  }
  return out + "]";
}

// IgnoreCase as Power Fx defines it (after .NET): a character matches when
// its simple lower case is the pattern's character, or is in the class or
// the lower cases of the class. ICU's own case-insensitive mode folds fully
// ("ß" matches "ss", "ſ" matches "s"), so the pattern spells the cases out:
// this is the set of characters that `set` matches ignoring case.
icu::UnicodeSet ignoring_case(const icu::UnicodeSet& set) {
  static const icu::UnicodeSet kLowercasable = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeSet s;
    s.applyIntPropertyValue(UCHAR_CHANGES_WHEN_LOWERCASED, 1, status);
    s.freeze();
    return s;
  }();
  icu::UnicodeSet lower(set), cased(set);
  cased.retainAll(kLowercasable);
  for (int32_t r = 0; r < cased.getRangeCount(); ++r)
    for (UChar32 c = cased.getRangeStart(r); c <= cased.getRangeEnd(r); ++c)
      lower.add(u_tolower(c));
  icu::UnicodeSet result(lower);
  result.removeAll(kLowercasable);
  for (int32_t r = 0; r < kLowercasable.getRangeCount(); ++r)
    for (UChar32 c = kLowercasable.getRangeStart(r); c <= kLowercasable.getRangeEnd(r); ++c)
      if (lower.contains(u_tolower(c))) result.add(c);
  return result;
}

// A general category as a set: \p{Ll}. Categories are known for the Basic
// Multilingual Plane only (characters above U+FFFF match no category), as in
// .NET; ignoring case, the cased letter categories stand for any cased
// letter (\p{Lu} matches "a" and title case "ǅ").
icu::UnicodeSet category_set(const std::string& name, bool ignore_case) {
  bool cased = ignore_case && (name == "Lu" || name == "Ll" || name == "Lt");
  std::string pattern = cased ? "[\\p{Lu}\\p{Ll}\\p{Lt}]" : "[\\p{" + name + "}]";
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeSet set(icu::UnicodeString::fromUTF8(pattern), status);
  set.retain(0, 0xFFFF);
  return set;
}

// Power Fx's definitions of the shorthand classes, as ICU set contents.
constexpr const char* kWordSet = "\\p{Ll}\\p{Lu}\\p{Lt}\\p{Lo}\\p{Nd}\\p{Pc}\\p{Lm}";
constexpr const char* kSpaceSet = "\\t\\n\\x{0B}\\f\\r\\x{85}\\u2028\\u2029\\p{Z}";
constexpr const char* kDigitSet = "\\p{Nd}";

constexpr std::string_view kCategories[] = {"L",  "Lu", "Ll", "Lt", "Lm", "Lo", "M",  "Mn", "Mc",
                                            "Me", "N",  "Nd", "Nl", "No", "P",  "Pc", "Pd", "Ps",
                                            "Pe", "Pi", "Pf", "Po", "S",  "Sm", "Sc", "Sk", "So",
                                            "Z",  "Zs", "Zl", "Zp", "Cc", "Cf"};

// Punctuation that may not appear twice in a row in a character class
// (reserved for set operations in other regular expression languages).
constexpr std::u32string_view kNoRepeatInClass = U"!#$%&*+,.:;<=>?@^`|~";

enum class GroupKind : uint8_t { Plain, NonCapture, Capture, Lookahead, Lookbehind };

// What the last atom of the current branch was, for the quantifier that may follow.
struct Atom {
  bool present = false;
  bool nullable = false;  // can match the empty string
  bool group = false;
  bool lookaround = false;
  // A look around, or a group with an alternative made only of look arounds:
  // repeating it repeats nothing but an assertion.
  bool lookaround_only = false;
  bool has_capture = false;
  bool ambiguous = false;  // contains a capture that may be empty or not take part
  GroupKind kind = GroupKind::Plain;
  std::vector<int> captures;  // defined within the atom
  size_t start = 0;
  int64_t max_length = 0;  // the most characters it can match (kUnbounded)
};

// An open group (the whole pattern is the outermost one). Alternatives are
// "branches", numbered from 0.
struct Frame {
  GroupKind kind = GroupKind::Plain;
  size_t start = 0;  // of the "(" in the pattern
  int id = 0;        // unique within the pattern
  int branch = 0;
  int capture = 0;  // ICU group number when the group captures
  bool alternation = false;
  bool branch_nullable = true;
  bool nullable = false;
  bool direct_capture = false;
  // A capture within may be empty or may not take part (an alternative, a
  // zero quantifier): the group cannot be quantified.
  bool risky_capture = false;
  bool branch_lookarounds_only = true;  // the current branch has only look arounds (or nothing)
  bool branch_has_atom = false;
  bool lookaround_branch = false;  // a finished branch had only look arounds
  int64_t branch_max = 0;          // the current branch's maximum length
  int64_t max = 0;                 // the longest finished branch
  std::vector<int> captures;
  Atom last;
};

// Where a capture group is: the (frame id, branch) of each group around it.
using GroupPath = std::vector<std::pair<int, int>>;

struct Translation {
  std::string icu;
  int groups = 0;
  std::vector<std::pair<std::string, int>> names;  // named submatch -> ICU group
  bool numbered = false;
};

class Translator {
 public:
  Translator(std::u32string pattern, const Options& options)
      : p_(std::move(pattern)), opt_(options) {
    out_.numbered = options.numbered;
  }

  // The Power Fx message when the pattern is not supported.
  std::optional<std::string> run() {
    frames_.push_back(Frame{});
    if (auto e = inline_options()) return e;
    options_end_ = i_;
    while (!error_ && i_ < p_.size()) step();
    if (error_) return error_;
    if (frames_.size() > 1) fail_plain("Unclosed groups, too few closing parenthesis.");
    return error_;
  }

  Translation& result() { return out_; }

 private:
  // --- messages ---------------------------------------------------------

  void fail_plain(std::string message) {
    if (!error_) error_ = "Invalid regular expression: " + std::move(message);
  }
  void fail(const std::string& message, std::u32string_view found) {
    fail_plain(message + ", found \"" + utf8(found) + "\".");
  }
  // "found at the end of" quotes the pattern up to `end`, cut at the front.
  void fail_at_end(const std::string& message, size_t end) {
    fail_plain(message + ", found at the end of \"" + quoted_end(end) + "\".");
  }
  // "found" with the pattern up to `end` (errors within a character class).
  void fail_found_end(const std::string& message, size_t end) {
    fail_plain(message + ", found \"" + quoted_end(end) + "\".");
  }
  void fail_at_beginning(const std::string& message, size_t start) {
    fail_plain(message + ", found at the beginning of \"" +
               quote_head(std::u32string_view(p_).substr(start)) + "\".");
  }
  // A surrogate escape without its other half: quotes the escape, from `from` to `end`;
  // Within a character class, the pattern up to `end`.
  void fail_malformed_surrogate(size_t from, size_t end) {
    if (in_class_) from = 0;
    fail_plain(
        "Malformed Unicode surrogate pair (character U+10000 and above), found at the end of \"" +
        quote_tail(std::u32string_view(p_).substr(from, end - from)) + "\".");
  }
  // An escape that is not supported: its two characters, or within a
  // character class the pattern up to them.
  void fail_escape(size_t at) {
    if (in_class_) return fail_found_end("Invalid escape code", at + 2);
    fail("Invalid escape code", p_.substr(at, 2));
  }

  // --- structure --------------------------------------------------------

  Frame& frame() { return frames_.back(); }

  // Closes the pending atom into the branch's nullability.
  void commit() {
    Frame& f = frame();
    if (f.last.present) {
      f.branch_nullable = f.branch_nullable && f.last.nullable;
      f.branch_max = bounded_add(f.branch_max, f.last.max_length);
      f.branch_lookarounds_only = f.branch_lookarounds_only && f.last.lookaround_only;
      f.branch_has_atom = true;
    }
    f.last = Atom{};
  }

  // Ends the current branch of the innermost group (at `|` or `)`).
  void end_branch() {
    commit();
    Frame& f = frame();
    f.nullable = f.nullable || f.branch_nullable;
    f.max = std::max(f.max, f.branch_max);
    f.lookaround_branch = f.lookaround_branch || (f.branch_has_atom && f.branch_lookarounds_only);
    f.branch_nullable = true;
    f.branch_max = 0;
    f.branch_lookarounds_only = true;
    f.branch_has_atom = false;
  }

  // A new atom; `length` is the most characters it matches (0 for assertions).
  void atom(bool nullable, size_t start, int64_t length = 1) {
    commit();
    Atom& a = frame().last;
    a.present = true;
    a.nullable = nullable;
    a.start = start;
    a.max_length = length;
  }

  // (?imnsx) at the very beginning set options; nowhere else.
  std::optional<std::string> inline_options() {
    while (p_.compare(i_, 2, U"(?") == 0) {
      size_t j = i_ + 2;
      std::u32string letters;
      while (j < p_.size() && std::u32string_view(U"imnsx").find(p_[j]) != std::u32string::npos)
        letters += p_[j++];
      if (letters.empty() || j >= p_.size() || p_[j] != ')') break;
      for (size_t k = 0; k < letters.size(); ++k) {
        if (letters.find(letters[k], k + 1) != std::u32string::npos) {
          fail("Repeated inline option", p_.substr(i_, j + 1 - i_));
          return error_;
        }
        switch (letters[k]) {
          case 'i':
            opt_.ignore_case = true;
            break;
          case 'm':
            opt_.multiline = true;
            break;
          case 's':
            opt_.dot_all = true;
            break;
          case 'x':
            opt_.free_spacing = true;
            break;
          case 'n':
            if (opt_.numbered) {
              fail("Inline option is incompatible with MatchOptions.NumberedSubMatches",
                   p_.substr(i_, j + 1 - i_));
              return error_;
            }
            break;
        }
      }
      i_ = j + 1;
    }
    return std::nullopt;
  }

  void emit(std::string_view s) { out_.icu += s; }
  void emit_literal(char32_t c) {
    if (opt_.ignore_case && u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CASED))
      return emit_code_point(c);
    // Everything ICU might read as syntax is quoted; the rest goes through as is.
    if (c < 0x80 && !std::isalnum(static_cast<int>(c)) && c != ' ' && c != '_') {
      out_.icu += '\\';
      out_.icu += static_cast<char>(c);
    } else if (c == ' ') {
      out_.icu += "\\x{20}";
    } else {
      out_.icu += utf8(std::u32string(1, c));
    }
  }
  void emit_code_point(char32_t c) {
    if (opt_.ignore_case && u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CASED))
      return emit(set_text(ignoring_case(icu::UnicodeSet(c, c))));
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(c));
    out_.icu += buf;
  }

  void step() {
    char32_t c = p_[i_];
    if (opt_.free_spacing && is_space(c)) {
      ++i_;
      return;
    }
    if (opt_.free_spacing && c == '#') {
      while (i_ < p_.size() && !is_newline(p_[i_])) ++i_;
      return;
    }
    switch (c) {
      case '\\':
        return escape();
      case '(':
        return open_group();
      case ')':
        return close_group();
      case '[':
        return char_class();
      case '*':
      case '+':
      case '?':
        return quantifier(i_ + 1, c == '+' ? 1 : 0, c == '?' ? 1 : -1);
      case '{':
        return curly();
      case '}':
        return fail("Literal curly braces must be escaped with a backslash", U"}");
      case ']':
        return fail_at_end(
            "Literal square braces must be escaped with a backslash even in "
            "character classes, for example \\[ or \\]",
            i_ + 1);
      case '|': {
        end_branch();
        Frame& f = frame();
        f.alternation = true;
        ++f.branch;
        emit("|");
        ++i_;
        return;
      }
      case '^':
      case '$':
        atom(true, i_, 0);
        emit(std::string(1, static_cast<char>(c)));
        ++i_;
        return;
      case '.':
        atom(false, i_);
        // ICU's dot-all `.` takes "\r\n" as one character; Power Fx's takes one.
        emit(opt_.dot_all ? "[\\x{0}-\\x{10FFFF}]" : ".");
        ++i_;
        return;
      default:
        atom(false, i_, static_cast<int64_t>(utf16_units(c)));
        emit_literal(c);
        ++i_;
    }
  }

  // --- escapes ----------------------------------------------------------

  // \xHH, \uHHHH, \u{H...}: the code point, or nullopt (error reported).
  std::optional<char32_t> hex_escape(size_t& j) {
    char32_t kind = p_[j + 1];
    size_t k = j + 2;
    char32_t value = 0;
    auto read = [&](size_t count) {
      for (size_t n = 0; n < count; ++n) {
        if (k >= p_.size() || !is_hex(p_[k])) return false;
        value = value * 16 + hex_value(p_[k]);
        ++k;
      }
      return true;
    };
    if (kind == 'x') {
      if (!read(2)) return fail_escape(j), std::nullopt;
    } else if (k < p_.size() && p_[k] == '{') {
      // \u{H...}: one to eight hex digits, a code point that is not a surrogate.
      ++k;
      size_t digits = 0;
      uint64_t code = 0;
      while (k < p_.size() && is_hex(p_[k]) && digits <= 8) {
        code = code * 16 + hex_value(p_[k]);
        ++k;
        ++digits;
      }
      if (digits == 0 || digits > 8 || k >= p_.size() || p_[k] != '}' || code > 0x10FFFF)
        return fail_escape(j), std::nullopt;
      ++k;
      if (code >= 0xD800 && code <= 0xDFFF) {
        fail_malformed_surrogate(j, k);
        return std::nullopt;
      }
      j = k;
      return static_cast<char32_t>(code);
    } else if (!read(4)) {
      return fail_escape(j), std::nullopt;
    }
    // A high surrogate must be followed by a low one: together they are one character.
    if (value >= 0xD800 && value <= 0xDBFF) {
      if (k + 1 < p_.size() && p_[k] == '\\' && p_[k + 1] == 'u') {
        size_t save = k;
        char32_t high = value;
        value = 0;
        k += 2;
        if (read(4) && value >= 0xDC00 && value <= 0xDFFF) {
          value = 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00);
          j = k;
          return value;
        }
        k = save;
      }
      fail_malformed_surrogate(j, k);
      return std::nullopt;
    }
    if (value >= 0xDC00 && value <= 0xDFFF) {
      fail_malformed_surrogate(j, k);
      return std::nullopt;
    }
    j = k;
    return value;
  }

  // \p{Cat} / \P{Cat}: the ICU text, or nullopt (error reported).
  std::optional<std::string> category(size_t& j) {
    size_t k = j + 2;
    if (k >= p_.size() || p_[k] != '{') return fail_escape(j), std::nullopt;
    size_t close = p_.find('}', k);
    std::u32string name = close == std::u32string::npos ? U"" : p_.substr(k + 1, close - k - 1);
    bool word = !name.empty() && std::all_of(name.begin(), name.end(), [](char32_t c) {
      return c < 0x80 &&
             (std::isalnum(static_cast<int>(c)) || c == '_' || c == '=' || c == ':' || c == '-');
    });
    if (!word) return fail_escape(j), std::nullopt;
    std::string n = utf8(name);
    if (std::find(std::begin(kCategories), std::end(kCategories), n) == std::end(kCategories))
      return fail("Invalid Unicode category name", p_.substr(j, close + 1 - j)), std::nullopt;
    icu::UnicodeSet set = category_set(n, opt_.ignore_case);
    if (p_[j + 1] == 'P') set.complement();
    j = close + 1;
    return set_text(set);
  }

  void escape() {
    size_t start = i_;
    if (i_ + 1 >= p_.size()) return fail_plain("Ends with an unescaped backslash.");
    char32_t c = p_[i_ + 1];
    switch (c) {
      case 'd':
        atom(false, start);
        emit(kDigitSet);
        i_ += 2;
        return;
      case 'D':
        atom(false, start);
        emit(std::string("[^") + kDigitSet + "]");
        i_ += 2;
        return;
      case 'w':
        atom(false, start);
        emit(std::string("[") + kWordSet + "]");
        i_ += 2;
        return;
      case 'W':
        atom(false, start);
        emit(std::string("[^") + kWordSet + "]");
        i_ += 2;
        return;
      case 's':
        atom(false, start);
        emit(std::string("[") + kSpaceSet + "]");
        i_ += 2;
        return;
      case 'S':
        atom(false, start);
        emit(std::string("[^") + kSpaceSet + "]");
        i_ += 2;
        return;
      case 'b':
      case 'B':
        atom(true, start, 0);
        emit(c == 'b' ? "\\b" : "\\B");
        i_ += 2;
        return;
      case 'f':
        atom(false, start);
        emit("\\f");
        i_ += 2;
        return;
      case 'n':
        atom(false, start);
        emit("\\n");
        i_ += 2;
        return;
      case 'r':
        atom(false, start);
        emit("\\r");
        i_ += 2;
        return;
      case 't':
        atom(false, start);
        emit("\\t");
        i_ += 2;
        return;
      case 'x':
      case 'u': {
        size_t j = i_;
        auto cp = hex_escape(j);
        if (!cp) return;
        atom(false, start, static_cast<int64_t>(utf16_units(*cp)));
        emit_code_point(*cp);
        i_ = j;
        return;
      }
      case 'p':
      case 'P': {
        size_t j = i_;
        auto text = category(j);
        if (!text) return;
        atom(false, start);
        emit(*text);
        i_ = j;
        return;
      }
      case 'k':
        return named_backreference();
      case '0': {
        size_t j = i_ + 1;
        while (j < p_.size() && is_digit(p_[j])) ++j;
        return fail(
            "Octal \\0 character codes are not supported, use hexadecimal \\x or Unicode "
            "\\u instead",
            p_.substr(i_, j - i_));
      }
      default:
        break;
    }
    if (is_digit(c)) return numbered_backreference();
    if (std::u32string_view(U"^$\\.*+?()[]{}|/# ").find(c) != std::u32string::npos) {
      atom(false, start);
      emit_literal(c);
      i_ += 2;
      return;
    }
    if (c < 0x80 && (std::isalnum(static_cast<int>(c)) || c == '_'))
      return fail("Invalid escape code", p_.substr(i_, 2));
    if (c >= 0x80 && (u_isalnum(c))) return fail("Invalid escape code", p_.substr(i_, 2));
    fail("Escape character not permitted outside a character class", p_.substr(i_, 2));
  }

  void backreference(int group, std::u32string_view token, size_t start) {
    for (const Frame& f : frames_)
      if (f.kind == GroupKind::Capture && f.capture == group)
        return fail("Self-referencing sub matches are not supported", token);
    if (group <= 0 || group > out_.groups)
      return fail_plain("Sub match \"" + quoted_end(start + token.size()) +
                        "\" not defined or is an unsupported forward reference.");
    if (!always_taken(group))
      return fail_plain("Back reference \"" + utf8(token) +
                        "\" to sub match that may not happen due to alternation or zero "
                        "quantifier.");
    atom(false, start, capture_length_[group]);
    // Ignoring case, the text matched again may differ in case.
    emit((opt_.ignore_case ? "(?i:\\" : "(?:\\") + std::to_string(group) + ")");
    i_ = start + token.size();
  }

  // Whether capture `group` (closed) has surely matched wherever the pattern
  // is now: not under a zero quantifier, not in another branch of a group
  // still open, not in a closed group with alternatives.
  bool always_taken(int group) const {
    if (zero_quantified_.count(group)) return false;
    const GroupPath& path = capture_path_.at(group);
    size_t k = 0;
    for (; k < path.size() && k < frames_.size() && path[k].first == frames_[k].id; ++k)
      if (path[k].second != frames_[k].branch) return false;
    for (; k < path.size(); ++k)
      if (alternated_.count(path[k].first)) return false;
    return true;
  }

  std::string quoted_end(size_t end) {
    return quote_tail(std::u32string_view(p_.data(), std::min(end, p_.size())));
  }

  void named_backreference() {
    size_t start = i_;
    if (i_ + 2 >= p_.size() || p_[i_ + 2] != '<')
      return (void)(error_ = "Invalid regular expression.");
    size_t close = p_.find('>', i_ + 3);
    if (close == std::u32string::npos) return (void)(error_ = "Invalid regular expression.");
    std::u32string token = p_.substr(i_, close + 1 - i_);
    std::string name = utf8(p_.substr(i_ + 3, close - i_ - 3));
    if (opt_.numbered)
      return fail("Named captures cannot be used with MatchOptions.NumberedSubMatches enabled",
                  token);
    int group = 0;
    for (const auto& [n, g] : out_.names)
      if (n == name) group = g;
    if (!group) {
      for (const auto& [n, g] : open_names_)
        if (n == name) return fail("Self-referencing sub matches are not supported", token);
      // Other submatches exist: the reference names only the back reference.
      if (!out_.names.empty() || !open_names_.empty())
        return fail_plain("Sub match \"" + utf8(token) +
                          "\" not defined or is an unsupported forward reference.");
    }
    backreference(group ? group : -1, token, start);
  }

  void numbered_backreference() {
    size_t start = i_;
    size_t j = i_ + 1;
    while (j < p_.size() && is_digit(p_[j])) ++j;
    std::u32string token = p_.substr(i_, j - i_);
    if (!opt_.numbered) {
      if (groups_opened_ == 0)
        return fail_plain("Sub match \"" + quoted_end(j) +
                          "\" not defined or is an unsupported forward reference.");
      return fail(
          "Use named captures with \"(?<name>...)\" and \"\\k<name>\" or enable "
          "MatchOptions.NumberedSubMatches",
          token);
    }
    int group = token.size() > 10 ? -1 : std::stoi(utf8(token.substr(1)));
    backreference(group, token, start);
  }

  // --- groups -----------------------------------------------------------

  void push(GroupKind kind, size_t start, std::string_view open) {
    commit();
    Frame f;
    f.kind = kind;
    f.start = start;
    f.id = ++groups_opened_;
    if (kind == GroupKind::Capture) {
      f.capture = ++out_.groups;
      GroupPath& path = capture_path_[f.capture];
      for (const Frame& open_frame : frames_) path.emplace_back(open_frame.id, open_frame.branch);
    }
    frames_.push_back(std::move(f));
    emit(open);
  }

  void open_group() {
    size_t start = i_;
    std::u32string_view rest(p_.data() + i_, p_.size() - i_);
    auto starts = [&](std::u32string_view s) { return rest.substr(0, s.size()) == s; };
    if (starts(U"(?#")) {
      size_t close = p_.find(')', i_);
      if (close == std::u32string::npos) return fail_plain("Unclosed inline comment.");
      i_ = close + 1;
      return;
    }
    if (starts(U"(?<=") || starts(U"(?<!")) {
      for (const Frame& f : frames_)
        if (f.kind == GroupKind::Lookbehind || f.kind == GroupKind::Lookahead)
          return fail_at_beginning("Look behinds cannot be nested", i_);
      push(GroupKind::Lookbehind, start, starts(U"(?<=") ? "(?<=" : "(?<!");
      i_ += 4;
      return;
    }
    if (starts(U"(?=") || starts(U"(?!")) {
      for (const Frame& f : frames_)
        if (f.kind == GroupKind::Lookbehind || f.kind == GroupKind::Lookahead)
          return fail_at_beginning("Look behinds cannot be nested", i_);
      push(GroupKind::Lookahead, start, starts(U"(?=") ? "(?=" : "(?!");
      i_ += 3;
      return;
    }
    if (starts(U"(?:")) {
      push(GroupKind::NonCapture, start, "(?:");
      i_ += 3;
      return;
    }
    if (starts(U"(?<") || starts(U"(?'")) return named_group();
    if (starts(U"(?(")) {
      return fail("Conditional alternation is not supported", p_.substr(i_, 3));
    }
    if (starts(U"(?")) {
      // Inline options anywhere but the front, or with - or :, are not supported.
      size_t j = i_ + 2;
      while (j < p_.size() &&
             (std::isalpha(static_cast<int>(p_[j] < 0x80 ? p_[j] : 0)) || p_[j] == '-'))
        ++j;
      if (j < p_.size() && (p_[j] == ')' || p_[j] == ':') && j > i_ + 2) {
        std::u32string token = p_.substr(i_, j + 1 - i_);
        bool good = p_[j] == ')' && std::all_of(token.begin() + 2, token.end() - 1, [](char32_t c) {
                      return std::u32string_view(U"imnsx").find(c) != std::u32string::npos;
                    });
        // Options that would be valid up front ((?i)), or not ((?i-m)), are
        // still misplaced; a subexpression ((?i:a)) is not supported at all.
        if (good || (p_[j] == ')' && start > options_end_))
          return fail_plain(
              "Inline options must appear at the beginning of the regular "
              "expression, found \"" +
              utf8(token) + "\" later.");
        return fail(
            "Inline options are limited to a combination of the letters [imnsx], cannot "
            "disable options, and cannot be used on a subexpression",
            token);
      }
      return (void)(error_ = "Invalid regular expression.");
    }
    if (starts(U"(*") || starts(U"(+")) return fail("Unsupported special group", p_.substr(i_, 2));
    push(opt_.numbered ? GroupKind::Capture : GroupKind::Plain, start, opt_.numbered ? "(" : "(?:");
    ++i_;
  }

  void named_group() {
    size_t start = i_;
    char32_t quote = p_[i_ + 2];
    char32_t close_char = quote == '<' ? '>' : '\'';
    size_t close = p_.find(close_char, i_ + 3);
    if (close == std::u32string::npos) return (void)(error_ = "Invalid regular expression.");
    std::u32string token = p_.substr(i_, close + 1 - i_);
    std::u32string name = p_.substr(i_ + 3, close - i_ - 3);
    if (quote == '\'')
      return fail(
          "Using single quoted named captures is not supported, use (?<...>) syntax "
          "instead",
          token);
    if (name.find('-') != std::u32string::npos)
      return fail("Balancing sub matches are not supported", token);
    bool good = !name.empty() && is_name_start(name[0]) &&
                std::all_of(name.begin(), name.end(), is_name_char);
    if (!good)
      return fail(
          "Sub match name must be a combination of word characters and not begin with a "
          "number",
          token);
    if (utf16_length(utf8(name)) > kMaxNameLength)
      return fail("Name of submatch is too long", token);
    if (opt_.numbered)
      return fail("Named captures cannot be used with MatchOptions.NumberedSubMatches enabled",
                  token);
    std::string n = utf8(name);
    for (const auto& [existing, g] : out_.names)
      if (existing == n) return fail_at_beginning("Named sub match defined more than once", start);
    for (const auto& [existing, g] : open_names_)
      if (existing == n) return fail_at_beginning("Named sub match defined more than once", start);
    push(GroupKind::Capture, start, "(");
    open_names_.emplace_back(n, frame().capture);
    i_ = close + 1;
  }

  void close_group() {
    if (frames_.size() <= 1) return fail_plain("Unopened groups, too few opening parenthesis.");
    end_branch();
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    emit(")");
    ++i_;
    bool lookaround = f.kind == GroupKind::Lookahead || f.kind == GroupKind::Lookbehind;
    if (f.kind == GroupKind::Lookbehind && f.max > kMaxLookbehind)
      return fail_at_end("Lookbehind exceeded maximum possible character limit of 250", i_);
    if (f.alternation) alternated_.insert(f.id);
    if (f.kind == GroupKind::Capture) {
      for (auto it = open_names_.begin(); it != open_names_.end(); ++it)
        if (it->second == f.capture) {
          out_.names.push_back(*it);
          open_names_.erase(it);
          break;
        }
      capture_length_[f.capture] = f.max;
    }
    // Captures within alternatives may not take part; an empty capture is ambiguous.
    bool risky = f.risky_capture || (f.alternation && !f.captures.empty()) ||
                 (f.kind == GroupKind::Capture && f.nullable);
    Frame& parent = frame();
    commit();
    Atom& a = parent.last;
    a.present = true;
    a.group = true;
    a.lookaround = lookaround;
    a.lookaround_only = lookaround || f.lookaround_branch;
    a.kind = f.kind;
    a.start = f.start;
    a.nullable = lookaround || f.nullable;
    a.max_length = lookaround ? 0 : f.max;
    a.captures = f.captures;
    if (f.kind == GroupKind::Capture) a.captures.push_back(f.capture);
    a.has_capture = !a.captures.empty();
    a.ambiguous = f.risky_capture || (f.alternation && f.direct_capture);
    if (f.kind == GroupKind::Capture) parent.direct_capture = true;
    parent.risky_capture = parent.risky_capture || risky;
    parent.captures.insert(parent.captures.end(), a.captures.begin(), a.captures.end());
  }

  // --- quantifiers ------------------------------------------------------

  // A quantifier ends at `end` (before any lazy `?`); min/max (-1: unlimited).
  void quantifier(size_t end, int64_t min, int64_t max) {
    size_t start = i_;
    if (end < p_.size() && (p_[end] == '+' || p_[end] == '*'))
      return fail("Possessive quantifiers are not supported", p_.substr(start, end + 1 - start));
    Frame& f = frame();
    Atom& a = f.last;
    if (!a.present) return fail_found_end("Quantifier without something to quantify", end);
    if (a.lookaround_only)
      return fail_at_end("Quantifiers are not supported on look behinds or look aheads", end);
    if (a.group && a.kind != GroupKind::Lookahead &&
        ((a.nullable && (a.kind != GroupKind::NonCapture || a.has_capture)) || a.ambiguous))
      return fail_at_end(
          "Quantifier on a group containing another quantifier or empty "
          "alternation that could result in an ambiguous result",
          end + (end < p_.size() && p_[end] == '?' ? 1 : 0));
    for (const Frame& fr : frames_)
      if (fr.kind == GroupKind::Lookbehind && max < 0)
        return fail_at_end("Unlimited quantifiers are not supported in look behinds", end);
    if (min == 0) {
      a.nullable = true;
      zero_quantified_.insert(a.captures.begin(), a.captures.end());
      if (!a.captures.empty()) f.risky_capture = true;
    }
    a.max_length = max < 0 ? kUnbounded : bounded_mul(a.max_length, max);
    out_.icu += utf8(p_.substr(start, end - start));
    i_ = end;
    if (i_ < p_.size() && p_[i_] == '?') {
      emit("?");
      ++i_;
    }
  }

  void curly() {
    size_t start = i_;
    size_t j = i_ + 1;
    auto number = [&](std::string& digits) {
      while (j < p_.size() && is_digit(p_[j])) digits += static_cast<char>(p_[j++]);
      return !digits.empty();
    };
    std::string low, high;
    bool comma = false;
    if (!number(low)) return fail("Literal curly braces must be escaped with a backslash", U"{");
    if (j < p_.size() && p_[j] == ',') {
      comma = true;
      ++j;
      number(high);
    }
    if (j >= p_.size() || p_[j] != '}')
      return fail("Literal curly braces must be escaped with a backslash", U"{");
    ++j;
    std::u32string token = p_.substr(start, j - start);
    if (low.size() > 9 || high.size() > 9) return fail("Number is too large", token);
    int64_t min = std::stoll(low);
    int64_t max = comma ? (high.empty() ? -1 : std::stoll(high)) : min;
    if (!comma && j < p_.size() && (p_[j] == '?' || p_[j] == '+'))
      return fail("Exact quantifiers cannot be used with quantifier modifiers such as ? for lazy",
                  p_.substr(start, j + 1 - start));
    if (max >= 0 && min > max) {
      size_t from = frame().last.present ? frame().last.start : start;
      return fail("Quantifier range low number is greater than high number",
                  p_.substr(from, j - from));
    }
    quantifier(j, min, max);
  }

  // --- character classes ------------------------------------------------

  void char_class() {
    in_class_ = true;
    class_items();
    in_class_ = false;
  }

  void class_items() {
    size_t start = i_;
    size_t j = i_ + 1;
    bool negated = j < p_.size() && p_[j] == '^';
    if (negated) ++j;
    std::string set = "[";  // the items; negated at the end
    if (j < p_.size() && p_[j] == ']')
      return fail("Square bracket character classes cannot be empty",
                  p_.substr(start, j + 1 - start));
    // A square bracket within is reported before anything else in the class
    // (nested, subtracted and POSIX classes: [a-z-[b]], [[:lower:]]).
    for (size_t k = j; k < p_.size() && p_[k] != ']'; ++k) {
      if (p_[k] == '\\') {
        ++k;
        continue;
      }
      if (p_[k] == '[')
        return fail_plain(
            "Literal square braces must be escaped with a backslash even in character classes, "
            "for example \\[ or \\], found at the end of \"[\".");
    }
    // Each item: a character (for ranges) or a class escape.
    std::optional<char32_t> previous;  // last single character, for ranges
    bool previous_was_class = false;
    bool after_range = false;
    const std::string kHyphen =
        "Literal hyphen in character class must be escaped with backslash, escape with \"\\-\"";
    const std::string kNeedsEscape =
        "Literal character needs to be escaped with a backslash when used in a character class";
    const std::string kSurrogateInClass =
        "Unicode characters in surrogate pairs (character U+10000 and above) are not supported "
        "in character classes";
    for (;;) {
      if (j >= p_.size()) {
        // Read as the reference's pattern does, an escaped "]" closes the class
        // after all, leaving a lone backslash ("[\]").
        for (size_t k = p_.size() - 1; k > start; --k)
          if (p_[k] == ']' && p_[k - 1] == '\\') return fail_at_end(kNeedsEscape, k);
        return fail_plain("Unclosed character class square bracket.");
      }
      char32_t c = p_[j];
      if (c == ']') break;
      std::optional<char32_t> single;
      std::string text;
      if (c == '\\') {
        if (j + 1 >= p_.size()) return fail_at_end(kNeedsEscape, j + 1);
        char32_t e = p_[j + 1];
        switch (e) {
          case 'd':
            text = kDigitSet;
            j += 2;
            break;
          case 'w':
            text = kWordSet;
            j += 2;
            break;
          case 's':
            text = kSpaceSet;
            j += 2;
            break;
          case 'D':
          case 'W':
          case 'S':
            if (negated)
              return fail_at_end(
                  "Negative escape character not permitted within negated "
                  "character class",
                  j + 2);
            text = std::string("[^") +
                   (e == 'D'   ? kDigitSet
                    : e == 'W' ? kWordSet
                               : kSpaceSet) +
                   "]";
            j += 2;
            break;
          case 'p':
          case 'P': {
            if (e == 'P' && negated)
              return fail_at_end(
                  "Negative escape character not permitted within negated "
                  "character class",
                  p_.find('}', j) == std::u32string::npos ? j + 2 : p_.find('}', j) + 1);
            size_t k = j;
            auto cat = category(k);
            if (!cat) return;
            text = *cat;
            j = k;
            break;
          }
          case 'f':
            single = '\f';
            j += 2;
            break;
          case 'n':
            single = '\n';
            j += 2;
            break;
          case 'r':
            single = '\r';
            j += 2;
            break;
          case 't':
            single = '\t';
            j += 2;
            break;
          case 'x':
          case 'u': {
            size_t k = j;
            auto cp = hex_escape(k);
            if (!cp) return;
            if (*cp >= 0x10000) return fail_found_end(kSurrogateInClass, k);
            single = *cp;
            j = k;
            break;
          }
          case 'b':
          case 'B':
            return fail_at_end("Escape character not permitted within character class", j + 2);
          default:
            if (is_digit(e) || e == 'k')
              return fail_at_end("Escape character not permitted within character class", j + 2);
            if (std::u32string_view(U"^$\\.*+?()[]{}|/#- ").find(e) != std::u32string::npos) {
              single = e;
              j += 2;
              break;
            }
            if (e < 0x80 && (std::isalnum(static_cast<int>(e)) || e == '_')) return fail_escape(j);
            return fail_at_end("Escape character not permitted within character class", j + 2);
        }
      } else {
        if (c == '[')
          return fail_at_end(
              "Literal square braces must be escaped with a backslash even in "
              "character classes, for example \\[ or \\]",
              j + 1);
        if (c == '(' || c == ')' || c == '{' || c == '}' || c == '|' || (c == '^' && j > start + 1))
          return fail_at_end(kNeedsEscape, j + 1);
        if (c == '-') {
          // A range: previous item, '-', next item.
          bool first = j == start + 1 + (negated ? 1 : 0);
          bool last = j + 1 < p_.size() && p_[j + 1] == ']';
          if (first || last || after_range) return fail_at_end(kHyphen, j + 1);
          if (previous_was_class)
            return fail_at_end(
                "Character class in a character class range, or escape a literal "
                "hyphen with a backslash",
                j + 1);
          // Parse the end of the range.
          size_t k = j + 1;
          std::optional<char32_t> high;
          if (p_[k] == '\\') {
            char32_t e = k + 1 < p_.size() ? p_[k + 1] : 0;
            if (std::u32string_view(U"dwsDWSpP").find(e) != std::u32string::npos)
              return fail_at_end(
                  "Character class in a character class range, or escape a "
                  "literal hyphen with a backslash",
                  k + 2);
            if (e == 'x' || e == 'u') {
              size_t m = k;
              auto cp = hex_escape(m);
              if (!cp) return;
              if (*cp >= 0x10000) return fail_found_end(kSurrogateInClass, m);
              high = *cp;
              k = m;
            } else {
              high = e;
              k += 2;
            }
          } else {
            high = p_[k];
            k += 1;
            if (*high >= 0x10000) return fail_found_end(kSurrogateInClass, k);
          }
          if (previous && *high < *previous)
            return fail_at_end("The characters in a character class range are reversed", k);
          set += "-";
          set += range_char(*high);
          after_range = true;
          previous.reset();
          previous_was_class = false;
          j = k;
          continue;
        }
        if (c >= 0x10000) return fail_found_end(kSurrogateInClass, j + 1);
        if (kNoRepeatInClass.find(c) != std::u32string::npos && j + 1 < p_.size() && p_[j + 1] == c)
          return fail_at_end("Character repeated in character class", j + 2);
        single = c;
        j += 1;
      }
      after_range = false;
      if (single) {
        set += range_char(*single);
        previous = single;
        previous_was_class = false;
      } else {
        set += text;
        previous.reset();
        previous_was_class = true;
      }
    }
    set += "]";
    atom(false, start);
    if (opt_.ignore_case) {
      UErrorCode status = U_ZERO_ERROR;
      icu::UnicodeSet items(icu::UnicodeString::fromUTF8(set), status);
      if (U_FAILURE(status)) return (void)(error_ = "Invalid regular expression.");
      icu::UnicodeSet matched = ignoring_case(items);
      if (negated) matched.complement();
      emit(set_text(matched));
    } else {
      emit(negated ? "[^" + set.substr(1) : set);
    }
    i_ = j + 1;
  }

  static std::string range_char(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(c));
    return buf;
  }

  std::u32string p_;
  Options opt_;
  size_t i_ = 0;
  std::vector<Frame> frames_;
  bool in_class_ = false;
  size_t options_end_ = 0;                 // where the leading inline options end
  int groups_opened_ = 0;                  // also the last Frame id
  std::set<int> zero_quantified_;          // captures under a zero quantifier
  std::set<int> alternated_;               // ids of closed groups with alternatives
  std::map<int, GroupPath> capture_path_;  // capture group -> the groups around it
  std::map<int, int64_t> capture_length_;  // capture group -> its maximum length
  std::vector<std::pair<std::string, int>> open_names_;
  std::optional<std::string> error_;
  Translation out_;

 public:
  const Options& options() const { return opt_; }
};

// What check_regex computes for the implementation.
struct Compiled {
  std::unique_ptr<icu::RegexPattern> pattern;
  Translation translation;
};

// The text of a constant argument: a Text, or a member of a text enum.
std::optional<std::string> constant_text(CheckContext& ctx, size_t i) {
  const Value* v = ctx.arg_folded(i);
  if (!v) return std::nullopt;
  if (v->is(ValueKind::Enum) && v->enum_underlying().is_text())
    return v->enum_underlying().as_text();
  if (v->is_text()) return v->as_text();
  return std::nullopt;
}

Type result_record(const Translation& t) {
  std::vector<std::pair<std::string, Type>> fields = {{"FullMatch", Type::text()},
                                                      {"StartMatch", Type::number()}};
  if (t.numbered) fields.emplace_back("SubMatches", Type::table({{"Value", Type::text()}}));
  for (const auto& [name, group] : t.names) fields.emplace_back(name, Type::text());
  return Type::record(std::move(fields));
}

enum class Kind { IsMatch, Match, MatchAll };

Type result_type(Kind kind, const Type& record) {
  switch (kind) {
    case Kind::IsMatch:
      return Type::boolean();
    case Kind::Match:
      return record;
    case Kind::MatchAll:
      return record.as_table();
  }
  return record;
}

Type check_regex(CheckContext& ctx, Kind kind) {
  auto pattern = constant_text(ctx, 1);
  if (!pattern) {
    ctx.error(argument_error_span(ctx, 1), "Regular expression must be a constant value.");
    return result_type(kind, Type::empty_record());
  }
  std::string options_text;
  if (ctx.arg_count() > 2) {
    auto options = constant_text(ctx, 2);
    if (!options) {
      ctx.error(argument_error_span(ctx, 2), "MatchOptions must be a constant value.");
      return result_type(kind, Type::empty_record());
    }
    options_text = *options;
  }
  Translator translator(code_points(*pattern), parse_options(options_text));
  if (auto message = translator.run()) {
    ctx.error(argument_error_span(ctx, 1), *message);
    return result_type(kind, Type::empty_record());
  }
  auto compiled = std::make_shared<Compiled>();
  compiled->translation = std::move(translator.result());
  const Options& o = translator.options();
  std::string icu = compiled->translation.icu;
  if (o.begins) icu = "^(?:" + icu + ")";
  if (o.ends) icu = "(?:" + icu + ")$";
  uint32_t flags = 0;
  if (o.multiline) flags |= UREGEX_MULTILINE;
  if (o.dot_all) flags |= UREGEX_DOTALL;
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  compiled->pattern.reset(
      icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(icu), flags, parse_error, status));
  if (U_FAILURE(status)) {
    ctx.error(ctx.arg_span(1), "Invalid regular expression.");
    return result_type(kind, Type::empty_record());
  }
  Type record = result_record(compiled->translation);
  ctx.set_payload(std::move(compiled));
  return result_type(kind, record);
}

Type check_is_match(CheckContext& ctx) { return check_regex(ctx, Kind::IsMatch); }
Type check_match(CheckContext& ctx) { return check_regex(ctx, Kind::Match); }
Type check_match_all(CheckContext& ctx) { return check_regex(ctx, Kind::MatchAll); }

// --- run time ---------------------------------------------------------------

Value group_text(icu::RegexMatcher& m, int group) {
  UErrorCode status = U_ZERO_ERROR;
  if (m.start(group, status) < 0) return Value::blank();
  std::string s;
  m.group(group, status).toUTF8String(s);
  return Value::text(std::move(s));
}

Value match_record(icu::RegexMatcher& m, const Translation& t) {
  UErrorCode status = U_ZERO_ERROR;
  Fields fields;
  fields.emplace_back("FullMatch", group_text(m, 0));
  fields.emplace_back("StartMatch", Value::number(m.start(status) + 1));
  if (t.numbered) {
    std::vector<Value> rows;
    for (int g = 1; g <= t.groups; ++g)
      rows.push_back(Value::record_sorted({{"Value", group_text(m, g)}}));
    fields.emplace_back("SubMatches",
                        Value::table(std::move(rows), Type::record({{"Value", Type::text()}})));
  }
  for (const auto& [name, group] : t.names) fields.emplace_back(name, group_text(m, group));
  return Value::record(std::move(fields));
}

// Runs the pattern over argument 0: calls `on_match` per match until it returns false.
template <typename F>
Value run(CallContext& ctx, F&& on_match) {
  const auto& compiled = *static_cast<const Compiled*>(ctx.payload());
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(ctx.arg(0).as_text());
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(compiled.pattern->matcher(text, status));
  if (U_FAILURE(status)) return ctx.error(ErrorKind::BadRegex);
  m->setTimeLimit(kTimeLimit, status);
  while (m->find(status)) {
    if (!on_match(*m, compiled.translation)) break;
  }
  if (status == U_REGEX_TIME_OUT || status == U_REGEX_STACK_OVERFLOW)
    return ctx.error(ErrorKind::Timeout, "The regular expression took too long to evaluate.");
  if (U_FAILURE(status)) return ctx.error(ErrorKind::BadRegex);
  return Value::void_();
}

// IsMatch(text, pattern [, options]) – function-ismatch.md
Value invoke_is_match(CallContext& ctx) {
  bool found = false;
  Value failure = run(ctx, [&](icu::RegexMatcher&, const Translation&) {
    found = true;
    return false;
  });
  if (failure.is_error()) return failure;
  return Value::boolean(found);
}

// Match(text, pattern [, options]) – function-ismatch.md: the first match, or Blank.
Value invoke_match(CallContext& ctx) {
  Value result;
  Value failure = run(ctx, [&](icu::RegexMatcher& m, const Translation& t) {
    result = match_record(m, t);
    return false;
  });
  return failure.is_error() ? failure : result;
}

// MatchAll(text, pattern [, options]) – function-ismatch.md: every match, in order.
Value invoke_match_all(CallContext& ctx) {
  std::vector<Value> rows;
  Value failure = run(ctx, [&](icu::RegexMatcher& m, const Translation& t) {
    rows.push_back(match_record(m, t));
    return true;
  });
  if (failure.is_error()) return failure;
  return Value::table(std::move(rows), ctx.return_type().as_record());
}

constexpr std::string_view kPage = "function-ismatch.md";

const FunctionDef kRegex[] = {
    {.name = "IsMatch",
     .params = "saa?",
     .invoke = invoke_is_match,
     .check = check_is_match,
     .page = kPage},
    {.name = "Match",
     .params = "saa?",
     .invoke = invoke_match,
     .check = check_match,
     .page = kPage},
    {.name = "MatchAll",
     .params = "saa?",
     .invoke = invoke_match_all,
     .check = check_match_all,
     .page = kPage},
};

// Match.Email: a local part without spaces, RFC 822 specials or opening and
// closing punctuation, an "@", and host name parts without punctuation other
// than . - _ (regular-expressions.md, "Predefined patterns").
constexpr const char* kEmail =
    "(?:[^\\s\\\\\"\\(\\),:;<>@\\[\\]\\p{Ps}\\p{Pe}\\p{Pi}\\p{Pf}]|[\\{\\}])+"
    "@(?:[^\\s\\p{P}<>]|[\\.\\-_])+\\.(?:[^\\s\\p{P}<>]|[\\.\\-_])+";

}  // namespace

FunctionTable regex_functions() { return kRegex; }

std::shared_ptr<const EnumInfo> match_enum() {
  auto info = std::make_shared<EnumInfo>();
  info->name = "Match";
  info->underlying = TypeKind::Text;
  const std::pair<const char*, const char*> members[] = {
      {"Any", "."},
      {"Comma", ","},
      {"Digit", "\\d"},
      {"Email", kEmail},
      {"Hyphen", "-"},
      {"LeftParen", "\\("},
      {"Letter", "\\p{L}"},
      {"MultipleDigits", "\\d+"},
      {"MultipleLetters", "\\p{L}+"},
      {"MultipleNonSpaces", "\\S+"},
      {"MultipleSpaces", "\\s+"},
      {"NonSpace", "\\S"},
      {"OptionalDigits", "\\d*"},
      {"OptionalLetters", "\\p{L}*"},
      {"OptionalNonSpaces", "\\S*"},
      {"OptionalSpaces", "\\s*"},
      {"Period", "\\."},
      {"RightParen", "\\)"},
      {"Space", "\\s"},
      {"Tab", "\\t"},
  };
  for (const auto& [name, pattern] : members)
    info->members.emplace_back(name, Value::text(pattern));
  return info;
}

std::shared_ptr<const EnumInfo> match_options_enum() {
  auto info = std::make_shared<EnumInfo>();
  info->name = "MatchOptions";
  info->underlying = TypeKind::Text;
  info->members = {{"BeginsWith", Value::text("^")},
                   {"Complete", Value::text("^c$")},
                   {"Contains", Value::text("c")},
                   {"EndsWith", Value::text("$")},
                   {"IgnoreCase", Value::text("i")},
                   {"Multiline", Value::text("m")},
                   {"DotAll", Value::text("s")},
                   {"FreeSpacing", Value::text("x")},
                   {"NumberedSubMatches", Value::text("N")}};
  return info;
}

}  // namespace canvasfx::stdlib
