// Color functions: RGBA, ColorValue, ColorFade (function-colors.md).
//
// Colors are 0xRRGGBBAA. Channels given as numbers truncate toward zero; the
// alpha fraction is stored as a byte (rounded), which is why RGBA(…, 0.003)
// prints as 0.004. The CSS color names ColorValue accepts are the Color
// enum's (enums.cpp).
#include <cmath>
#include <string>

#include "families.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

uint32_t pack(uint32_t r, uint32_t g, uint32_t b, uint32_t a) {
  return (r << 24) | (g << 16) | (b << 8) | a;
}

// RGBA(red, green, blue, alpha) – function-colors.md
Value invoke_rgba(CallContext& ctx) {
  uint32_t channel[3];
  for (size_t i = 0; i < 3; ++i) {
    double v = std::trunc(ctx.arg(i).as_number());
    if (!(v >= 0 && v <= 255)) return ctx.error(ErrorKind::InvalidArgument);
    channel[i] = static_cast<uint32_t>(v);
  }
  double alpha = ctx.arg(3).as_number();
  if (!(alpha >= 0 && alpha <= 1)) return ctx.error(ErrorKind::InvalidArgument);
  return Value::color(
      pack(channel[0], channel[1], channel[2], static_cast<uint32_t>(std::round(alpha * 255))));
}

// ColorValue(text) – function-colors.md: "#rrggbb", "#rrggbbaa" or a CSS name.
Value invoke_color_value(CallContext& ctx) {
  const std::string& text = ctx.arg(0).as_text();
  if (text.empty()) return Value::blank();
  if (text[0] != '#') {
    if (auto rgba = named_color(text)) return Value::color(*rgba);
    return ctx.error(ErrorKind::InvalidArgument);
  }
  std::string hex = text.substr(1);
  if (hex.size() == 6) hex += "ff";
  if (hex.size() != 8 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    return ctx.error(ErrorKind::InvalidArgument);
  return Value::color(static_cast<uint32_t>(std::stoul(hex, nullptr, 16)));
}

// ColorValue(untyped): a JSON string "#rrggbb" or "#rrggbbaa"; names are not colors there.
Value invoke_color_value_untyped(CallContext& ctx) {
  return coerce_to(ctx.arg(0), TypeKind::Color, ctx.span());
}

// ColorFade(color, fraction) – function-colors.md: toward white for a positive
// fraction, toward black for a negative one; alpha is kept. A Blank color is
// transparent black.
Value invoke_color_fade(CallContext& ctx) {
  uint32_t color = ctx.arg(0).is_blank() ? 0 : ctx.arg(0).as_color();
  double f = ctx.arg(1).is_blank() ? 0 : ctx.arg(1).as_number();
  if (!(f >= -1 && f <= 1)) return ctx.error(ErrorKind::InvalidArgument);
  uint32_t out = color & 0xFF;
  for (int shift = 24; shift >= 8; shift -= 8) {
    double c = (color >> shift) & 0xFF;
    double faded = f >= 0 ? c + (255 - c) * f : c * (1 + f);
    out |= static_cast<uint32_t>(std::trunc(faded)) << shift;
  }
  return Value::color(out);
}

const FunctionDef kColor[] = {
    {.name = "RGBA",
     .params = "nnnn",
     .returns = "c",
     .invoke = invoke_rgba,
     .page = "function-colors.md"},
    {.name = "ColorValue",
     .params = "s",
     .returns = "c",
     .invoke = invoke_color_value,
     .page = "function-colors.md"},
    {.name = "ColorValue",
     .params = "u",
     .returns = "c",
     .invoke = invoke_color_value_untyped,
     .match = is_untyped,
     .blanks = BlankPolicy::Keep,
     .page = "function-colors.md"},
    {.name = "ColorFade",
     .params = "cn",
     .returns = "c",
     .invoke = invoke_color_fade,
     .blanks = BlankPolicy::Keep,
     .table_overload = true,
     .page = "function-colors.md"},
};

}  // namespace

FunctionTable color_functions() { return kColor; }

}  // namespace canvasfx::stdlib
