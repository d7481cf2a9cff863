// Writes the seed corpora of the fuzzers (tests/fuzz/run_fuzzers.sh):
//
//   canvasfx_fuzz_seeds OUT_DIR SOURCE_DIR
//
//   OUT_DIR/formula     every case of our conformance files (tests/conformance,
//                       SOURCE_DIR), as a data-flow and as a behavior formula
//                       (the formula fuzzer's mode byte), and a few definitions;
//   OUT_DIR/profile     the demo profile, the fuzzers' tiny profile and the
//                       YAML examples of host/PROFILE.md;
//   OUT_DIR/store_file  small valid stores: the schema alone, the tiny profile
//                       with rows and queue entries, a running sync with errors;
//   OUT_DIR/app_source  apps in the app-source fuzzer's form (a mode byte, then
//                       `#file NAME` sections): our example app
//                       (examples/offline-app), and when SOURCE_DIR/../shared
//                       is there its apps and pa.yaml samples: each *.pa.yaml and
//                       *.fx.yaml file alone, each folder of them as one app, and
//                       each fx.yaml screen with its app's App.fx.yaml and manifest.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "canvasfx/host/profile.h"
#include "canvasfx/host/store.h"
#include "fuzz_support.h"

namespace fs = std::filesystem;

namespace {

int written = 0;

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ++written;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The inputs of a conformance file (CONFORMANCE.md: `>>` starts a case,
// following lines that begin with a space continue it).
std::vector<std::string> cases_of(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  bool open = false;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(">>", 0) == 0) {
      out.push_back(line.substr(line.size() > 2 && line[2] == ' ' ? 3 : 2));
      open = true;
    } else if (open && !line.empty() && line[0] == ' ') {
      out.back() += "\r\n" + line;
    } else {
      open = false;
    }
    at = end + 1;
  }
  return out;
}

void formula_seeds(const fs::path& out, const fs::path& conformance) {
  fs::create_directories(out);
  int n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(conformance)) {
    if (entry.path().extension() != ".txt") continue;
    bool mutation = entry.path().parent_path().filename() == "mutation";
    for (const std::string& formula : cases_of(read(entry.path()))) {
      // Mode byte: 0 data-flow, 3 behavior with REPL declarations.
      if (!mutation) write(out / ("case-" + std::to_string(++n)), std::string(1, '\0') + formula);
      write(out / ("case-" + std::to_string(++n)), std::string(1, '\3') + formula);
    }
  }
  write(out / "definitions-1",
        std::string(1, '\4') + "Rate = 0.2; Net(x: Number): Number = x * (1 - Rate);");
  write(out / "definitions-2", std::string(1, '\4') + "Big = Filter(Accounts, Revenue > 1000);");
  write(out / "host-1", std::string(1, '\0') + "CountRows(Filter(Accounts, City = \"Seattle\"))");
  write(out / "host-2", std::string(1, '\1') +
                            "Patch(Accounts, First(Accounts), {Name: \"q\"}); "
                            "IfError(Collect(Contacts, {FullName: \"x\"}), FirstError.Message)");
}

void profile_seeds(const fs::path& out, const fs::path& profile_md) {
  fs::create_directories(out);
  write(out / "demo.yaml", std::string(canvasfx::host::demo_profile_yaml()));
  write(out / "tiny.yaml", std::string(canvasfx::fuzz::kTinyProfile));
  std::string md = read(profile_md);
  int n = 0;
  for (size_t at = md.find("```yaml"); at != std::string::npos; at = md.find("```yaml", at)) {
    size_t start = md.find('\n', at) + 1;
    size_t end = md.find("```", start);
    if (end == std::string::npos) break;
    write(out / ("profile-md-" + std::to_string(++n) + ".yaml"), md.substr(start, end - start));
    at = end + 3;
  }
}

void store_seeds(const fs::path& out) {
  using namespace canvasfx::host;
  fs::create_directories(out);
  fs::path scratch = out / ".scratch.db";
  auto make = [&](const std::string& name, auto&& fill) {
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(scratch.string() + s, ec);
    {
      auto store = Store::open(scratch, {.create = true});
      fill(*store);
    }
    // Smaller pages make a smaller file for the fuzzer to mutate (86 KB -> ~15 KB).
    sqlite3* db = nullptr;
    sqlite3_open(scratch.c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode = DELETE; PRAGMA page_size = 512; VACUUM; "
                 "PRAGMA journal_mode = WAL;",
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
    write(out / name, read(scratch));
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(scratch.string() + s, ec);
  };
  make("schema-only.db", [](Store&) {});
  make("tiny.db", [](Store& s) { canvasfx::fuzz::fill_tiny_store(s); });
  make("tiny-sync.db", [](Store& s) {
    canvasfx::fuzz::fill_tiny_store(s);
    int64_t run = s.begin_sync(true);
    SyncRunResult result;
    SyncError error;
    error.table = "Accounts";
    error.message = "Conflict on save";
    result.errors.push_back(error);
    s.end_sync(run, result);
    s.begin_sync();
  });
}

// The app-source fuzzer's -max_len (scripts/run_fuzzers.sh): a longer seed
// would be cut.
constexpr size_t kAppSeedLimit = 65536;

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_source(const fs::path& p) {
  std::string name = p.filename().string();
  return ends_with(name, ".pa.yaml") || ends_with(name, ".fx.yaml");
}

// An app-source input: the mode byte (bit 0: the fx.yaml form), then each
// file after its `#file NAME` line. Files are added in order while they fit.
class AppSeed {
 public:
  explicit AppSeed(bool fx_yaml) : bytes_(1, fx_yaml ? '\1' : '\0') {}
  bool add(const std::string& name, const std::string& text) {
    std::string section = "#file " + name + "\n" + text;
    if (!section.empty() && section.back() != '\n') section += '\n';
    if (bytes_.size() + section.size() > kAppSeedLimit) return false;
    bytes_ += section;
    ++files_;
    return true;
  }
  int files() const { return files_; }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  int files_ = 0;
};

struct AppSeedWriter {
  fs::path out;
  int n = 0;
  void operator()(const AppSeed& seed) {
    if (seed.files() > 0) write(out / ("app-" + std::to_string(++n)), seed.bytes());
  }
};

// The regular files under `folder` (recursively), sorted by path.
std::vector<fs::path> files_under(const fs::path& folder) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

// An app folder (one holding Src/): each screen of the fx.yaml form with the
// app's App.fx.yaml and manifest; the whole app's sources and metadata, as
// much as fits (sources first, then the smallest JSON files).
void app_folder_seeds(const fs::path& app, AppSeedWriter& emit) {
  std::vector<fs::path> sources, metadata;
  for (const auto& f : files_under(app)) {
    std::string relative = fs::relative(f, app).generic_string();
    if (relative.starts_with("Src/") && is_source(f))
      sources.push_back(f);
    else if (f.extension() == ".json" && !relative.starts_with("Src/EditorState/") &&
             !relative.starts_with("Entropy/"))
      metadata.push_back(f);
  }
  if (sources.empty()) return;
  bool fx = ends_with(sources[0].filename().string(), ".fx.yaml");
  auto name_of = [&](const fs::path& f) { return fs::relative(f, app).generic_string(); };
  fs::path app_file = app / "Src" / "App.fx.yaml", manifest = app / "CanvasManifest.json";
  if (fx)
    for (const auto& screen : sources) {
      if (screen == app_file) continue;
      AppSeed seed(true);
      if (fs::exists(app_file)) seed.add(name_of(app_file), read(app_file));
      seed.add(name_of(screen), read(screen));
      if (fs::exists(manifest)) seed.add(name_of(manifest), read(manifest));
      emit(seed);
    }
  std::sort(metadata.begin(), metadata.end(), [](const fs::path& a, const fs::path& b) {
    return fs::file_size(a) < fs::file_size(b);
  });
  AppSeed whole(fx);
  for (const auto& f : sources) whole.add(name_of(f), read(f));
  for (const auto& f : metadata) whole.add(name_of(f), read(f));
  emit(whole);
}

// A source file's name in a seed: from its app's Src/ on (Src/Components/C.fx.yaml),
// else Src/<file name>.
std::string seed_name(const fs::path& file) {
  std::string path = file.generic_string();
  size_t src = path.rfind("/Src/");
  return src == std::string::npos ? "Src/" + file.filename().string() : path.substr(src + 1);
}

// Every *.pa.yaml / *.fx.yaml under `root` alone (named by seed_name), every folder holding
// *.pa.yaml files as one app, and every app folder (app_folder_seeds).
void app_seeds_under(const fs::path& root, AppSeedWriter& emit) {
  if (!fs::is_directory(root)) return;
  std::map<fs::path, std::vector<fs::path>> by_folder;
  for (const auto& f : files_under(root)) {
    if (!is_source(f)) continue;
    bool fx = ends_with(f.filename().string(), ".fx.yaml");
    AppSeed alone(fx);
    alone.add(seed_name(f), read(f));
    emit(alone);
    if (!fx) by_folder[f.parent_path()].push_back(f);
  }
  for (const auto& [folder, sources] : by_folder) {
    if (sources.size() < 2) continue;
    AppSeed together(false);
    for (const auto& f : sources) together.add("Src/" + f.filename().string(), read(f));
    emit(together);
  }
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec) && fs::is_directory(it->path() / "Src"))
      app_folder_seeds(it->path(), emit);
}

void app_source_seeds(const fs::path& out, const fs::path& source) {
  fs::create_directories(out);
  AppSeedWriter emit{out};
  app_seeds_under(source / "examples", emit);
  // The shared reference material, when this checkout sits beside it (read only).
  fs::path shared = source / ".." / "shared";
  app_seeds_under(shared / "apps", emit);
  app_seeds_under(shared / "reference" / "pa-yaml", emit);
  app_seeds_under(shared / "reference" / "pa-yaml-samples", emit);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR SOURCE_DIR\n", argv[0]);
    return 2;
  }
  fs::path out = argv[1], source = argv[2];
  formula_seeds(out / "formula", source / "tests" / "conformance");
  profile_seeds(out / "profile", source / "host" / "PROFILE.md");
  store_seeds(out / "store_file");
  app_source_seeds(out / "app_source", source);
  std::printf("%d seed files in %s\n", written, out.c_str());
  return 0;
}
