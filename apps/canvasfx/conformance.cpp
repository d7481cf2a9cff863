#include "conformance.h"

#include <charconv>
#include <cmath>
#include <exception>

#include "setup_handlers.h"

namespace canvasfx::cli {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(kWhitespace);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(kWhitespace);
  return s.substr(b, e - b + 1);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// "#SETUP: x" -> "x" when `line` starts with `name` (case-insensitive).
std::optional<std::string_view> directive(std::string_view line, std::string_view name) {
  if (!starts_with_ci(line, name)) return std::nullopt;
  return trim(line.substr(name.size()));
}

std::string_view strip_comment(std::string_view s) {
  auto c = s.find("//");
  return trim(c == std::string_view::npos ? s : s.substr(0, c));
}

bool is_word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;  // \w matches letters beyond ASCII too
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    auto end = nl == std::string_view::npos ? text.size() : nl;
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

bool names_current_dotnet(std::string_view versions) {
  // canvasfx behaves like current .NET ("70"), not .NET Framework ("462").
  size_t i = 0;
  while (i < versions.size()) {
    auto comma = versions.find(',', i);
    auto item = trim(
        versions.substr(i, comma == std::string_view::npos ? std::string_view::npos : comma - i));
    if (item == "70") return true;
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  return false;
}

}  // namespace

TestFile parse_test_file(std::string_view content, std::string path) {
  TestFile file;
  file.path = std::move(path);
  while (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  auto lines = split_lines(content);

  std::optional<TestCase> pending;  // input read, expected not yet
  bool disable_next = false;
  auto error = [&](size_t i, std::string msg) {
    file.parse_errors.push_back("line " + std::to_string(i + 1) + ": " + std::move(msg));
  };

  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::string_view trimmed = trim(line);
    if (trimmed.empty() || trimmed.starts_with("//")) continue;

    if (line.starts_with(">>")) {
      if (pending) error(pending->line - 1, "input without an expected result");
      TestCase c;
      c.line = static_cast<int>(i + 1);
      c.input = std::string(trim(line.substr(2)));
      // Continuation lines begin with a space; blank and comment lines between
      // them are skipped, as everywhere else (a free-spacing regex may span
      // paragraphs).
      for (size_t j = i + 1; j < lines.size(); ++j) {
        std::string_view next = lines[j];
        if (trim(next).empty() || next.starts_with("//")) continue;
        if (!next.starts_with(" ")) break;
        c.input += "\r\n";
        c.input += next;
        i = j;
      }
      c.disabled_net = disable_next;
      disable_next = false;
      pending = std::move(c);
      continue;
    }

    if (pending) {
      pending->expected = std::string(trimmed);
      file.cases.push_back(std::move(*pending));
      pending.reset();
      continue;
    }

    if (line.starts_with("#")) {
      if (auto v = directive(line, "#SETUP:")) {
        if (!file.setup.empty()) file.setup += ",";
        file.setup += *v;
      } else if (auto v = directive(line, "#OVERRIDE:")) {
        if (file.override_target) error(i, "more than one #OVERRIDE");
        file.override_target = std::string(strip_comment(*v));
      } else if (auto v = directive(line, "#DISABLE.NET:")) {
        if (names_current_dotnet(strip_comment(*v))) disable_next = true;
      } else if (auto v = directive(line, "#DISABLE:")) {
        file.disables.emplace_back(strip_comment(*v));
      } else {
        error(i, "unrecognized directive: " + std::string(trimmed.substr(0, 80)));
      }
      continue;
    }
    error(i, "expected result without an input: " + std::string(trimmed.substr(0, 80)));
  }
  if (pending) error(pending->line - 1, "input without an expected result at end of file");
  return file;
}

std::vector<SetupToken> parse_setup(std::string_view s) {
  std::vector<SetupToken> tokens;
  size_t i = 0;
  auto word_end = [&](size_t p) {
    if (s.substr(p).starts_with("//")) return p + 2;
    size_t q = p;
    while (q < s.size() && is_word_char(static_cast<unsigned char>(s[q]))) ++q;
    return q;
  };
  while (i < s.size()) {
    SetupToken t;
    size_t p = i;
    if (s.substr(p).starts_with("disable:") && word_end(p + 8) > p + 8) {
      t.disable = true;
      p += 8;
    }
    size_t e = word_end(p);
    if (e == p) {
      ++i;
      continue;
    }
    t.name = std::string(s.substr(p, e - p));
    if (t.name == "//") break;
    if (e < s.size() && s[e] == '(') {
      auto close = s.find(')', e);
      if (close != std::string_view::npos) {
        auto arg = trim(s.substr(e + 1, close - e - 1));
        if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"')
          arg = arg.substr(1, arg.size() - 2);
        t.argument = std::string(arg);
        e = close + 1;
      }
    }
    tokens.push_back(std::move(t));
    i = e;
  }
  return tokens;
}

bool is_canvas_feature(std::string_view name) {
  return name == "PowerFxV1CompatibilityRules" || name == "NumberIsFloat" ||
         name == "TableSyntaxDoesntWrapRecords" || name == "ConsistentOneColumnTableResult";
}

bool set_feature(Features& f, std::string_view name, bool on) {
  struct Row {
    std::string_view name;
    bool Features::*flag;
  };
  static constexpr Row kRows[] = {
      {"PowerFxV1CompatibilityRules", &Features::power_fx_v1},
      {"TableSyntaxDoesntWrapRecords", &Features::table_syntax_doesnt_wrap_records},
      {"ConsistentOneColumnTableResult", &Features::consistent_one_column_table_result},
      {"NumberIsFloat", &Features::number_is_float},
      {"StronglyTypedBuiltinEnums", &Features::strongly_typed_builtin_enums},
      {"SupportColumnNamesAsIdentifiers", &Features::support_column_names_as_identifiers},
      {"RestrictedIsEmptyArguments", &Features::restricted_is_empty_arguments},
      {"FirstLastNRequiresSecondArguments", &Features::first_last_n_requires_second_arguments},
      {"TextFirst", &Features::text_first},
      {"DisableReservedKeywords", &Features::disable_reserved_keywords},
      {"EnableExpressionChaining", &Features::enable_expression_chaining},
      {"DisableRowScopeDisambiguationSyntax", &Features::disable_row_scope_disambiguation_syntax},
  };
  for (const auto& r : kRows)
    if (r.name == name) {
      f.*r.flag = on;
      return true;
    }
  return false;
}

FileConfig configure(const std::vector<SetupToken>& tokens) {
  FileConfig c;
  for (const auto& t : tokens) {
    if (t.name == "//") break;
    if (is_canvas_feature(t.name)) {
      if (t.disable) {
        c.skip_reason = "disable:" + t.name + " contradicts the canvas configuration";
        return c;
      }
      continue;
    }
    if (set_feature(c.features, t.name, !t.disable)) continue;
    if (find_setup_handler(t.name)) {
      if (!t.disable) c.handlers.push_back(t);
      continue;
    }
    if (t.disable) continue;  // asks for something off that canvasfx does not have at all
    c.skip_reason = "unsupported setup handler " + t.name;
    return c;
  }
  return c;
}

bool is_skip_expectation(std::string_view expected) { return starts_with_ci(expected, "#skip"); }

std::vector<std::string> split_expected_errors(std::string_view expected) {
  std::string text(expected);
  for (size_t p; (p = text.find("Errors: ")) != std::string::npos;) text.erase(p, 8);
  if (text.starts_with("Errors:")) text.erase(0, 7);
  std::vector<std::string> items;
  std::string cur;
  bool quoted = false;
  for (char ch : text) {
    if (ch == '"') quoted = !quoted;
    if (ch == '|' && !quoted) {
      items.emplace_back(trim(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  items.emplace_back(trim(cur));
  std::erase_if(items, [](const std::string& s) { return s.empty(); });
  return items;
}

bool numbers_close(double actual, double expected) {
  double diff = std::fabs(actual - expected);
  if (diff < 1e-5) return true;
  return expected != 0 && diff / std::fabs(expected) < 1e-14;
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // Only decimal notation: digits, '.', exponent. (from_chars would take "inf", "nan".)
  for (char c : text)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return std::nullopt;
  if (text.front() == '+') return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

bool diagnostic_listed(const std::string& expected, const std::vector<std::string>& actual) {
  for (const auto& a : actual)
    if (a == expected) return true;
  // The file may say Decimal where a float host says Number.
  if (expected.find("Decimal") == std::string::npos) return false;
  std::string as_number = expected;
  for (size_t p; (p = as_number.find("Decimal")) != std::string::npos;)
    as_number.replace(p, 7, "Number");
  for (const auto& a : actual)
    if (a == as_number) return true;
  return false;
}

}  // namespace

Judgement judge(std::string_view expected, const Outcome& o) {
  if (is_skip_expectation(expected)) return {Verdict::Skip, {}};
  if (!o.exception.empty()) return {Verdict::Fail, "exception: " + o.exception};
  std::string errors_text =
      o.diagnostics.empty() ? "no diagnostics" : "Errors: " + join(o.diagnostics, "|");

  if (expected.starts_with("Errors:")) {
    if (o.check_ok) {
      std::string actual = o.printed;
      if (!o.diagnostics.empty()) actual += "  (" + errors_text + ")";
      return {Verdict::Fail, actual};
    }
    for (const auto& e : split_expected_errors(expected))
      if (!diagnostic_listed(e, o.diagnostics)) return {Verdict::Fail, errors_text};
    return {Verdict::Pass, {}};
  }
  if (!o.check_ok) return {Verdict::Fail, errors_text};
  if (starts_with_ci(expected, "#no value")) {
    if (o.no_value) return {Verdict::Pass, {}};
    return {Verdict::Fail, o.printed};
  }
  if (o.printed == expected) return {Verdict::Pass, {}};
  if (o.is_number) {
    if (auto e = parse_number(expected); e && numbers_close(o.number, *e))
      return {Verdict::Pass, {}};
  }
  return {Verdict::Fail, o.printed};
}

Outcome run_formula(Engine& engine, std::string_view input, const CheckOptions& options) {
  Outcome o;
  try {
    CheckResult r = engine.check(input, options);
    o.diagnostics.reserve(r.diagnostics.size());
    for (const auto& d : r.diagnostics) o.diagnostics.push_back(format_diagnostic(d));
    o.check_ok = r.ok();
    if (!r.ok()) return o;
    Value v = r.formula->eval(engine);
    // A REPL definition shows the value it gave the variable.
    // Set(x, ...) shows x's new value, as the reference REPL does.
    const std::string& set_name = !r.declared.empty() ? r.declared : r.assigned;
    if (v.is_void() && !set_name.empty()) v = engine.value(set_name);
    if (v.is_void()) {
      o.no_value = true;
      o.printed = print_value(v);
      return o;
    }
    o.printed = print_value(v);
    if (v.is_number()) {
      o.is_number = true;
      o.number = v.as_number();
    }
  } catch (const std::exception& e) {
    o.exception = e.what();
  } catch (...) {
    o.exception = "unknown exception";
  }
  return o;
}

}  // namespace canvasfx::cli
