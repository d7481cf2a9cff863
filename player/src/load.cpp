// load_app: decides which form of source a path holds and runs its loaders.
#include <fmt/format.h>

#include "loaders.h"

namespace canvasfx::player {

namespace fs = std::filesystem;

namespace {

bool is_zip(const fs::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char magic[4] = {};
  size_t n = std::fread(magic, 1, 4, f);
  std::fclose(f);
  return n == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

void load_tree(const SourceTree& tree, AppSource& app, DiagnosticSink& sink) {
  std::vector<std::string> fx = tree.find("Src/", ".fx.yaml");
  if (!fx.empty()) {
    app.fx_yaml = true;
    load_fx_yaml(tree, app, sink);
  } else {
    // An msapp (or a folder like one) keeps its *.pa.yaml under Src/; a plain
    // folder of sources has them anywhere.
    std::vector<std::string> pa = tree.find("Src/", ".pa.yaml");
    if (pa.empty()) pa = tree.find("", ".pa.yaml");
    if (pa.empty()) {
      std::string what = tree.has_folder("Controls/")
                             ? "this .msapp has no Src/ folder (saved by an older Studio): unpack "
                               "it with 'pac canvas unpack' and load the folder"
                             : "no app sources here (no Src/*.fx.yaml and no *.pa.yaml file)";
      sink.error(SourcePos{".", 1, 1}, what);
      return;
    }
    load_pa_yaml(tree, pa, app, sink);
    if (app.app.name.empty()) {
      app.app.name = "App";
      app.app.type = "App";
    }
  }
  load_metadata(tree, app, sink);
}

}  // namespace

LoadResult load_app(const fs::path& path) {
  LoadResult result;
  DiagnosticSink sink(result.diagnostics);
  std::error_code ec;
  std::unique_ptr<SourceTree> tree;
  if (fs::is_directory(path, ec)) {
    tree = open_folder(path);
  } else if (fs::is_regular_file(path, ec)) {
    if (is_zip(path)) {
      std::string error;
      tree = open_zip(path, error);
      if (!tree) {
        sink.error(SourcePos{path.filename().string(), 1, 1},
                   "cannot read the .msapp archive: " + error);
        return result;
      }
    } else if (path.string().ends_with(".msapp")) {
      sink.error(SourcePos{path.filename().string(), 1, 1},
                 "not a .msapp archive (a .msapp file is a zip archive)");
      return result;
    } else {
      tree = open_single_file(path);
    }
  } else {
    sink.error(SourcePos{path.string(), 0, 0}, "no such file or folder");
    return result;
  }
  auto app = std::make_unique<AppSource>();
  app->path = path;
  load_tree(*tree, *app, sink);
  result.app = std::move(app);
  return result;
}

LoadResult load_app_from_files(const std::map<std::string, std::string>& files,
                               const fs::path& path) {
  LoadResult result;
  DiagnosticSink sink(result.diagnostics);
  auto app = std::make_unique<AppSource>();
  app->path = path;
  load_tree(*open_memory(files), *app, sink);
  result.app = std::move(app);
  return result;
}

}  // namespace canvasfx::player
