// The source loaders behind load_app (load.cpp): each reads one form of
// source from a SourceTree into an AppSource, reporting problems to a sink.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "canvasfx/player/source.h"
#include "source_tree.h"
#include "yaml_source.h"

namespace canvasfx::player {

// *.pa.yaml files (schema v3). `files` are the tree's paths to read.
void load_pa_yaml(const SourceTree& tree, const std::vector<std::string>& files, AppSource& app,
                  DiagnosticSink& sink);

// An unpacked msapp in the older format: Src/*.fx.yaml, Src/Components/*.json,
// pkgs/Components.
void load_fx_yaml(const SourceTree& tree, AppSource& app, DiagnosticSink& sink);

// The app's metadata around its formulas: CanvasManifest.json or Properties.json
// (size, preview flags, screen order), DataSources/*.json or
// References/DataSources.json, Assets and resources, pkgs/ templates and table
// definitions.
void load_metadata(const SourceTree& tree, AppSource& app, DiagnosticSink& sink);

// The parts of a JSON value a loader reads: members of an object by name,
// each whole or in turn only its `inner` parts (an array's elements each).
struct JsonKeep {
  std::string key;
  std::vector<JsonKeep> inner;  // empty: the whole value
};

// A JSON text as nlohmann::json::parse gives it, with only the parts `keep`
// names; the others are passed over without being parsed (only their strings
// and brackets must match). Invalid JSON where it is read throws
// nlohmann::json::parse's error.
nlohmann::json parse_json_kept(std::string_view text, const std::vector<JsonKeep>& keep);

// "*[Name:s, Qty:n]" as a list of columns (name, type letter or nested schema).
std::vector<std::pair<std::string, std::string>> schema_columns(std::string_view schema);

}  // namespace canvasfx::player
