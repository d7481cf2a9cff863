// Test enums and test functions of the reference harness's AllEnums* handlers
// (PowerFxEvaluationTests.cs in Power Fx's test sources, summarized in
// CONFORMANCE.md's appendix). The enums are strongly typed like Dataverse
// option sets: the StronglyTypedBuiltinEnums feature concerns builtin enums only.
// Functions whose parameter is a particular enum coerce the argument to that
// enum in a custom check, so the binder reports a mismatch with its usual
// "Invalid argument type (X). Expecting a Enum (Y) value instead." message.
#include "test_handlers.h"

#include <memory>
#include <utility>
#include <vector>

namespace canvasfx::cli {
namespace {

std::shared_ptr<const EnumInfo> make_enum(std::string name, TypeKind underlying,
                                          std::vector<std::pair<std::string, Value>> members) {
  auto info = std::make_shared<EnumInfo>();
  info->name = std::move(name);
  info->underlying = underlying;
  info->members = std::move(members);
  info->strongly_typed = true;
  return info;
}

std::shared_ptr<const EnumInfo> boolean_enum(std::string name, std::string yes, std::string no) {
  return make_enum(
      std::move(name), TypeKind::Boolean,
      {{std::move(yes), Value::boolean(true)}, {std::move(no), Value::boolean(false)}});
}

// TestNumberCoerceTo, TestNumberCompareNumeric ...: X=10, V=5, V2=5, I=1.
std::shared_ptr<const EnumInfo> number_enum(std::string name) {
  return make_enum(std::move(name), TypeKind::Number,
                   {{"X", Value::number(10)},
                    {"V", Value::number(5)},
                    {"V2", Value::number(5)},
                    {"I", Value::number(1)}});
}

// A ramp from the full color (`prefix`100) to white (`prefix`0): the other
// channels rise as the percentage falls.
std::shared_ptr<const EnumInfo> color_ramp(std::string name, const std::string& prefix, bool blue) {
  std::vector<std::pair<std::string, Value>> members;
  for (int percent = 100; percent >= 0; percent -= 25) {
    uint32_t other = 255 - (255 * percent + 50) / 100;
    uint32_t rgb = blue ? (other << 24) | (other << 16) | (0xFFu << 8)
                        : (0xFFu << 24) | (other << 16) | (other << 8);
    members.emplace_back(prefix + std::to_string(percent), Value::color(rgb | 0xFFu));
  }
  return make_enum(std::move(name), TypeKind::Color, std::move(members));
}

const std::shared_ptr<const EnumInfo>& test_yes_no() {
  static const auto info = boolean_enum("TestYesNo", "Yes", "No");
  return info;
}
const std::shared_ptr<const EnumInfo>& test_boolean_no_coerce() {
  static const auto info = boolean_enum("TestBooleanNoCoerce", "SuperTrue", "SuperFalse");
  return info;
}
const std::shared_ptr<const EnumInfo>& test_blue_ramp() {
  static const auto info = color_ramp("TestBlueRamp", "Blue", true);
  return info;
}

// The argument as a plain scalar: enum members act as their underlying value.
Value underlying(const Value& v) { return v.is(ValueKind::Enum) ? v.enum_underlying() : v; }

bool truth(const Value& v) {
  Value u = underlying(v);
  return u.is_boolean() && u.as_boolean();
}

// Both arguments must be members of `info` (or coercible to it).
Type check_two_of(CheckContext& ctx, const std::shared_ptr<const EnumInfo>& info) {
  for (size_t i = 0; i < ctx.arg_count(); ++i) ctx.coerce(i, Type::enum_of(info));
  return Type::boolean();
}
Type check_xor_yes_no(CheckContext& ctx) { return check_two_of(ctx, test_yes_no()); }
Type check_xor_no_coerce(CheckContext& ctx) { return check_two_of(ctx, test_boolean_no_coerce()); }
Type check_blue_ramp(CheckContext& ctx) {
  ctx.coerce(0, Type::enum_of(test_blue_ramp()));
  return Type::color();
}

// TestXORBoolean(b, b), TestXORYesNo(TestYesNo, TestYesNo), TestXORNoCoerce(...): a XOR b.
Value xor_(CallContext& ctx) { return Value::boolean(truth(ctx.arg(0)) != truth(ctx.arg(1))); }

// TestColorInvert(color), TestColorBlueRampInvert(TestBlueRamp): 255 - each of R, G, B.
Value color_invert(CallContext& ctx) {
  Value c = underlying(ctx.arg(0));
  if (!c.is(ValueKind::Color)) return Value::blank();
  return Value::color(c.as_color() ^ 0xFFFFFF00u);
}

// TestSignNumber(n), TestSignDecimal(n): -1, 0 or 1.
Value sign(CallContext& ctx) {
  double n = ctx.arg(0).as_number();
  return Value::number(n > 0 ? 1 : n < 0 ? -1 : 0);
}

constexpr BlankPolicy kKeep = BlankPolicy::Keep;

// Test functions have no reference page; `returns` is empty where the check decides.
const FunctionDef kAllEnumsFunctions[] = {
    {.name = "TestXORBoolean", .params = "bb", .returns = "b", .invoke = xor_, .page = ""},
    {.name = "TestXORYesNo",
     .params = "aa",
     .returns = "",
     .invoke = xor_,
     .check = check_xor_yes_no,
     .blanks = kKeep,
     .page = ""},
    {.name = "TestColorInvert", .params = "c", .returns = "c", .invoke = color_invert, .page = ""},
    {.name = "TestColorBlueRampInvert",
     .params = "a",
     .returns = "",
     .invoke = color_invert,
     .check = check_blue_ramp,
     .blanks = kKeep,
     .page = ""},
};

const FunctionDef kTestEnumFunctions[] = {
    {.name = "TestXORNoCoerce",
     .params = "aa",
     .returns = "",
     .invoke = xor_,
     .check = check_xor_no_coerce,
     .blanks = kKeep,
     .page = ""},
    {.name = "TestSignNumber", .params = "n", .returns = "n", .invoke = sign, .page = ""},
    {.name = "TestSignDecimal", .params = "n", .returns = "n", .invoke = sign, .page = ""},
};

}  // namespace

void all_enums_setup(Engine& engine, const std::optional<std::string>&, CheckOptions&) {
  engine.add_functions(kAllEnumsFunctions);
}

void all_enums_plus_test_enums_setup(Engine& engine, const std::optional<std::string>& argument,
                                     CheckOptions& options) {
  all_enums_setup(engine, argument, options);
  engine.add_functions(kTestEnumFunctions);
  engine.add_enum(test_yes_no());
  engine.add_enum(boolean_enum("TestYeaNay", "Yea", "Nay"));
  engine.add_enum(test_boolean_no_coerce());
  for (const char* name :
       {"TestNumberCoerceTo", "TestNumberCompareNumeric", "TestNumberCompareNumericCoerceFrom"})
    engine.add_enum(number_enum(name));
  engine.add_enum(test_blue_ramp());
  engine.add_enum(color_ramp("TestRedRamp", "Red", false));
}

}  // namespace canvasfx::cli
