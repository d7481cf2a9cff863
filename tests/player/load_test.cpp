// Loading apps: the three source forms, diagnostics with file:line:column,
// and the shared sample apps.
#include <zip.h>

#include "player_fixture.h"

namespace canvasfx::player::testing {
namespace {

namespace fs = std::filesystem;

std::string diagnostics_text(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += format_app_diagnostic(d) + "\n";
  return out;
}

TEST(Load, PaYamlFolder) {
  TempDir dir;
  write_file(dir.path() / "Src/App.pa.yaml", "App:\n  Properties:\n    OnStart: =Set(x, 1)\n");
  write_file(dir.path() / "Src/Home.pa.yaml",
             "Screens:\n  Home:\n    Children:\n      - L:\n          Control: Label@2.5.1\n"
             "          Properties:\n            Text: |-\n              =\"a\" &\n"
             "                \"b\"\n");
  LoadResult r = load_app(dir.path());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(diagnostics_text(r), "");
  ASSERT_EQ(r.app->screens.size(), 1u);
  const ControlSource& label = r.app->screens[0].children[0];
  EXPECT_EQ(label.type, "Label@2.5.1");
  const PropertySource* text = label.property("Text");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->formula.text, "\"a\" &\n  \"b\"");
  // Offsets inside the block map to the file: the second line's "b".
  SourcePos pos = text->formula.position(9);  // 'b', after `"a" &`, a newline and `  "`
  EXPECT_EQ(pos.file, "Src/Home.pa.yaml");
  EXPECT_EQ(pos.line, 9);
  EXPECT_EQ(pos.column, 18);
  EXPECT_EQ(r.app->formula_count(), 2u);
}

TEST(Load, FileProblemsAreDiagnosticsWithPositions) {
  TempDir dir;
  write_file(dir.path() / "bad.pa.yaml", "Screens:\n  S:\n    Children: [\n");
  write_file(dir.path() / "keys.pa.yaml",
             "Screens:\n  S2:\n    Children:\n      - L:\n          Control: Label\n"
             "          Colour: red\n          Properties:\n            Text: no equals\n");
  write_file(dir.path() / "top.pa.yaml", "Widgets: {}\n");
  LoadResult r = load_app(dir.path());
  ASSERT_TRUE(r.ok());
  std::string text = diagnostics_text(r);
  EXPECT_NE(text.find("bad.pa.yaml:4:1: error: invalid YAML"), std::string::npos) << text;
  EXPECT_NE(text.find("keys.pa.yaml:6:11: error: unknown key 'Colour'"), std::string::npos) << text;
  EXPECT_NE(text.find("keys.pa.yaml:8:19: error: a formula must start with '='"), std::string::npos)
      << text;
  EXPECT_NE(text.find("top.pa.yaml:1:1: error: unknown section 'Widgets'"), std::string::npos)
      << text;
}

// The YAML reader (libyaml's events, yaml-cpp for what libyaml rejects or
// reads otherwise) keeps yaml-cpp's reading: columns in code points after
// non-ASCII text, a missing value positioned at the next token, bool words,
// anchors and aliases, and yaml-cpp's own error for bytes libyaml refuses.
TEST(Load, YamlReadAsYamlCppReadIt) {
  TempDir dir;
  write_file(dir.path() / "Src/App.pa.yaml",
             "App:\n  Properties:\n    OnStart: =Set(x, 1)\n"
             "ComponentDefinitions:\n  Card:\n    DefinitionType: CanvasComponent\n"
             "    AccessAppScope: Yes\n    CustomProperties:\n      Titre:\n"
             "        PropertyKind: Input\n        DataType: Text\n        Default: =\"é\"\n"
             "        Parameters:\n      Other:\n        PropertyKind:\n"
             "        DataType: Text\n");
  write_file(dir.path() / "Src/Home.pa.yaml",
             "Screens:\n  Home:\n    Children:\n      - Étiquette:\n          Control: Label\n"
             "          Properties:\n            Text: =\"àé\" & 1 + \"x\"\n"
             "            Color: &c =RGBA(0, 0, 0, 1)\n            Fill: *c\n");
  LoadResult r = load_app(dir.path());
  ASSERT_TRUE(r.ok());
  std::string text = diagnostics_text(r);
  // `Parameters:` with no value: null where the next token (`Other`) starts.
  EXPECT_NE(text.find("Src/App.pa.yaml:14:7: error: Parameters must be a list"), std::string::npos)
      << text;
  // `PropertyKind:` with no value: null at the next key, on the line below.
  EXPECT_NE(text.find("Src/App.pa.yaml:16:9: error: unknown PropertyKind ''"), std::string::npos)
      << text;
  ASSERT_EQ(r.app->components.size(), 1u);
  EXPECT_TRUE(r.app->components[0].access_app_scope);  // "Yes" is true, as yaml-cpp reads it
  ASSERT_EQ(r.app->screens.size(), 1u);
  ASSERT_EQ(r.app->screens[0].children.size(), 1u);
  const ControlSource& label = r.app->screens[0].children[0];
  EXPECT_EQ(label.pos.column, 9);  // `Étiquette` after `      - `
  const PropertySource* color = label.property("Color");
  const PropertySource* fill = label.property("Fill");
  ASSERT_NE(color, nullptr);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->formula.text, color->formula.text);  // the alias reads its anchor's value
  // Columns count code points: `+` is character 9 (from 0) of `"àé" & 1 + "x"`,
  // which starts at column 20 of line 7.
  const PropertySource* label_text = label.property("Text");
  ASSERT_NE(label_text, nullptr);
  ASSERT_EQ(label_text->formula.text, "\"àé\" & 1 + \"x\"");
  SourcePos plus = label_text->formula.position(9);
  EXPECT_EQ(plus.line, 7);
  EXPECT_EQ(plus.column, 20 + 9);

  // Bytes that are not UTF-8: what yaml-cpp said of them before.
  TempDir bad;
  write_file(bad.path() / "Src/App.pa.yaml", "App:\n  Properties:\n    OnStart: =\"\xff\"\n");
  LoadResult b = load_app(bad.path());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(diagnostics_text(b), "") << "yaml-cpp takes the byte as it is";
  EXPECT_EQ(b.app->app.property("OnStart")->formula.text, "\"\xff\"");
}

TEST(Load, MissingPathAndNotAnApp) {
  EXPECT_FALSE(load_app("/nonexistent/app").ok());
  TempDir dir;
  write_file(dir.path() / "readme.txt", "hello");
  LoadResult r = load_app(dir.path());
  EXPECT_NE(diagnostics_text(r).find("no app sources here"), std::string::npos);
  write_file(dir.path() / "fake.msapp", "not a zip");
  EXPECT_NE(diagnostics_text(load_app(dir.path() / "fake.msapp")).find("not a .msapp archive"),
            std::string::npos);
}

// Files in memory load as the same files in a folder do; '\\' separators
// (Studio on Windows) read as '/'.
TEST(Load, FilesInMemoryLoadAsAFolder) {
  std::map<std::string, std::string> files{
      {"Src\\App.fx.yaml", "App As appinfo:\n    OnStart: =Set(x, 1)\n"},
      {"Src/Home.fx.yaml", "Home As screen:\n\n    L As label:\n        Text: =\"a\" & \n"},
      {"Src/Folder/", "a folder entry, no file"}};
  TempDir dir;
  write_file(dir.path() / "Src/App.fx.yaml", files["Src\\App.fx.yaml"]);
  write_file(dir.path() / "Src/Home.fx.yaml", files["Src/Home.fx.yaml"]);
  LoadResult folder = load_app(dir.path());
  LoadResult memory = load_app_from_files(files, "memory-app");
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ(memory.app->path, fs::path("memory-app"));
  EXPECT_TRUE(memory.app->fx_yaml);
  EXPECT_EQ(diagnostics_text(memory), diagnostics_text(folder));
  ASSERT_EQ(memory.app->screens.size(), 1u);
  EXPECT_EQ(memory.app->screens[0].name, "Home");
  EXPECT_EQ(memory.app->formula_count(), folder.app->formula_count());
  // The unfinished formula's error points into its file.
  std::string errors = errors_of(*Runtime::create(std::move(memory)));
  EXPECT_EQ(errors, errors_of(*Runtime::create(std::move(folder))));
  EXPECT_NE(errors.find("Src/Home.fx.yaml:4:"), std::string::npos) << errors;
  EXPECT_NE(diagnostics_text(load_app_from_files({})).find("no app sources here"),
            std::string::npos);
}

// A code component package and a component's .json are read only for what
// the player uses (names, property types, enums, events; custom properties):
// the rest is passed over unparsed, however large, and the values read are
// those a whole parse gives, escapes and all. A file invalid where it is read
// is still an error saying where.
TEST(Load, PackagesAreReadForWhatThePlayerUses) {
  std::string skipped =
      R"("Resources": [{"Code": "x", "Text": "a \" } ] { [ quote", "N": [1, {"d": null}]}])";
  std::string package =
      R"({)" + skipped + R"(, "Name": "Pic\u0041ker", "ControlConstructor": "PickerCanvas",
        "ControlNamespace": "PowerApps.CoreControls",
        "Properties": [{"Name": "Mode", "Description": "long text", "Type": 1, "Usage": 0,
                        "DefaultValue": "'Mode'.Single \\ \"x\"\t\u00e9",
                        "EnumValues": [{"Name": "Single", "Value": "single"}, {"Name": "Multi"}]},
                       {"Name": "Selected", "Type": 5, "Usage": 1, "DefaultValue": "a\\b\n/"}],
        "CommonEvents": [{"Name": "OnChange", "Description": "x"}],
        "PropertyDependencies": [{"Output": "Selected", "Input": "Items", "Kind": 2}]})";
  std::string component_json =
      R"({"ComponentDefinitionInfo": {"Children": [{"Rules": ["{ not [ json"]}]},
          "ComponentManifest": {"Name": "Card", "AllowAccessToGlobals": true, "Guid": "g"},
          "CustomProperties": [{"Name": "Title", "PropertyDataTypeKey": "String"}]})";
  LoadResult r = load_app_from_files(
      {{"Src/App.fx.yaml", "App As appinfo:\n    OnStart: =Set(x, 1)\n"},
       {"Src/Components/Card.fx.yaml", "Card As CanvasComponent:\n    Title: =\"t\"\n"},
       {"Src/Components/Card.json", component_json},
       {"pkgs/PcfControlTemplates/Picker.json", package},
       {"pkgs/PcfControlTemplates/Broken.json",
        R"({"Resources": [], "Properties": [{"Name": "A", "Type": 1,}]})"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(diagnostics_text(r),
            "pkgs/PcfControlTemplates/Broken.json:1:1: error: invalid JSON: "
            "[json.exception.parse_error.101] parse error at line 1, column 58: syntax error "
            "while parsing object key - unexpected '}'; expected string literal\n");
  ASSERT_EQ(r.app->pcf_templates.size(), 1u);
  const PcfTemplateSource& picker = r.app->pcf_templates[0];
  EXPECT_EQ(picker.name, "PicAker");
  EXPECT_EQ(picker.constructor, "PickerCanvas");
  EXPECT_EQ(picker.namespace_, "PowerApps.CoreControls");
  ASSERT_EQ(picker.properties.size(), 2u);
  EXPECT_EQ(picker.properties[0].name, "Mode");
  EXPECT_EQ(picker.properties[0].type, 1);
  EXPECT_EQ(picker.properties[0].default_value, "'Mode'.Single \\ \"x\"\t\xc3\xa9");
  std::vector<std::pair<std::string, std::string>> modes{{"Single", "single"}, {"Multi", "Multi"}};
  EXPECT_EQ(picker.properties[0].enum_values, modes);
  EXPECT_TRUE(picker.properties[1].output);
  EXPECT_EQ(picker.properties[1].default_value, "a\\b\n/");
  EXPECT_EQ(picker.events, std::vector<std::string>{"OnChange"});
  std::vector<std::pair<std::string, std::string>> dependencies{{"Selected", "Items"}};
  EXPECT_EQ(picker.dependencies, dependencies);
  ASSERT_EQ(r.app->components.size(), 1u);
  const ComponentSource& card = r.app->components[0];
  EXPECT_TRUE(card.access_app_scope);
  ASSERT_EQ(card.custom_properties.size(), 1u);
  EXPECT_EQ(card.custom_properties[0].name, "Title");
  EXPECT_EQ(card.custom_properties[0].data_type, "Text");
}

// An alias shares a YAML node: here a screen would be its own child, which the
// loader walked until the stack overflowed (found by app_source_fuzzer).
TEST(Load, YamlAliasIsAnErrorNotALoop) {
  LoadResult r =
      load_app_from_files({{"Src/App.pa.yaml", "Screens:\n  S: &a\n    Children:\n      - L: *a\n"},
                           {"Src/Other.pa.yaml", "Screens:\n  T:\n    Children: []\n"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(diagnostics_text(r),
            "Src/App.pa.yaml:4:12: error: YAML aliases (*name) are not supported in app source: "
            "write the value out\n");
  ASSERT_EQ(r.app->screens.size(), 1u);  // the other file still loads
  EXPECT_EQ(r.app->screens[0].name, "T");
}

// A .msapp is a zip: pack a folder into one with libzip and load it.
void zip_folder(const fs::path& folder, const fs::path& archive) {
  int error = 0;
  zip_t* z = zip_open(archive.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(z, nullptr);
  std::vector<std::string> contents;  // kept alive until zip_close writes them
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    contents.push_back(read_file(entry.path()));
    zip_source_t* src = zip_source_buffer(z, contents.back().data(), contents.back().size(), 0);
    ASSERT_NE(src, nullptr);
    std::string name = fs::relative(entry.path(), folder).generic_string();
    ASSERT_GE(zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE), 0);
  }
  ASSERT_EQ(zip_close(z), 0);
}

TEST(Load, ZippedMsapp) {
  fs::path hello = shared_apps() / "pa-yaml-samples" / "HelloWorld.msapp";
  if (!fs::exists(hello)) GTEST_SKIP() << "shared samples not present";
  TempDir dir;
  fs::path archive = dir.path() / "HelloWorld.msapp";
  zip_folder(hello, archive);
  LoadResult unpacked = load_app(hello);
  LoadResult zipped = load_app(archive);
  ASSERT_TRUE(zipped.ok()) << diagnostics_text(zipped);
  EXPECT_EQ(diagnostics_text(zipped), diagnostics_text(unpacked));
  EXPECT_EQ(zipped.app->formula_count(), unpacked.app->formula_count());
  ASSERT_EQ(zipped.app->screens.size(), 1u);
  EXPECT_EQ(zipped.app->screens[0].name, "HelloScreen");
  auto runtime = Runtime::create(std::move(zipped));
  EXPECT_EQ(errors_of(*runtime), "");
  runtime->start();
  EXPECT_EQ(print_value(runtime->value("TextCanvas1", "Text", -1)), "\"Hello Power Apps!\"");
}

TEST(Load, UnpackedMsappInTheOlderFormat) {
  fs::path app = shared_apps() / "PowerArkanoid";
  if (!fs::exists(app)) GTEST_SKIP() << "shared apps not present";
  LoadResult r = load_app(app);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.app->fx_yaml);
  ASSERT_EQ(r.app->screens.size(), 2u);
  EXPECT_EQ(r.app->screens[0].name, "PlayerSelectorScreen");  // the manifest's order
  EXPECT_EQ(r.app->app.name, "App");
  EXPECT_NE(r.app->app.property("OnStart"), nullptr);
  EXPECT_FALSE(r.app->data_sources.empty());
}

// The schema's test pieces: diagnostics or an app, never a crash.
TEST(Load, SchemaSamplesNeverCrash) {
  for (const char* name : {"FullSchemaUses", "ValidYaml-CI", "Examples"}) {
    fs::path folder = shared_apps() / "pa-yaml-samples" / name;
    if (!fs::exists(folder)) GTEST_SKIP() << "shared samples not present";
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (entry.path().extension() != ".yaml") continue;
      LoadResult r = load_app(entry.path());
      ASSERT_TRUE(r.ok()) << entry.path();
      auto runtime = Runtime::create(std::move(r));
      runtime->start();
    }
    auto runtime = Runtime::create(load_app(folder));
    runtime->start();
  }
}

}  // namespace
}  // namespace canvasfx::player::testing
