#include "repl_help.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "canvasfx/stdlib.h"
#include "canvasfx/value.h"
#include "reference_summaries.h"

namespace canvasfx::cli {
namespace {

bool identifier_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || u >= 0x80;
}

bool plain_identifier(std::string_view name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(), identifier_char);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == lower(prefix);
}

// Words wrapped into lines of `width` columns, each indented by two spaces.
std::string wrap(const std::vector<std::string>& words, size_t width) {
  std::string out, line = " ";
  for (const auto& w : words) {
    if (line.size() + w.size() + 1 > width && line.size() > 1) {
      out += line + "\n";
      line = " ";
    }
    line += " " + w;
  }
  if (line.size() > 1) out += line + "\n";
  return out;
}

const char* parameter_word(char letter) {
  switch (letter) {
    case 'n':
      return "number";
    case 's':
      return "text";
    case 'b':
      return "boolean";
    case 'd':
      return "date";
    case 'D':
      return "datetime";
    case 't':
      return "time";
    case 'c':
      return "color";
    case 'g':
      return "guid";
    case 'r':
      return "record";
    case 'T':
      return "table";
    case 'u':
      return "dynamic";
    case 'e':
      return "enum member";
    case 'i':
      return "column";
    case 'v':
      return "variable";
    case 'y':
      return "type";
    default:
      return "value";
  }
}

// Damerau–Levenshtein distance (optimal string alignment), ignoring letter case.
size_t edit_distance(std::string_view a_in, std::string_view b_in) {
  std::string a = lower(a_in), b = lower(b_in);
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::vector<std::string> symbol_names(const Engine& engine) {
  std::vector<std::string> names;
  for (size_t id = 0; id < engine.symbol_count(); ++id) names.emplace_back(engine.symbol_name(id));
  return names;
}

std::vector<std::string> field_names(const Type& type) {
  std::vector<std::string> names;
  if (type.is(TypeKind::Record) || type.is(TypeKind::Table))
    for (size_t i = 0; i < type.field_count(); ++i) names.push_back(type.field_name(i));
  return names;
}

std::vector<std::string> enum_members(const EnumInfo& info) {
  std::vector<std::string> names;
  for (const auto& [member, value] : info.members) names.push_back(member);
  return names;
}

}  // namespace

// ---------------------------------------------------------------- types and signatures

std::string formula_name(std::string_view name) {
  if (plain_identifier(name)) return std::string(name);
  std::string out = "'";
  for (char c : name) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string type_text(const Type& type) {
  switch (type.kind()) {
    case TypeKind::Record:
    case TypeKind::Table: {
      std::string fields;
      for (size_t i = 0; i < type.field_count(); ++i) {
        if (i) fields += ", ";
        fields += formula_name(type.field_name(i)) + ": " + type_text(type.field_type(i));
      }
      return type.is(TypeKind::Record) ? "{" + fields + "}" : "[{" + fields + "}]";
    }
    case TypeKind::Enum:
      return type.enum_info() ? type.enum_info()->name : type.name();
    default:
      return type.name();
  }
}

std::string signature(const FunctionDef& row) {
  struct Param {
    std::string text;
    bool optional = false, repeat = false, group_start = false;
  };
  std::vector<Param> params;
  bool group_next = false;
  std::string_view p = row.params;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '|') {
      group_next = true;
      continue;
    }
    bool lambda = false;
    while (c == '~' || c == '@') {
      lambda |= c == '@';
      if (++i == p.size()) break;
      c = p[i];
    }
    Param param;
    param.text = parameter_word(c);
    if (lambda) param.text += " for each row";
    param.group_start = std::exchange(group_next, false);
    for (; i + 1 < p.size() && (p[i + 1] == '?' || p[i + 1] == '+'); ++i)
      (p[i + 1] == '?' ? param.optional : param.repeat) = true;
    params.push_back(std::move(param));
  }
  std::string out = std::string(row.name) + "(";
  size_t group = params.size();  // where the group that `|` opened starts
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].group_start) group = i;
    if (i) out += ", ";
    out += params[i].optional ? "[" + params[i].text + "]" : params[i].text;
    if (params[i].repeat)
      out += params[i].optional || group == params.size() ? ", …" : ", … (repeated)";
  }
  out += ")";
  if (row.returns.size() == 1) out += std::string(" → ") + parameter_word(row.returns[0]);
  if (row.behavior) out += "  (behavior)";
  return out;
}

// ---------------------------------------------------------------- Help

std::string help_overview(const Engine& engine, size_t width) {
  std::string out =
      "Commands:\n"
      "  Help()             this list\n"
      "  Help(Filter)       a function's signatures and what it does; a name's type\n"
      "  Exit()             quit (or Ctrl-D); Ctrl-C stops a running formula\n"
      "  :tables            data sources and collections, with their row counts\n"
      "  :schema NAME       a table's columns and their types\n"
      "  :type FORMULA      the type of a formula, without evaluating it\n"
      "  :set max-rows N    rows of a table shown (0: all)\n"
      "Set(name, value) declares or changes a variable; `;` chains formulas;\n"
      "name = formula defines a named formula, F(p: Number): Number = p * 2 a function;\n"
      "an open bracket, string or comment continues the input on the next line;\n"
      "Tab completes names, functions, enum members and columns.\n";
  std::set<std::string> listed;
  auto families = stdlib::function_families();
  for (const auto& family : families) {
    std::vector<std::string> names;
    for (const auto& name : family.functions)
      if (engine.has_function(name) && listed.insert(name).second) names.push_back(name);
    if (names.empty()) continue;
    out += fmt::format("{} ({}):\n", family.name, names.size());
    out += wrap(names, width);
  }
  std::vector<std::string> others;
  for (const auto& name : engine.function_names())
    if (!listed.count(name)) others.push_back(name);
  if (!others.empty()) {
    out += fmt::format("Host and app ({}):\n", others.size());
    out += wrap(others, width);
  }
  out.pop_back();
  return out;
}

std::optional<std::string> help_for(const Engine& engine, std::string_view name) {
  std::string out;
  auto overloads = engine.function_overloads(name);
  if (!overloads.empty()) {
    std::set<std::string> seen;
    std::string_view page;
    for (const FunctionDef* row : overloads) {
      std::string s = signature(*row);
      if (seen.insert(s).second) out += "  " + s + "\n";
      if (page.empty()) page = row->page;
    }
    if (!page.empty()) {
      std::string_view summary = reference_summary(page);
      if (!summary.empty()) out += std::string(summary) + "\n";
      out += fmt::format("Reference: {}\n", page);
    }
  }
  if (auto id = engine.find_symbol(name)) {
    out += fmt::format("{}: {}\n", formula_name(name), type_text(engine.symbol_type(*id)));
  } else if (const EnumInfo* info = engine.find_enum(name)) {
    out += fmt::format("{} (enum): ", info->name);
    auto members = enum_members(*info);
    for (size_t i = 0; i < members.size(); ++i) out += (i ? ", " : "") + formula_name(members[i]);
    out += "\n";
  }
  if (out.empty()) return std::nullopt;
  out.pop_back();
  return out;
}

// ---------------------------------------------------------------- did you mean

std::vector<std::string> similar_names(const Engine& engine, std::string_view name,
                                       bool functions_only, size_t max) {
  std::vector<std::string> pool = engine.function_names();
  if (!functions_only) {
    for (auto& s : symbol_names(engine)) pool.push_back(std::move(s));
    for (auto& e : engine.enum_names()) pool.push_back(std::move(e));
  }
  size_t limit = std::max<size_t>(1, name.size() / 3);
  std::vector<std::pair<size_t, std::string>> scored;
  for (auto& candidate : pool) {
    if (candidate == name) continue;
    size_t d = edit_distance(name, candidate);
    if (d <= limit) scored.emplace_back(d, std::move(candidate));
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, candidate] : scored) {
    if (out.size() == max) break;
    if (std::find(out.begin(), out.end(), candidate) == out.end()) out.push_back(candidate);
  }
  return out;
}

std::string did_you_mean(const Engine& engine, const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  std::set<std::string> done;
  for (const auto& d : diagnostics) {
    // The binder's texts: "'Fitler' is an unknown or unsupported function." and
    // "Name isn't valid. 'Fitler' isn't recognized."
    bool function = d.message.find("unknown or unsupported function") != std::string::npos;
    bool name = d.message.find("isn't recognized") != std::string::npos;
    if (!function && !name) continue;
    // The name is the quoted word ("isn't" has a quote too): it starts the
    // message or follows a space.
    size_t open = d.message.starts_with('\'') ? 0 : d.message.find(" '");
    if (open == std::string::npos) continue;
    if (d.message[open] == ' ') ++open;
    size_t close = d.message.find('\'', open + 1);
    if (close == std::string::npos) continue;
    std::string unknown = d.message.substr(open + 1, close - open - 1);
    if (!done.insert(unknown).second) continue;
    auto similar = similar_names(engine, unknown, function);
    if (similar.empty()) continue;
    std::string list;
    for (size_t i = 0; i < similar.size(); ++i)
      list += (i == 0 ? "" : i + 1 == similar.size() ? " or " : ", ") + formula_name(similar[i]);
    out += fmt::format("Did you mean {}?\n", list);
  }
  return out;
}

// ---------------------------------------------------------------- completion

namespace {

// Where the text before the cursor stands: in a string or comment, and the
// open calls' brackets with the commas at their top level.
struct Nesting {
  bool in_string = false;  // or a comment: nothing to complete
  struct Open {
    size_t at;  // the '(' or '[' or '{'
    std::vector<size_t> commas;
  };
  std::vector<Open> open;
};

Nesting scan(std::string_view s) {
  Nesting n;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      size_t close = i + 1;
      for (;; ++close) {
        if (close >= s.size()) {
          n.in_string = c == '"';
          return n;
        }
        if (s[close] == c) {
          if (close + 1 < s.size() && s[close + 1] == c) {
            ++close;
            continue;
          }
          break;
        }
      }
      i = close;
    } else if (c == '/' && i + 1 < s.size() && (s[i + 1] == '/' || s[i + 1] == '*')) {
      size_t end = s.find(s[i + 1] == '/' ? "\n" : "*/", i + 2);
      if (end == std::string_view::npos) {
        n.in_string = true;
        return n;
      }
      i = end;
    } else if (c == '(' || c == '[' || c == '{') {
      n.open.push_back({i, {}});
    } else if ((c == ')' || c == ']' || c == '}') && !n.open.empty()) {
      n.open.pop_back();
    } else if (c == ',' && !n.open.empty()) {
      n.open.back().commas.push_back(i);
    }
  }
  return n;
}

// The start of the expression that ends at `end` (exclusive): names, quoted
// names, dots and balanced brackets, scanning backwards. `First(Accounts).`
size_t expression_start(std::string_view s, size_t end) {
  size_t i = end;
  while (i > 0) {
    char c = s[i - 1];
    if (identifier_char(c) || c == '.') {
      --i;
    } else if (c == '\'') {
      size_t open = i >= 2 ? s.rfind('\'', i - 2) : std::string_view::npos;
      if (open == std::string_view::npos) break;
      i = open;
    } else if (c == ')' || c == ']' || c == '}') {
      int depth = 0;
      size_t j = i;
      while (j > 0) {
        char d = s[--j];
        if (d == ')' || d == ']' || d == '}') ++depth;
        if ((d == '(' || d == '[' || d == '{') && --depth == 0) break;
      }
      if (depth != 0) break;
      i = j;
    } else {
      break;
    }
  }
  return i;
}

const std::vector<std::string>& keywords() {
  static const std::vector<std::string> kKeywords = {"true", "false", "And",     "Or",        "Not",
                                                     "As",   "in",    "exactin", "ThisRecord"};
  return kKeywords;
}

std::optional<Type> type_of(Engine& engine, std::string_view expression) {
  if (expression.empty()) return std::nullopt;
  try {
    CheckResult checked = engine.check(expression);  // a data-flow check: nothing runs
    if (checked.ok()) return checked.type;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

Completion complete(Engine& engine, std::string_view before) {
  Completion result;
  Nesting nesting = scan(before);
  if (nesting.in_string) {
    result.start = before.size();
    return result;
  }
  size_t start = before.size();
  while (start > 0 && identifier_char(before[start - 1])) --start;
  bool quote = start > 0 && before[start - 1] == '\'';
  if (quote) --start;
  result.start = start;
  std::string_view typed = before.substr(start + (quote ? 1 : 0));

  std::vector<std::string> pool;
  if (start > 0 && before[start - 1] == '.') {
    // After a dot: an enum's members, or a record's fields / a table's columns.
    size_t owner_start = expression_start(before, start - 1);
    std::string_view owner = before.substr(owner_start, start - 1 - owner_start);
    if (const EnumInfo* info = engine.find_enum(owner)) {
      pool = enum_members(*info);
    } else if (auto type = type_of(engine, owner)) {
      pool = type->is(TypeKind::Enum) && type->enum_info() ? enum_members(*type->enum_info())
                                                           : field_names(*type);
    }
  } else {
    for (const auto& f : engine.function_names()) pool.push_back(f + "(");
    for (auto& s : symbol_names(engine)) pool.push_back(std::move(s));
    for (auto& e : engine.enum_names()) pool.push_back(std::move(e));
    for (const auto& k : keywords()) pool.push_back(k);
    // Inside Filter(t, …), Sum(t, …) and friends: the columns of t's rows.
    if (!nesting.open.empty() && !nesting.open.back().commas.empty() &&
        before[nesting.open.back().at] == '(') {
      const auto& call = nesting.open.back();
      std::string_view first_arg = before.substr(call.at + 1, call.commas.front() - call.at - 1);
      if (auto type = type_of(engine, first_arg); type && type->is(TypeKind::Table))
        for (auto& column : field_names(*type)) pool.push_back(std::move(column));
    }
  }
  std::set<std::string> unique;
  for (const auto& name : pool) {
    std::string bare = name.back() == '(' ? name.substr(0, name.size() - 1) : name;
    if (!starts_with_ignoring_case(bare, typed)) continue;
    unique.insert(quote || !plain_identifier(bare)
                      ? formula_name(bare) + (name.back() == '(' ? "(" : "")
                      : name);
  }
  result.candidates.assign(unique.begin(), unique.end());
  return result;
}

}  // namespace canvasfx::cli
