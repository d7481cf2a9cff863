// `canvasfx profile check FILE`: every rule violation, one a line with its
// table and rule id; exit 1 when there is any (or the YAML is malformed).
// `canvasfx profile apply FILE`: applies a valid profile to the store
// (replacing its local tables); an invalid one is reported and changes nothing.
// Applying drops the upsync queue, so a store with pending changes or
// unresolved sync errors is refused (kExitRefused) unless --discard-pending
// says to lose them; either way the command says how many.
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
  bool discard_pending = false;
  CLI::App *check, *apply;
};

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

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
    return kExitFailure;
  }
  auto violations = host::check(profile);
  if (!violations.empty()) {
    print_violations(violations);
    std::fprintf(stderr, "%zu violation%s: the profile cannot be %s\n", violations.size(),
                 violations.size() == 1 ? "" : "s", *a.apply ? "applied" : "published");
    return kExitFailure;
  }
  if (*a.check) {
    std::printf("Profile '%s' is valid (%zu tables)\n", profile.name.c_str(),
                profile.tables.size());
    return kExitOk;
  }
  std::unique_ptr<host::Store> store;
  try {
    store = open_store(cli);
  } catch (const host::StoreError& e) {
    std::fprintf(stderr, "canvasfx profile: %s\n", e.what());
    return kExitStore;
  }
  try {
    size_t pending = static_cast<size_t>(store->queue_size());
    auto errors = store->sync_errors(/*unresolved_only=*/true);
    std::string at_stake;
    if (pending > 0) at_stake = plural(pending, "pending change", "pending changes");
    if (!errors.empty())
      at_stake += (at_stake.empty() ? "" : " and ") +
                  plural(errors.size(), "unresolved sync error", "unresolved sync errors");
    if (!at_stake.empty() && !a.discard_pending) {
      std::fprintf(stderr,
                   "canvasfx profile: the store has %s that applying a profile would lose; "
                   "sync first, or give --discard-pending to lose them. Nothing was changed.\n",
                   at_stake.c_str());
      return kExitRefused;
    }
    host::apply(profile, *store);
    for (const auto& e : errors) store->resolve_error(e.id);
    if (!at_stake.empty()) std::printf("Discarded %s\n", at_stake.c_str());
    std::printf("Applied profile '%s' (%zu tables) to %s\n", profile.name.c_str(),
                profile.tables.size(), store->path().string().c_str());
  } catch (const host::StoreError& e) {
    std::fprintf(stderr, "canvasfx profile: %s\n", e.what());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

HostCommand add_profile_command(CLI::App& app, const CliOptions& cli) {
  auto args = std::make_shared<ProfileArgs>();
  auto* cmd = app.add_subcommand("profile", "The offline profile: check or apply a YAML file");
  cmd->require_subcommand(1);
  args->check = cmd->add_subcommand("check", "Check a profile against the offline rules");
  args->check->add_option("file", args->file, "The profile, YAML (host/PROFILE.md)")
      ->required()
      ->check(CLI::ExistingFile);
  args->apply = cmd->add_subcommand("apply", "Apply a valid profile to the store");
  args->apply->add_option("file", args->file, "The profile, YAML (host/PROFILE.md)")
      ->required()
      ->check(CLI::ExistingFile);
  args->apply->add_flag("--discard-pending", args->discard_pending,
                        "Apply even when the store has pending changes or unresolved sync "
                        "errors, losing them");
  return {cmd, [args, &cli] { return run(*args, cli); }};
}

}  // namespace canvasfx::cli
#endif
