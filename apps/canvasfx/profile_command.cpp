// `canvasfx profile check FILE`: every rule violation, one a line with its
// table and rule id; exit 1 when there is any (or the YAML is malformed).
// `canvasfx profile apply FILE`: applies a valid profile to the store
// (replacing its local tables); an invalid one is reported and changes nothing.
#ifdef CANVASFX_HAVE_HOST
#include "profile_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "canvasfx/host/profile.h"

namespace canvasfx::cli {
namespace {

struct ProfileArgs {
  std::string file;
  CLI::App *check, *apply;
};

void print_violations(const std::vector<host::Violation>& violations) {
  for (const auto& v : violations)
    std::fprintf(stderr, "%s [%s]: %s\n", v.table.empty() ? "(profile)" : v.table.c_str(),
                 v.rule.c_str(), v.message.c_str());
}

int run(const ProfileArgs& a, const CliOptions& cli) {
  host::Profile profile;
  try {
    profile = host::load_profile(a.file);
  } catch (const host::ProfileParseError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  auto violations = host::check(profile);
  if (!violations.empty()) {
    print_violations(violations);
    std::fprintf(stderr, "%zu violation%s: the profile cannot be %s\n", violations.size(),
                 violations.size() == 1 ? "" : "s", *a.apply ? "applied" : "published");
    return 1;
  }
  if (*a.check) {
    std::printf("Profile '%s' is valid (%zu tables)\n", profile.name.c_str(),
                profile.tables.size());
    return 0;
  }
  try {
    auto store = open_store(cli);
    host::apply(profile, *store);
    std::printf("Applied profile '%s' (%zu tables) to %s\n", profile.name.c_str(),
                profile.tables.size(), store->path().string().c_str());
  } catch (const host::StoreError& e) {
    std::fprintf(stderr, "canvasfx profile: %s\n", e.what());
    return kStoreErrorExit;
  }
  return 0;
}

}  // namespace

HostCommand add_profile_command(CLI::App& app, const CliOptions& cli) {
  auto args = std::make_shared<ProfileArgs>();
  auto* cmd = app.add_subcommand("profile", "The offline profile: check or apply a YAML file");
  cmd->require_subcommand(1);
  args->check = cmd->add_subcommand("check", "Check a profile against the offline rules");
  args->check->add_option("file", args->file)->required()->check(CLI::ExistingFile);
  args->apply = cmd->add_subcommand("apply", "Apply a valid profile to the store");
  args->apply->add_option("file", args->file)->required()->check(CLI::ExistingFile);
  return {cmd, [args, &cli] { return run(*args, cli); }};
}

}  // namespace canvasfx::cli
#endif
