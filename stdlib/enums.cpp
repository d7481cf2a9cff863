// The builtin enums of the canvas configuration that the language core needs:
// Color (the CSS named colors, function-colors.md) and ErrorKind.
// Other families register their own enums (TimeUnit, StartOfWeek ...) the same way.
#include <memory>
#include <utility>

#include "canvasfx/unicode.h"
#include "families.h"

namespace canvasfx::stdlib {
namespace {

struct NamedColor {
  const char* name;
  uint32_t rgba;
};

const NamedColor kColors[] = {
    {"AliceBlue", 0xF0F8FFFFu},
    {"AntiqueWhite", 0xFAEBD7FFu},
    {"Aqua", 0x00FFFFFFu},
    {"Aquamarine", 0x7FFFD4FFu},
    {"Azure", 0xF0FFFFFFu},
    {"Beige", 0xF5F5DCFFu},
    {"Bisque", 0xFFE4C4FFu},
    {"Black", 0x000000FFu},
    {"BlanchedAlmond", 0xFFEBCDFFu},
    {"Blue", 0x0000FFFFu},
    {"BlueViolet", 0x8A2BE2FFu},
    {"Brown", 0xA52A2AFFu},
    {"BurlyWood", 0xDEB887FFu},
    {"CadetBlue", 0x5F9EA0FFu},
    {"Chartreuse", 0x7FFF00FFu},
    {"Chocolate", 0xD2691EFFu},
    {"Coral", 0xFF7F50FFu},
    {"CornflowerBlue", 0x6495EDFFu},
    {"Cornsilk", 0xFFF8DCFFu},
    {"Crimson", 0xDC143CFFu},
    {"Cyan", 0x00FFFFFFu},
    {"DarkBlue", 0x00008BFFu},
    {"DarkCyan", 0x008B8BFFu},
    {"DarkGoldenRod", 0xB8860BFFu},
    {"DarkGray", 0xA9A9A9FFu},
    {"DarkGreen", 0x006400FFu},
    {"DarkGrey", 0xA9A9A9FFu},
    {"DarkKhaki", 0xBDB76BFFu},
    {"DarkMagenta", 0x8B008BFFu},
    {"DarkOliveGreen", 0x556B2FFFu},
    {"DarkOrange", 0xFF8C00FFu},
    {"DarkOrchid", 0x9932CCFFu},
    {"DarkRed", 0x8B0000FFu},
    {"DarkSalmon", 0xE9967AFFu},
    {"DarkSeaGreen", 0x8FBC8FFFu},
    {"DarkSlateBlue", 0x483D8BFFu},
    {"DarkSlateGray", 0x2F4F4FFFu},
    {"DarkSlateGrey", 0x2F4F4FFFu},
    {"DarkTurquoise", 0x00CED1FFu},
    {"DarkViolet", 0x9400D3FFu},
    {"DeepPink", 0xFF1493FFu},
    {"DeepSkyBlue", 0x00BFFFFFu},
    {"DimGray", 0x696969FFu},
    {"DimGrey", 0x696969FFu},
    {"DodgerBlue", 0x1E90FFFFu},
    {"FireBrick", 0xB22222FFu},
    {"FloralWhite", 0xFFFAF0FFu},
    {"ForestGreen", 0x228B22FFu},
    {"Fuchsia", 0xFF00FFFFu},
    {"Gainsboro", 0xDCDCDCFFu},
    {"GhostWhite", 0xF8F8FFFFu},
    {"Gold", 0xFFD700FFu},
    {"GoldenRod", 0xDAA520FFu},
    {"Gray", 0x808080FFu},
    {"Green", 0x008000FFu},
    {"GreenYellow", 0xADFF2FFFu},
    {"Grey", 0x808080FFu},
    {"HoneyDew", 0xF0FFF0FFu},
    {"HotPink", 0xFF69B4FFu},
    {"IndianRed", 0xCD5C5CFFu},
    {"Indigo", 0x4B0082FFu},
    {"Ivory", 0xFFFFF0FFu},
    {"Khaki", 0xF0E68CFFu},
    {"Lavender", 0xE6E6FAFFu},
    {"LavenderBlush", 0xFFF0F5FFu},
    {"LawnGreen", 0x7CFC00FFu},
    {"LemonChiffon", 0xFFFACDFFu},
    {"LightBlue", 0xADD8E6FFu},
    {"LightCoral", 0xF08080FFu},
    {"LightCyan", 0xE0FFFFFFu},
    {"LightGoldenRodYellow", 0xFAFAD2FFu},
    {"LightGray", 0xD3D3D3FFu},
    {"LightGreen", 0x90EE90FFu},
    {"LightGrey", 0xD3D3D3FFu},
    {"LightPink", 0xFFB6C1FFu},
    {"LightSalmon", 0xFFA07AFFu},
    {"LightSeaGreen", 0x20B2AAFFu},
    {"LightSkyBlue", 0x87CEFAFFu},
    {"LightSlateGray", 0x778899FFu},
    {"LightSlateGrey", 0x778899FFu},
    {"LightSteelBlue", 0xB0C4DEFFu},
    {"LightYellow", 0xFFFFE0FFu},
    {"Lime", 0x00FF00FFu},
    {"LimeGreen", 0x32CD32FFu},
    {"Linen", 0xFAF0E6FFu},
    {"Magenta", 0xFF00FFFFu},
    {"Maroon", 0x800000FFu},
    {"MediumAquamarine", 0x66CDAAFFu},
    {"MediumBlue", 0x0000CDFFu},
    {"MediumOrchid", 0xBA55D3FFu},
    {"MediumPurple", 0x9370DBFFu},
    {"MediumSeaGreen", 0x3CB371FFu},
    {"MediumSlateBlue", 0x7B68EEFFu},
    {"MediumSpringGreen", 0x00FA9AFFu},
    {"MediumTurquoise", 0x48D1CCFFu},
    {"MediumVioletRed", 0xC71585FFu},
    {"MidnightBlue", 0x191970FFu},
    {"MintCream", 0xF5FFFAFFu},
    {"MistyRose", 0xFFE4E1FFu},
    {"Moccasin", 0xFFE4B5FFu},
    {"NavajoWhite", 0xFFDEADFFu},
    {"Navy", 0x000080FFu},
    {"OldLace", 0xFDF5E6FFu},
    {"Olive", 0x808000FFu},
    {"OliveDrab", 0x6B8E23FFu},
    {"Orange", 0xFFA500FFu},
    {"OrangeRed", 0xFF4500FFu},
    {"Orchid", 0xDA70D6FFu},
    {"PaleGoldenRod", 0xEEE8AAFFu},
    {"PaleGreen", 0x98FB98FFu},
    {"PaleTurquoise", 0xAFEEEEFFu},
    {"PaleVioletRed", 0xDB7093FFu},
    {"PapayaWhip", 0xFFEFD5FFu},
    {"PeachPuff", 0xFFDAB9FFu},
    {"Peru", 0xCD853FFFu},
    {"Pink", 0xFFC0CBFFu},
    {"Plum", 0xDDA0DDFFu},
    {"PowderBlue", 0xB0E0E6FFu},
    {"Purple", 0x800080FFu},
    {"RebeccaPurple", 0x663399FFu},
    {"Red", 0xFF0000FFu},
    {"RosyBrown", 0xBC8F8FFFu},
    {"RoyalBlue", 0x4169E1FFu},
    {"SaddleBrown", 0x8B4513FFu},
    {"Salmon", 0xFA8072FFu},
    {"SandyBrown", 0xF4A460FFu},
    {"SeaGreen", 0x2E8B57FFu},
    {"SeaShell", 0xFFF5EEFFu},
    {"Sienna", 0xA0522DFFu},
    {"Silver", 0xC0C0C0FFu},
    {"SkyBlue", 0x87CEEBFFu},
    {"SlateBlue", 0x6A5ACDFFu},
    {"SlateGray", 0x708090FFu},
    {"SlateGrey", 0x708090FFu},
    {"Snow", 0xFFFAFAFFu},
    {"SpringGreen", 0x00FF7FFFu},
    {"SteelBlue", 0x4682B4FFu},
    {"Tan", 0xD2B48CFFu},
    {"Teal", 0x008080FFu},
    {"Thistle", 0xD8BFD8FFu},
    {"Tomato", 0xFF6347FFu},
    {"Turquoise", 0x40E0D0FFu},
    {"Violet", 0xEE82EEFFu},
    {"Wheat", 0xF5DEB3FFu},
    {"White", 0xFFFFFFFFu},
    {"WhiteSmoke", 0xF5F5F5FFu},
    {"Yellow", 0xFFFF00FFu},
    {"YellowGreen", 0x9ACD32FFu},
    {"Transparent", 0x00000000u},
};

std::shared_ptr<EnumInfo> color_enum() {
  auto info = std::make_shared<EnumInfo>();
  info->name = "Color";
  info->underlying = TypeKind::Color;
  for (const auto& c : kColors) info->members.emplace_back(c.name, Value::color(c.rgba));
  return info;
}

}  // namespace

std::shared_ptr<const EnumInfo> error_kind_enum() {
  static const std::shared_ptr<const EnumInfo> info = [] {
    auto e = std::make_shared<EnumInfo>();
    e->name = "ErrorKind";
    e->underlying = TypeKind::Number;
    for (int kind = 0; kind <= 1000; ++kind)
      if (const char* name = error_kind_name(kind))
        e->members.emplace_back(name, Value::number(kind));
    return e;
  }();
  return info;
}

Value error_kind_value(int kind) {
  const auto& info = error_kind_enum();
  for (size_t i = 0; i < info->members.size(); ++i)
    if (info->members[i].second.as_number() == kind) return Value::enum_member(info, i);
  return Value::number(kind);  // a custom kind has no member
}

std::optional<uint32_t> named_color(std::string_view name) {
  for (const auto& c : kColors)
    if (text_equal_ignore_case(c.name, name)) return c.rgba;
  return std::nullopt;
}

void install_enums(Engine& engine) {
  engine.add_enum(color_enum());
  engine.add_enum(error_kind_enum());
}

}  // namespace canvasfx::stdlib
