// `canvasfx eval`: one formula, its value in the format a reader wants.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "canvasfx/json_value.h"
#include "commands.h"
#include "display.h"

namespace canvasfx::cli {

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "fx") return OutputFormat::Fx;
  if (name == "table") return OutputFormat::Table;
  if (name == "json") return OutputFormat::Json;
  if (name == "csv") return OutputFormat::Csv;
  return std::nullopt;
}

namespace {

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A cell as a spreadsheet wants it: text without quotes, ISO dates, numbers.
std::string csv_cell(const Value& v, const std::string& time_zone) {
  switch (v.kind()) {
    case ValueKind::Blank:
    case ValueKind::Void:
      return "";
    case ValueKind::Text:
      return v.as_text();
    case ValueKind::Number:
      return print_number(v.as_number());
    case ValueKind::Boolean:
      return v.as_boolean() ? "true" : "false";
    case ValueKind::Date:
    case ValueKind::DateTime:
    case ValueKind::Time:
    case ValueKind::Guid:
    case ValueKind::Color:
    case ValueKind::Enum: {
      std::string json = value_to_json(v, time_zone);  // "2024-05-01": the quotes go
      return json.size() >= 2 && json.front() == '"' ? json.substr(1, json.size() - 2) : json;
    }
    default:
      return print_value(v, PrintOptions{.error_messages = true});
  }
}

}  // namespace

std::string to_csv(const Value& v, const std::string& time_zone) {
  std::vector<Value> rows;
  if (v.is_table())
    rows = v.rows();
  else if (v.is_record())
    rows.push_back(v);
  else
    rows.push_back(Value::record({{"Value", v}}));
  std::vector<std::string> columns;
  std::map<std::string, bool> seen;
  if (v.is_table())
    for (size_t i = 0; i < v.row_type().field_count(); ++i)
      if (!seen[v.row_type().field_name(i)]) {
        seen[v.row_type().field_name(i)] = true;
        columns.push_back(v.row_type().field_name(i));
      }
  for (const Value& row : rows)
    if (row.is_record())
      for (const auto& [name, _] : row.fields())
        if (!seen[name]) {
          seen[name] = true;
          columns.push_back(name);
        }
  std::sort(columns.begin(), columns.end());
  std::string out;
  auto line = [&](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    out += "\r\n";
  };
  line(columns);
  for (const Value& row : rows) {
    std::vector<std::string> fields;
    for (const auto& c : columns) {
      const Value* f = row.is_record() ? row.field(c) : nullptr;
      // A row that is an error or blank: its text in the first column.
      fields.push_back(
          f ? csv_cell(*f, time_zone)
            : (&c == &columns.front() && !row.is_record() ? csv_cell(row, time_zone) : ""));
    }
    line(fields);
  }
  return out;
}

EvalOutput eval_formula(Engine& engine, std::string_view formula, const CheckOptions& options,
                        bool colour, OutputFormat format, const ValueDisplay& display) {
  EvalOutput r;
  try {
    CheckResult checked = engine.check(formula, options);
    r.err = render_diagnostics(formula, checked.diagnostics, colour);
    if (!checked.ok()) {
      r.exit_code = kExitInvalidFormula;
      return r;
    }
    Value v = checked.formula->eval(engine);
    if (v.is_error()) r.exit_code = kExitErrorValue;
    if (v.is_void()) return r;
    switch (format) {
      case OutputFormat::Fx:
        r.out = print_value(v, PrintOptions{.error_messages = true}) + "\n";
        break;
      case OutputFormat::Table:
        r.out = render_value(v, display) + "\n";
        break;
      case OutputFormat::Json:
        r.out = value_to_json(v, engine.time_zone(), 2) + "\n";
        break;
      case OutputFormat::Csv:
        r.out = to_csv(v, engine.time_zone());
        break;
    }
  } catch (const std::exception& e) {
    r.err += fmt::format("internal error: {}\n", sanitize(e.what()));
    r.exit_code = kExitInternal;
  }
  return r;
}

bool define_formulas(Engine& engine, std::string_view text, std::string_view source,
                     std::string& err, bool colour) {
  DefineResult defined = engine.define(text);
  if (!defined.diagnostics.empty())
    err += fmt::format("{}:\n{}", source, render_diagnostics(text, defined.diagnostics, colour));
  return defined.ok();
}

namespace {

std::string read_all(std::FILE* f) {
  std::string s;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

}  // namespace

int run_eval(const EvalOptions& options, const CliOptions& cli) {
  std::string formula;
  if (options.formula && *options.formula != "-") {
    formula = *options.formula;
  } else if (options.formula || !::isatty(STDIN_FILENO)) {
    formula = read_all(stdin);
  } else {
    fmt::print(stderr, "canvasfx eval: give a formula, or '-' to read one from stdin\n");
    return kExitUsage;
  }
  Engine engine;
  configure_engine(engine, cli);
  CheckOptions check;
  check.behavior = !options.data_flow;
  bool colour = ::isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
  if (options.formulas_file) {
    std::FILE* file = std::fopen(options.formulas_file->c_str(), "rb");
    if (!file) {
      fmt::print(stderr, "canvasfx eval: cannot read {}\n", *options.formulas_file);
      return kExitUsage;
    }
    std::string text = read_all(file);
    std::fclose(file);
    std::string err;
    bool ok = define_formulas(engine, text, *options.formulas_file, err, colour);
    std::fwrite(err.data(), 1, err.size(), stderr);
    if (!ok) return kExitInvalidFormula;
  }
  ValueDisplay display{
      .max_rows = cli.max_rows.value_or(0), .max_cell = 0, .width = terminal_width()};
  EvalOutput r = eval_formula(engine, formula, check, colour, options.format, display);
  std::fwrite(r.out.data(), 1, r.out.size(), stdout);
  std::fflush(stdout);
  std::fwrite(r.err.data(), 1, r.err.size(), stderr);
  return r.exit_code;
}

}  // namespace canvasfx::cli
