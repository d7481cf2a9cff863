// Folder, zip and in-memory source trees (source_tree.h). Zip archives are
// read with libzip; entry names are taken as they are, with '\' turned into '/'
// because Studio on Windows has written both.
#include "source_tree.h"

#include <zip.h>

#include <algorithm>
#include <fstream>
#include <map>

namespace canvasfx::player {

namespace fs = std::filesystem;

std::vector<std::string> SourceTree::find(std::string_view folder, std::string_view suffix) const {
  std::vector<std::string> out;
  for (const auto& f : files())
    if (f.size() >= folder.size() + suffix.size() && f.compare(0, folder.size(), folder) == 0 &&
        f.compare(f.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(f);
  return out;
}

bool SourceTree::has_folder(std::string_view folder) const {
  return std::any_of(files().begin(), files().end(), [&](const std::string& f) {
    return f.compare(0, folder.size(), folder) == 0;
  });
}

namespace {

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  // One read of the whole file into its string (a stream copy goes through
  // the stream's buffer and copies the text once more).
  std::streamoff size = in.tellg();
  if (size < 0) return std::nullopt;
  std::string text(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) return std::nullopt;
  return text;
}

class FolderTree final : public SourceTree {
 public:
  explicit FolderTree(fs::path root) : root_(std::move(root)) {
    std::error_code ec;
    for (fs::recursive_directory_iterator
             it(root_, fs::directory_options::skip_permission_denied, ec),
         end;
         !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec))
        // Lexically: the iterator's paths are root_/..., and resolving each
        // file's links and every folder of its path (fs::relative) costs a
        // system call per component for nothing.
        files_.push_back(it->path().lexically_relative(root_).generic_string());
    }
    std::sort(files_.begin(), files_.end());
  }
  const std::vector<std::string>& files() const override { return files_; }
  std::optional<std::string> read(const std::string& path) const override {
    return read_file(root_ / path);
  }

 private:
  fs::path root_;
  std::vector<std::string> files_;
};

class SingleFileTree final : public SourceTree {
 public:
  explicit SingleFileTree(fs::path file) : file_(std::move(file)) {
    files_.push_back(file_.filename().string());
  }
  const std::vector<std::string>& files() const override { return files_; }
  std::optional<std::string> read(const std::string& path) const override {
    if (path != files_[0]) return std::nullopt;
    return read_file(file_);
  }

 private:
  fs::path file_;
  std::vector<std::string> files_;
};

// Files held in memory: a zip archive is read whole at once (an app's sources
// are a few megabytes), and apps given as files in memory are kept as given.
class MemoryTree final : public SourceTree {
 public:
  explicit MemoryTree(std::map<std::string, std::string> contents)
      : contents_(std::move(contents)) {
    for (const auto& [name, text] : contents_) names_.push_back(name);  // sorted: a map's order
  }
  const std::vector<std::string>& files() const override { return names_; }
  std::optional<std::string> read(const std::string& path) const override {
    auto it = contents_.find(path);
    if (it == contents_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, std::string> contents_;
  std::vector<std::string> names_;
};

// An entry name as the loaders see it: '/' separators (Studio on Windows
// wrote Src\App.fx.yaml too); "" for a folder entry.
std::string entry_name(std::string name) {
  std::replace(name.begin(), name.end(), '\\', '/');
  if (!name.empty() && name.back() == '/') return {};
  return name;
}

}  // namespace

std::unique_ptr<SourceTree> open_folder(const fs::path& root) {
  return std::make_unique<FolderTree>(root);
}

std::unique_ptr<SourceTree> open_single_file(const fs::path& file) {
  return std::make_unique<SingleFileTree>(file);
}

std::unique_ptr<SourceTree> open_memory(const std::map<std::string, std::string>& files) {
  std::map<std::string, std::string> contents;
  for (const auto& [name, text] : files) {
    std::string path = entry_name(name);
    if (!path.empty()) contents[path] = text;
  }
  return std::make_unique<MemoryTree>(std::move(contents));
}

std::unique_ptr<SourceTree> open_zip(const fs::path& archive, std::string& error) {
  int code = 0;
  zip_t* zip = zip_open(archive.c_str(), ZIP_RDONLY, &code);
  if (!zip) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    error = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return nullptr;
  }
  std::map<std::string, std::string> contents;
  zip_int64_t count = zip_get_num_entries(zip, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) continue;
    std::string name = entry_name(st.name);
    if (name.empty()) continue;  // a folder entry
    zip_file_t* file = zip_fopen_index(zip, i, 0);
    if (!file) {
      error = std::string("cannot read ") + name + ": " + zip_strerror(zip);
      zip_close(zip);
      return nullptr;
    }
    std::string data;
    char buffer[65536];
    zip_int64_t n;
    while ((n = zip_fread(file, buffer, sizeof buffer)) > 0) data.append(buffer, n);
    bool failed = n < 0;
    zip_fclose(file);
    if (failed) {
      error = std::string("cannot read ") + name + " (corrupt archive)";
      zip_close(zip);
      return nullptr;
    }
    contents[name] = std::move(data);
  }
  zip_close(zip);
  return std::make_unique<MemoryTree>(std::move(contents));
}

}  // namespace canvasfx::player
