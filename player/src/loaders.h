// The source loaders behind load_app (load.cpp): each reads one form of
// source from a SourceTree into an AppSource, reporting problems to a sink.
#pragma once

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

// "*[Name:s, Qty:n]" as a list of columns (name, type letter or nested schema).
std::vector<std::pair<std::string, std::string>> schema_columns(std::string_view schema);

}  // namespace canvasfx::player
