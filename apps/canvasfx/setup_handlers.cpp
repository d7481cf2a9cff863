#include "setup_handlers.h"

#include "test_handlers.h"

namespace canvasfx::cli {
namespace {

// TimeZoneInfo("Pacific Standard Time"): the runtime's local zone for the file.
void time_zone_info(Engine& engine, const std::optional<std::string>& argument, CheckOptions&) {
  if (argument && !argument->empty()) engine.set_time_zone(*argument);
}

// The reference harness's memory governor switch; canvasfx has no governor.
void no_op(Engine&, const std::optional<std::string>&, CheckOptions&) {}

// Declares `name` with the value and type of a Power Fx formula; a `sealed`
// record is a system record that AddColumns and RenameColumns refuse.
void define(Engine& engine, std::string name, std::string_view formula, SymbolFlags flags = {},
            bool sealed = false) {
  CheckResult r = engine.check(formula);
  engine.declare(std::move(name), r.type.as_sealed(sealed),
                 r.ok() ? r.formula->eval(engine) : Value(), flags);
}

// MutationFunctionsTestSetup (CONFORMANCE.md's appendix): records, tables and
// typed empty tables for Collect, Patch, Remove ... which the cases call
// outside a REPL session, so behavior functions are allowed.
void mutation_functions(Engine& engine, const std::optional<std::string>&, CheckOptions& options) {
  options.behavior = true;
  define(engine, "r1",
         R"({Field1:1, Field2:"earth", Field3:DateTime(2022,1,1,0,0,0), Field4:true})");
  define(engine, "r2",
         R"({Field1:2, Field2:"moon", Field3:DateTime(2022,2,1,0,0,0), Field4:false})");
  define(engine, "t1", "Table(r1)");
  for (int i = 1; i <= 3; ++i) {
    std::string n = std::to_string(i);
    define(engine, "rwr" + n,
           "{Field1:" + n + ", Field2:{Field2_1:" + n + "21, Field2_2:\"2_2\", " +
               "Field2_3:{Field2_3_1:" + n +
               "231, Field2_3_2:\"common\"}}, Field3:" + (i == 3 ? "true" : "false") + "}");
  }
  define(engine, "t2", "Table(rwr1, rwr2, rwr3)");
  define(engine, "r_empty", "{}");
  define(engine, "r3", "{a: FirstN(Table({b:0}), 0)}");
  for (const char* name : {"t_empty", "t_empty2"}) define(engine, name, "FirstN([0], 0)");
  define(engine, "t_an_bs", R"(FirstN(Table({a:0, b:""}), 0))");
  define(engine, "t_name", R"(FirstN(Table({name:""}), 0))");
  for (const char* name : {"t_bs1", "t_bs2"}) define(engine, name, R"(FirstN(Table({b:""}), 0))");
  // Low-code plugins: the triggering row can be changed field by field
  // (NewRecord), the previous one not at all (OldRecord), the table only by the
  // mutation functions (DataSource).
  constexpr SymbolFlags kNone{.can_set = false, .can_mutate = false, .can_set_mutate = false};
  constexpr SymbolFlags kSetMutate{.can_set = false, .can_mutate = false, .can_set_mutate = true};
  constexpr SymbolFlags kMutate{.can_set = false, .can_mutate = true, .can_set_mutate = false};
  define(engine, "NewRecord", "r1", kSetMutate);
  define(engine, "OldRecord", "r1", kNone);
  define(engine, "DataSource", "t1", kMutate);
  define(engine, "NewRecord_SetEnabled_SetMutateEnabled", "r1",
         SymbolFlags{.can_set = true, .can_mutate = false, .can_set_mutate = true});
  for (const char* base : {"t1", "r1", "rwr1"}) {
    define(engine, std::string(base) + "_SetMutateEnabled", base, kSetMutate);
    define(engine, std::string(base) + "_MutateEnabled", base, kMutate);
  }
}

constexpr SetupHandler kHandlers[] = {
    {"TimeZoneInfo", "the engine's local time zone (a Windows zone id)", time_zone_info},
    {"DisableMemChecks", "no-op: canvasfx has no memory governor to disable", no_op},
    {"DecimalSupport",
     "no-op: the reference's handler sets nothing; numbers stay floats (NumberIsFloat)", no_op},
    {"RegEx", "no-op: IsMatch, Match and MatchAll are always installed", no_op},
    {"EnableJsonFunctions", "no-op: ParseJSON, JSON ... are always installed", no_op},
    {"MutationFunctionsTestSetup",
     "r1 r2 t1 rwr1..3 t2 r3 t_empty ..., NewRecord OldRecord DataSource and the *_MutateEnabled "
     "variants, behavior functions",
     mutation_functions},
    {"AllEnumsSetup",
     "test functions TestXORBoolean, TestColorInvert ... (builtin enums are "
     "always installed)",
     all_enums_setup},
    {"AllEnumsPlusTestEnumsSetup", "test enums TestYesNo, TestRedRamp ... and their test functions",
     all_enums_plus_test_enums_setup},
};

}  // namespace

void declare_session_symbols(Engine& engine) {
  define(engine, "User",
         R"({DataverseUserId:GUID("aa1d4f65-044f-4928-a95f-30d4c8ebf118"),)"
         R"( Email:"susan@contoso.com", FullName:"Susan Burk",)"
         R"( TeamsMemberId:"29:1DUjC5z4ttsBQa0fX2O7B0IDu30R"})",
         SymbolFlags{.can_set = false, .can_mutate = false, .can_set_mutate = false},
         /*sealed=*/true);
}

std::span<const SetupHandler> setup_handlers() { return kHandlers; }

const SetupHandler* find_setup_handler(std::string_view name) {
  for (const auto& h : kHandlers)
    if (h.name == name) return &h;
  return nullptr;
}

}  // namespace canvasfx::cli
