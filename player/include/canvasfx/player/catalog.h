// The control catalog: the control types the player knows (Label, Gallery,
// Form ...), their properties with types and defaults, which properties are
// behavior (OnSelect) and which are outputs the control computes
// (TextInput.Text, Gallery.Selected). The data is catalog/controls.yaml,
// compiled into the library; see its header for the notation.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "canvasfx/value.h"

namespace canvasfx::player {

enum class PropertyRole : uint8_t {
  Data,      // a data-flow formula, recalculated when what it reads changes
  Behavior,  // runs on an event (OnSelect); may call behavior functions
  Output,    // computed by the control (read-only)
  Formulas,  // App.Formulas: named formulas
};

struct PropertySpec {
  std::string name;
  std::string type;  // the catalog's type notation: "s", "n", "e:Align", "T", "*", "out:items" ...
  std::string default_formula;  // "" when none
  PropertyRole role = PropertyRole::Data;
  // The static type; Unknown for types that come from the formula (T, r, *)
  // and for out:items / out:itemstable (the control's Items decide).
  Type static_type;
};

struct ControlType {
  std::string name;  // the catalog's name ("Label", "ModernButton")
  std::string kind;  // the runtime behavior: plain, button, textinput, gallery, form ...
  std::vector<std::string> ids;          // pa.yaml Control ids and fx.yaml template names
  std::vector<PropertySpec> properties;  // sorted by name
  // `state: OUT <- IN`: OUT holds the user's input, starting from IN.
  std::string state_output, state_input;
  const PropertySpec* property(std::string_view name) const;
};

struct EnumSpec {
  std::string name;
  TypeKind underlying = TypeKind::Text;
  std::vector<std::pair<std::string, Value>> members;
};

class Catalog {
 public:
  // The catalog compiled into the player.
  static const Catalog& builtin();
  // Parses a catalog in the controls.yaml notation; throws std::runtime_error.
  explicit Catalog(std::string_view yaml);

  // By a pa.yaml id ("Classic/Button", "Label@2.5.1": the version is ignored)
  // or an fx.yaml template name ("button", "gallery").
  const ControlType* find(std::string_view id) const;
  const ControlType* by_name(std::string_view name) const;
  const std::vector<ControlType>& types() const { return types_; }
  const std::vector<EnumSpec>& enums() const { return enums_; }
  const EnumSpec* find_enum(std::string_view name) const;

  // The static type of a property type notation (Unknown for formula-typed ones).
  Type type_of(std::string_view notation) const;

 private:
  std::vector<ControlType> types_;
  std::vector<EnumSpec> enums_;
};

}  // namespace canvasfx::player
