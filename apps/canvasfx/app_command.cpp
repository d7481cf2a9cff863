// `canvasfx app check|run` and `canvasfx repl --app` (app_command.h).
#ifdef CANVASFX_HAVE_HOST
#include "app_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "canvasfx/host/store.h"
#include "canvasfx/player/runtime.h"
#include "commands.h"
#include "exit_codes.h"
#include "store_command.h"

namespace canvasfx::cli {

namespace fs = std::filesystem;

namespace {

// Where a diagnostic's file is, as the user named the app.
std::string shown_file(const std::string& app_path, const std::string& file) {
  fs::path root(app_path);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) root = root.parent_path();
  if (root.empty() || file.empty() || file == ".") return file.empty() ? app_path : app_path;
  return (root / file).generic_string();
}

std::string where_of(const player::AppDiagnostic& d) {
  if (d.control.empty()) return {};
  std::string path =
      d.screen.empty() || d.screen == d.control ? d.control : d.screen + "." + d.control;
  return d.property.empty() ? path : path + "." + d.property;
}

std::unique_ptr<host::Store> open_or_exit(const CliOptions& cli) {
  try {
    return open_store(cli);
  } catch (const host::StoreError& e) {
    std::fprintf(stderr, "canvasfx: %s\n", e.what());
    std::exit(kExitStore);
  }
}

player::RuntimeOptions runtime_options(host::Store* store, const CliOptions& cli,
                                       std::ostream* out) {
  player::RuntimeOptions options;
  options.store = store;
  options.time_limit = std::chrono::milliseconds(static_cast<int64_t>(cli.time_limit_s * 1000));
  if (out) options.output = [out](const std::string& text) { *out << text << "\n"; };
  return options;
}

}  // namespace

int run_app_check(const AppCheckOptions& options, const CliOptions& cli, std::ostream& out) {
  // The app on its own, on an empty device, unless --store names one: a
  // device table of the same name (the demo's Contacts) must not stand in for
  // a data source the app declares with columns of its own.
  auto store = cli.store ? open_or_exit(cli) : host::Store::open_memory(/*seed_demo=*/false);
  auto loaded = player::load_app(options.path);
  bool loaded_ok = loaded.ok();
  std::vector<player::AppDiagnostic> diagnostics;
  size_t formulas = 0;
  std::unique_ptr<player::Runtime> runtime;
  if (loaded_ok) {
    runtime =
        player::Runtime::create(std::move(loaded), runtime_options(store.get(), cli, nullptr));
    diagnostics = runtime->diagnostics();
    formulas = runtime->formula_count();
  } else {
    diagnostics = loaded.diagnostics;
  }
  size_t errors = 0, warnings = 0;
  for (const auto& d : diagnostics) (d.severity == Severity::Error ? errors : warnings)++;
  if (options.json) {
    nlohmann::json report;
    report["formulas"] = formulas;
    report["errors"] = errors;
    report["warnings"] = warnings;
    report["diagnostics"] = nlohmann::json::array();
    for (const auto& d : diagnostics)
      report["diagnostics"].push_back(
          {{"file", shown_file(options.path, d.pos.file)},
           {"line", d.pos.line},
           {"column", d.pos.column},
           {"screen", d.screen},
           {"control", d.control},
           {"property", d.property},
           {"severity", d.severity == Severity::Error ? "error" : "warning"},
           {"message", d.message}});
    out << report.dump(2) << "\n";
  } else {
    for (auto d : diagnostics) {
      d.pos.file = shown_file(options.path, d.pos.file);
      out << player::format_app_diagnostic(d, where_of(d)) << "\n";
    }
    out << fmt::format("{} formulas, {} errors, {} warnings\n", formulas, errors, warnings);
  }
  if (!loaded_ok) return kExitUsage;
  return errors ? kExitFailure : kExitOk;
}

namespace {

// Words of a step: bare words, "text" (with \" inside) and 'names'.
std::vector<std::string> split_step(const std::string& line, std::vector<bool>* quoted = nullptr) {
  std::vector<std::string> words;
  for (size_t i = 0; i < line.size();) {
    if (std::isspace(static_cast<unsigned char>(line[i]))) {
      ++i;
      continue;
    }
    std::string word;
    bool q = false;
    if (line[i] == '"' || line[i] == '\'') {
      char close = line[i++];
      q = close == '"';
      for (; i < line.size() && line[i] != close; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        word += line[i];
      }
      ++i;
    } else {
      while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
        word += line[i++];
    }
    words.push_back(word);
    if (quoted) quoted->push_back(q);
  }
  return words;
}

// "500ms", "2s", "1.5s".
std::optional<std::chrono::milliseconds> parse_duration(const std::string& s) {
  try {
    size_t used = 0;
    double n = std::stod(s, &used);
    std::string unit = s.substr(used);
    if (unit == "ms") return std::chrono::milliseconds(static_cast<int64_t>(n));
    if (unit == "s" || unit.empty())
      return std::chrono::milliseconds(static_cast<int64_t>(n * 1000));
  } catch (...) {
  }
  return std::nullopt;
}

// The properties `show SCREEN` prints for each control: what it shows or holds.
const char* const kKeyProperties[] = {"Text",         "Value",    "Icon", "Image",  "HtmlText",
                                      "SelectedDate", "Selected", "Mode", "Default"};

void print_tree(const player::ControlView& v, std::ostream& out, int depth) {
  std::string line = fmt::format("{}{} ({})", std::string(depth * 2, ' '), v.name, v.type);
  for (const char* key : kKeyProperties)
    for (const auto& [name, value] : v.properties)
      if (name == key && !value.is_blank() &&
          !(std::string(key) == "Default" && v.type != "DataCard"))
        line += fmt::format(" {}={}", name, print_value(value));
  for (const auto& [name, value] : v.properties)
    if (name == "Visible" && value.is_boolean() && !value.as_boolean()) line += " Visible=false";
  out << line << "\n";
  for (const auto& child : v.children) print_tree(child, out, depth + 1);
  for (size_t r = 0; r < v.rows.size(); ++r) {
    out << fmt::format("{}[{}]\n", std::string((depth + 1) * 2, ' '), r + 1);
    for (const auto& child : v.rows[r]) print_tree(child, out, depth + 2);
  }
}

}  // namespace

int run_app_script(const AppRunOptions& options, const CliOptions& cli, std::istream& steps,
                   std::ostream& out) {
  auto store = open_or_exit(cli);
  auto loaded = player::load_app(options.path);
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics) out << player::format_app_diagnostic(d) << "\n";
    return kExitUsage;
  }
  auto runtime =
      player::Runtime::create(std::move(loaded), runtime_options(store.get(), cli, &out));
  size_t errors = 0;
  for (const auto& d : runtime->diagnostics())
    if (d.severity == Severity::Error) ++errors;
  if (errors)
    std::cerr << fmt::format(
        "canvasfx app run: the app has {} errors (canvasfx app check lists "
        "them); running it anyway\n",
        errors);
  runtime->start();
  std::vector<std::string> recomputed = runtime->stats().last_recomputed;
  std::vector<player::PropertyRef> changed = runtime->changes();
  auto note = [&](const std::vector<player::PropertyRef>& c) {
    const auto& r = runtime->stats().last_recomputed;
    recomputed.insert(recomputed.end(), r.begin(), r.end());
    changed.insert(changed.end(), c.begin(), c.end());
    if (options.trace)
      for (const auto& p : c) out << "  changed " << p.text() << "\n";
  };
  int status = 0;
  std::string line;
  int line_number = 0;
  while (std::getline(steps, line)) {
    ++line_number;
    std::vector<bool> quoted;
    auto words = split_step(line, &quoted);
    if (words.empty() || words[0].starts_with("#")) continue;
    const std::string& step = words[0];
    auto fail = [&](const std::string& message) {
      out << fmt::format("line {}: {}\n", line_number, message);
      status = 1;
    };
    // A row is 1-based in scripts, as Index() counts.
    auto row_arg = [&](size_t i) { return words.size() > i ? std::stoi(words[i]) - 1 : -1; };
    if (step != "stats" && step != "changes" && step != "show") {
      recomputed.clear();
      changed.clear();
    }
    try {
      if (step == "select" && words.size() >= 2) {
        note(runtime->select(words[1], row_arg(2)));
      } else if (step == "type" && words.size() >= 3) {
        note(runtime->type_text(words[1], words[2], row_arg(3)));
      } else if (step == "toggle" && words.size() >= 2) {
        note(runtime->toggle(words[1], row_arg(2)));
      } else if (step == "set" && words.size() >= 3) {
        std::string rest = line.substr(line.find(words[1]) + words[1].size());
        Value v = runtime->eval(rest);
        if (v.is_error()) {
          fail("the value is not valid: " + print_value(v));
          continue;
        }
        note(runtime->set_input(words[1], v));
      } else if (step == "navigate" && words.size() >= 2) {
        note(runtime->navigate(words[1]));
      } else if (step == "show" && words.size() >= 2) {
        std::string target = words[1];
        int row = -1;
        if (auto open = target.find('['); open != std::string::npos && target.back() == ']') {
          row = std::stoi(target.substr(open + 1)) - 1;
          target = target.substr(0, open);
        }
        size_t dot = target.rfind('.');
        player::ControlView tree;
        if (dot == std::string::npos) {
          tree = runtime->view(target);
          if (tree.name.empty()) {
            fail("no control named " + target);
            continue;
          }
          print_tree(tree, out, 0);
        } else {
          Value v = runtime->value(target.substr(0, dot), target.substr(dot + 1), row);
          out << words[1] << " = " << print_value(v) << "\n";
        }
      } else if (step == "eval" && words.size() >= 2) {
        Value v = runtime->eval(line.substr(line.find("eval") + 4));
        note(runtime->changes());
        out << print_value(v) << "\n";
      } else if (step == "store" && words.size() >= 4 && words[1] == "set") {
        // As another process would: through a connection of its own.
        std::unique_ptr<host::Store> other = store->path().empty() || store->path() == ":memory:"
                                                 ? nullptr
                                                 : host::Store::open(store->path());
        if (store_set(other ? *other : *store, words[2], words[3]) != 0) status = 1;
      } else if (step == "wait" && words.size() >= 2) {
        auto duration = parse_duration(words[1]);
        if (!duration) {
          fail("a wait is like 1s or 250ms");
          continue;
        }
        auto start = std::chrono::steady_clock::now();
        auto last = start;
        for (;;) {
          auto now = std::chrono::steady_clock::now();
          note(runtime->advance(std::chrono::duration_cast<std::chrono::milliseconds>(now - last)));
          last = now;
          if (now - start >= *duration) break;
          std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
              std::chrono::milliseconds(50),
              std::chrono::duration_cast<std::chrono::milliseconds>(*duration - (now - start))));
        }
      } else if (step == "stats") {
        std::string list;
        for (const auto& r : recomputed) list += (list.empty() ? "" : ", ") + r;
        out << fmt::format("recomputed {}: {}\n", recomputed.size(), list.empty() ? "-" : list);
      } else if (step == "changes") {
        std::string list;
        for (const auto& p : changed) list += (list.empty() ? "" : ", ") + p.text();
        out << fmt::format("changed {}: {}\n", changed.size(), list.empty() ? "-" : list);
      } else {
        fail("unknown step: " + line);
      }
    } catch (const std::exception& e) {
      fail(e.what());
    }
    out.flush();
  }
  return status;
}

int run_app_run(const AppRunOptions& options, const CliOptions& cli) {
  if (options.script) {
    std::ifstream in(*options.script);
    if (!in) {
      std::fprintf(stderr, "canvasfx app run: cannot read %s\n", options.script->c_str());
      return kExitUsage;
    }
    return run_app_script(options, cli, in, std::cout);
  }
  return run_app_script(options, cli, std::cin, std::cout);
}

int run_app_repl(const std::string& path, const CliOptions& cli) {
  auto store = open_or_exit(cli);
  auto loaded = player::load_app(path);
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics) std::cerr << player::format_app_diagnostic(d) << "\n";
    return kExitUsage;
  }
  auto runtime =
      player::Runtime::create(std::move(loaded), runtime_options(store.get(), cli, &std::cout));
  runtime->start();
  return run_repl_on(runtime->engine(), cli);
}

void add_app_command(CLI::App& app, AppCommand& out) {
  out.command = app.add_subcommand("app", "Canvas apps: check an app's formulas, run it headless");
  out.command->require_subcommand(1);
  out.check_command = out.command->add_subcommand(
      "check",
      "Load an app (folder of .pa.yaml, unpacked or zipped .msapp) and check every formula");
  out.check_command->add_option("path", out.check.path, "The app")->required();
  out.check_command->add_flag("--json", out.check.json, "Print one JSON object");
  out.run_command = out.command->add_subcommand("run", "Run an app headless, driven by steps");
  out.run_command->add_option("path", out.run.path, "The app")->required();
  out.run_command->add_option("--script", out.run.script, "Steps to run (default: stdin)");
  out.run_command->add_flag("--trace", out.run.trace, "Print what each step changed");
}

int run_app_command(const AppCommand& command, const CliOptions& cli) {
  if (!*command.command) return -1;
  if (*command.check_command) return run_app_check(command.check, cli, std::cout);
  return run_app_run(command.run, cli);
}

}  // namespace canvasfx::cli
#endif
