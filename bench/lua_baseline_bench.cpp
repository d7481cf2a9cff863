// Baselines for the evaluator benchmarks, measured in the same run: the same
// data-flow formula as BM_IfArithmetic (eval_bench.cpp) in embedded Lua 5.4
// (a compiled chunk called through the C API, as an app host embeds Lua), and
// in native C++. Report canvasfx's time as a ratio to these.
#include <benchmark/benchmark.h>

#include <lua.hpp>

namespace {

// if x > 5 then x * 2 + 1 else x / 3, with x changing every iteration.
void BM_Lua_IfArithmetic(benchmark::State& state) {
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  if (luaL_dostring(
          L, "return function(x) if x > 5 then return x * 2 + 1 else return x / 3 end end")) {
    state.SkipWithError("Lua chunk failed to load");
    lua_close(L);
    return;
  }
  int function_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  double x = 0;
  for (auto _ : state) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, function_ref);
    lua_pushnumber(L, x);
    lua_call(L, 1, 1);
    benchmark::DoNotOptimize(lua_tonumber(L, -1));
    lua_pop(L, 1);
    x = x > 10 ? 0 : x + 1;
  }
  lua_close(L);
}
BENCHMARK(BM_Lua_IfArithmetic);

void BM_Native_IfArithmetic(benchmark::State& state) {
  double x = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(x);
    double r = x > 5 ? x * 2 + 1 : x / 3;
    benchmark::DoNotOptimize(r);
    x = x > 10 ? 0 : x + 1;
  }
}
BENCHMARK(BM_Native_IfArithmetic);

}  // namespace
