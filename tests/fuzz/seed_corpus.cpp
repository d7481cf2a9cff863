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
//                       with rows and queue entries, a running sync with errors.
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
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
  std::printf("%d seed files in %s\n", written, out.c_str());
  return 0;
}
