// The files of an app, from a folder, a .msapp (zip) archive or memory, read
// the same way by the loaders.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace canvasfx::player {

class SourceTree {
 public:
  virtual ~SourceTree() = default;
  // Every file, as a path relative to the root with '/' separators, sorted.
  virtual const std::vector<std::string>& files() const = 0;
  virtual std::optional<std::string> read(const std::string& path) const = 0;

  // The files under `folder` ("Src/", "" for all) whose name ends with `suffix`.
  std::vector<std::string> find(std::string_view folder, std::string_view suffix) const;
  bool has_folder(std::string_view folder) const;  // "Src/"
};

std::unique_ptr<SourceTree> open_folder(const std::filesystem::path& root);
// One file, named by its file name.
std::unique_ptr<SourceTree> open_single_file(const std::filesystem::path& file);
// Files given in memory: relative path -> contents ('\' read as '/').
std::unique_ptr<SourceTree> open_memory(const std::map<std::string, std::string>& files);
// A zip archive; nullptr with `error` set when it is not one.
std::unique_ptr<SourceTree> open_zip(const std::filesystem::path& archive, std::string& error);

}  // namespace canvasfx::player
