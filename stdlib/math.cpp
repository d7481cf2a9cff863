// Math: Abs, Int, Trunc, Round, RoundUp, RoundDown, Mod, Power, Sqrt, Exp, Ln,
// Log, Pi, Rand, RandBetween, the trigonometric functions, Degrees, Radians,
// Dec2Hex and Hex2Dec.
// Reference pages: function-numericals.md, function-round.md, function-mod.md,
// function-rand.md, function-trig.md, function-hexdec.md.
//
// Numbers are doubles (NumberIsFloat). Every result goes through `finite`: a
// NaN or an infinity is never a value in Power Fx but an ErrorKind.Numeric
// error (Sqrt(-1), Exp(750), 1E308*10), and domain errors that Power Fx calls
// a division by zero (Cot(0), Log(x, 1), Power(0, -1)) are checked before
// computing. Most functions are `.table_overload`: the evaluator maps them over
// one-column tables (Abs([1, -2]), Round([1.25], [1, 2])), so each row below
// only implements the scalar case.
//
// The rounding functions round the 15 significant digits of the number, as
// Power Fx does by going through .NET's decimal: Round(3*0.415, 2) is 1.25
// although the double 3*0.415 is 1.2449999999999999.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numbers>
#include <string>

#include "families.h"
#include "support.h"

namespace canvasfx::stdlib {
namespace {

double num(CallContext& ctx, size_t i) { return ctx.arg(i).as_number(); }

// A computed number as a Power Fx value: non-finite results are Numeric errors.
Value finite(CallContext& ctx, double r) {
  if (!std::isfinite(r)) return ctx.error(ErrorKind::Numeric);
  return Value::number(r);
}

// --- functions of one number, sharing one implementation -------------------

double acot(double x) { return std::numbers::pi / 2 - std::atan(x); }
double degrees(double x) { return x * 180 / std::numbers::pi; }
double radians(double x) { return x * std::numbers::pi / 180; }
double fabs_(double x) { return std::fabs(x); }
double floor_(double x) { return std::floor(x); }
double exp_(double x) { return std::exp(x); }
double sqrt_(double x) { return std::sqrt(x); }
double sin_(double x) { return std::sin(x); }
double cos_(double x) { return std::cos(x); }
double tan_(double x) { return std::tan(x); }
double asin_(double x) { return std::asin(x); }
double acos_(double x) { return std::acos(x); }
double atan_(double x) { return std::atan(x); }

// F(number) for a plain C function F; a NaN (Sqrt(-1), Asin(2)) is Numeric.
template <double (*F)(double)>
Value invoke_unary(CallContext& ctx) {
  return finite(ctx, F(num(ctx, 0)));
}

// Ln(number) – function-numericals.md. ln(0) would be -infinity: Numeric.
Value invoke_ln(CallContext& ctx) {
  double x = num(ctx, 0);
  if (x <= 0) return ctx.error(ErrorKind::Numeric);
  return finite(ctx, std::log(x));
}

// Log(number, [base = 10]) – function-numericals.md
Value invoke_log(CallContext& ctx) {
  double x = num(ctx, 0);
  double base = ctx.arg_count() > 1 ? num(ctx, 1) : 10;
  if (x <= 0 || base <= 0) return ctx.error(ErrorKind::Numeric);
  if (base == 1) return ctx.error(ErrorKind::Div0);  // ln(1) is the divisor
  return finite(ctx, std::log(x) / std::log(base));
}

// Power(base, exponent) – function-numericals.md. 0 to a negative power divides by zero.
Value invoke_power(CallContext& ctx) {
  double base = num(ctx, 0), exponent = num(ctx, 1);
  if (base == 0 && exponent < 0) return ctx.error(ErrorKind::Div0);
  return finite(ctx, std::pow(base, exponent));
}

// Mod(number, divisor) – function-mod.md. The result has the divisor's sign
// (Excel's MOD), where C's fmod keeps the dividend's.
Value invoke_mod(CallContext& ctx) {
  double x = num(ctx, 0), d = num(ctx, 1);
  if (d == 0) return ctx.error(ErrorKind::Div0);
  double r = std::fmod(x, d);
  if (r != 0 && (r < 0) != (d < 0)) r += d;
  return finite(ctx, r);
}

// Cot(radians) – function-trig.md. Where the tangent is 0 the cotangent divides by zero.
Value invoke_cot(CallContext& ctx) {
  double t = std::tan(num(ctx, 0));
  if (t == 0) return ctx.error(ErrorKind::Div0);
  return finite(ctx, 1 / t);
}

// Atan2(x, y) – function-trig.md. Excel's argument order: x first.
Value invoke_atan2(CallContext& ctx) {
  double x = num(ctx, 0), y = num(ctx, 1);
  if (x == 0 && y == 0) return ctx.error(ErrorKind::Div0);
  return finite(ctx, std::atan2(y, x));
}

// Pi() – function-trig.md
Value invoke_pi(CallContext&) { return Value::number(std::numbers::pi); }

// --- rounding ----------------------------------------------------------------

enum class Rounding { HalfAwayFromZero, AwayFromZero, TowardZero };

// `x` rounded to `digits` decimal places (negative: to tens, hundreds ...),
// working on its 15 significant decimal digits. The digits argument is
// truncated: Round(14.123456, 1.67) keeps one place.
double round_digits(double x, double digits_arg, Rounding mode) {
  if (x == 0 || !std::isfinite(x)) return x;
  int digits = static_cast<int>(std::clamp(std::trunc(digits_arg), -400.0, 400.0));
  char text[32];
  std::snprintf(text, sizeof text, "%.14e", std::fabs(x));  // "d.dddddddddddddde±x"
  std::string mantissa = std::string(1, text[0]) + std::string(text + 2, 14);
  int exponent = std::atoi(std::strchr(text, 'e') + 1);
  int keep = exponent + digits + 1;  // significant digits left of the rounding point
  if (keep >= 15) return x;          // nothing to round
  int64_t kept = keep > 0 ? std::stoll(mantissa.substr(0, keep)) : 0;
  std::string dropped = keep > 0 ? mantissa.substr(keep) : mantissa;
  bool bump = false;
  switch (mode) {
    case Rounding::HalfAwayFromZero:
      bump = keep >= 0 && dropped[0] >= '5';
      break;
    case Rounding::AwayFromZero:
      bump = dropped.find_first_not_of('0') != std::string::npos;
      break;
    case Rounding::TowardZero:
      break;
  }
  kept += bump;
  // kept × 10^-digits, parsed from text so that 14.1235 is the double nearest 14.1235.
  std::snprintf(text, sizeof text, "%llde%d", static_cast<long long>(kept), -digits);
  double r = std::strtod(text, nullptr);
  return x < 0 ? -r : r;
}

template <Rounding mode>
Value invoke_round(CallContext& ctx) {
  double digits = ctx.arg_count() > 1 ? num(ctx, 1) : 0;
  return finite(ctx, round_digits(num(ctx, 0), digits, mode));
}

// --- random numbers ------------------------------------------------------------

// Rand() – function-rand.md
Value invoke_rand(CallContext& ctx) { return Value::number(ctx.random()); }

// RandBetween(bottom, top) – function-rand.md. A whole number in
// [ceil(bottom), floor(top)]; when no whole number lies between them the
// result is ceil(bottom) (RandBetween(3.5, 3.7) is 4).
Value invoke_rand_between(CallContext& ctx) {
  double bottom = num(ctx, 0), top = num(ctx, 1);
  if (bottom > top) return ctx.error(ErrorKind::Numeric);
  double lo = std::ceil(bottom), hi = std::max(lo, std::floor(top));
  double u = ctx.random();
  double span = hi - lo + 1;
  // Near the limits of a double the span overflows: interpolate instead.
  double r = std::isfinite(span) ? lo + std::floor(u * span) : std::floor(lo * (1 - u) + hi * u);
  return finite(ctx, std::clamp(r, lo, hi));
}

// --- hexadecimal ---------------------------------------------------------------

// Both work on 40-bit two's complement whole numbers.
constexpr int64_t kHexLimit = int64_t{1} << 39;
constexpr int kHexDigits = 10;

// Dec2Hex(number, [places]) – function-hexdec.md. Places pads positive numbers
// and must be 1..10 even where it is ignored (negative numbers).
Value invoke_dec2hex(CallContext& ctx) {
  double n = std::trunc(num(ctx, 0));
  if (n < -static_cast<double>(kHexLimit) || n >= static_cast<double>(kHexLimit))
    return ctx.error(ErrorKind::Numeric);
  int places = 0;
  if (ctx.arg_count() > 1) {
    double p = std::trunc(num(ctx, 1));
    if (p < 1 || p > kHexDigits) return ctx.error(ErrorKind::Numeric);
    places = static_cast<int>(p);
  }
  auto value = static_cast<int64_t>(n);
  if (value < 0) value += kHexLimit * 2;
  char text[16];
  std::snprintf(text, sizeof text, "%llX", static_cast<unsigned long long>(value));
  std::string hex = text;
  if (n >= 0 && places) {
    if (static_cast<int>(hex.size()) > places) return ctx.error(ErrorKind::Numeric);
    hex.insert(0, places - hex.size(), '0');
  }
  return Value::text(std::move(hex));
}

// Hex2Dec(text) – function-hexdec.md. At most 10 digits, either case; "" is 0.
Value invoke_hex2dec(CallContext& ctx) {
  const std::string& hex = ctx.arg(0).as_text();
  if (hex.size() > kHexDigits) return ctx.error(ErrorKind::Numeric);
  int64_t value = 0;
  for (char c : hex) {
    int digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    else
      return ctx.error(ErrorKind::Numeric);
    value = value * 16 + digit;
  }
  if (value >= kHexLimit) value -= kHexLimit * 2;  // the sign bit of 40
  return Value::number(static_cast<double>(value));
}

// A function of one number, mapped over one-column tables too.
constexpr FunctionDef unary(std::string_view name, InvokeFn invoke, std::string_view page) {
  return {.name = name,
          .params = "n",
          .returns = "n",
          .invoke = invoke,
          .table_overload = true,
          .page = page};
}

const FunctionDef kMath[] = {
    // Abs(number) Exp(number) Sqrt(number) Ln(number) – function-numericals.md
    unary("Abs", invoke_unary<fabs_>, "function-numericals.md"),
    unary("Exp", invoke_unary<exp_>, "function-numericals.md"),
    unary("Sqrt", invoke_unary<sqrt_>, "function-numericals.md"),
    unary("Ln", invoke_ln, "function-numericals.md"),
    {.name = "Log",
     .params = "nn?",
     .returns = "n",
     .invoke = invoke_log,
     .table_overload = true,
     .page = "function-numericals.md"},
    {.name = "Power",
     .params = "nn",
     .returns = "n",
     .invoke = invoke_power,
     .table_overload = true,
     .page = "function-numericals.md"},
    // Int(number) Trunc(number, [digits]) Round/RoundUp/RoundDown(number, digits)
    // – function-round.md
    unary("Int", invoke_unary<floor_>, "function-round.md"),
    {.name = "Trunc",
     .params = "nn?",
     .returns = "n",
     .invoke = invoke_round<Rounding::TowardZero>,
     .table_overload = true,
     .page = "function-round.md"},
    {.name = "Round",
     .params = "nn",
     .returns = "n",
     .invoke = invoke_round<Rounding::HalfAwayFromZero>,
     .table_overload = true,
     .page = "function-round.md"},
    {.name = "RoundUp",
     .params = "nn",
     .returns = "n",
     .invoke = invoke_round<Rounding::AwayFromZero>,
     .table_overload = true,
     .page = "function-round.md"},
    {.name = "RoundDown",
     .params = "nn",
     .returns = "n",
     .invoke = invoke_round<Rounding::TowardZero>,
     .table_overload = true,
     .page = "function-round.md"},
    {.name = "Mod",
     .params = "nn",
     .returns = "n",
     .invoke = invoke_mod,
     .table_overload = true,
     .page = "function-mod.md"},
    {.name = "Rand",
     .params = "",
     .returns = "n",
     .invoke = invoke_rand,
     .volatile_result = true,
     .page = "function-rand.md"},
    {.name = "RandBetween",
     .params = "nn",
     .returns = "n",
     .invoke = invoke_rand_between,
     .volatile_result = true,
     .page = "function-rand.md"},
    // Sin Cos Tan Cot Asin Acos Atan Acot Degrees Radians (number) – function-trig.md
    unary("Sin", invoke_unary<sin_>, "function-trig.md"),
    unary("Cos", invoke_unary<cos_>, "function-trig.md"),
    unary("Tan", invoke_unary<tan_>, "function-trig.md"),
    unary("Cot", invoke_cot, "function-trig.md"),
    unary("Asin", invoke_unary<asin_>, "function-trig.md"),
    unary("Acos", invoke_unary<acos_>, "function-trig.md"),
    unary("Atan", invoke_unary<atan_>, "function-trig.md"),
    unary("Acot", invoke_unary<acot>, "function-trig.md"),
    unary("Degrees", invoke_unary<degrees>, "function-trig.md"),
    unary("Radians", invoke_unary<radians>, "function-trig.md"),
    {.name = "Atan2",
     .params = "nn",
     .returns = "n",
     .invoke = invoke_atan2,
     .page = "function-trig.md"},
    {.name = "Pi", .params = "", .returns = "n", .invoke = invoke_pi, .page = "function-trig.md"},
    {.name = "Dec2Hex",
     .params = "nn?",
     .returns = "s",
     .invoke = invoke_dec2hex,
     .table_overload = true,
     .page = "function-hexdec.md"},
    {.name = "Hex2Dec",
     .params = "s",
     .returns = "n",
     .invoke = invoke_hex2dec,
     .table_overload = true,
     .page = "function-hexdec.md"},
};

}  // namespace

FunctionTable math_functions() { return kMath; }

}  // namespace canvasfx::stdlib
