// The parser must turn any input into diagnostics: no crash, hang, exception or
// stack overflow, whatever the nesting or the bytes.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "parse/ast.h"

// GCC 12 warns falsely on `"literal" + std::string` in optimized builds (GCC bug 105329).
#pragma GCC diagnostic ignored "-Wrestrict"

namespace canvasfx::ast {
namespace {

constexpr int kHuge = 100'000;

std::string repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

bool mentions_nesting(const ParseResult& r) {
  for (const auto& d : r.diagnostics)
    if (d.message.find("nesting too deep") != std::string::npos) return true;
  return false;
}

// Parses on a thread with an 8 MB stack, as the main thread of a host has.
ParseResult parse_on_8mb_stack(const std::string& text, ParseOptions options = {}) {
  ParseResult result;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 8 << 20);
  struct Job {
    const std::string* text;
    ParseOptions options;
    ParseResult* result;
  } job{&text, options, &result};
  pthread_t thread;
  auto run = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    *j->result = parse(*j->text, j->options);
    return nullptr;
  };
  EXPECT_EQ(pthread_create(&thread, &attr, run, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return result;
}

TEST(ParseRobustness, DeepParentheses) {
  ParseResult r = parse(repeat("(", kHuge) + "1" + repeat(")", kHuge));
  EXPECT_TRUE(mentions_nesting(r));
}

TEST(ParseRobustness, DeepPrefixOperators) {
  EXPECT_TRUE(mentions_nesting(parse(repeat("-(", kHuge) + "1" + repeat(")", kHuge))));
  EXPECT_TRUE(mentions_nesting(parse(repeat("!", kHuge) + "true")));
  EXPECT_TRUE(mentions_nesting(parse(repeat("Not ", kHuge) + "true")));
  EXPECT_TRUE(mentions_nesting(parse("2" + repeat("^-2", kHuge))));
  EXPECT_TRUE(mentions_nesting(parse(repeat("[{a:$\"{", kHuge))));
}

TEST(ParseRobustness, LongOperatorChains) {
  EXPECT_TRUE(mentions_nesting(parse("1" + repeat("+1", kHuge))));
  EXPECT_TRUE(mentions_nesting(parse("a" + repeat(".b", kHuge))));
  EXPECT_TRUE(mentions_nesting(parse("1" + repeat("%", kHuge))));
  // Unary minus between additions does not nest.
  ParseResult flat = parse("1" + repeat("+-1", 300));
  EXPECT_TRUE(flat.diagnostics.empty());
  // Wide is fine: a long table or chain is not deep.
  ParseOptions chaining;
  chaining.allow_chaining = true;
  EXPECT_TRUE(parse("[1" + repeat(",1", kHuge) + "]").diagnostics.empty());
  EXPECT_TRUE(parse("1" + repeat(";1", kHuge), chaining).diagnostics.empty());
}

TEST(ParseRobustness, MaxDepthFitsAnEightMegabyteStack) {
  ParseOptions options;
  ASSERT_EQ(options.max_depth, 400);
  std::string parens = repeat("(", 399) + "1" + repeat(")", 399);
  ParseResult r = parse_on_8mb_stack(parens);
  EXPECT_TRUE(r.diagnostics.empty());
  ASSERT_TRUE(r.root);
  EXPECT_EQ(r.root->kind, Kind::Number);
  EXPECT_TRUE(parse_on_8mb_stack(repeat("[", 399) + repeat("]", 399)).diagnostics.empty());
  EXPECT_TRUE(parse_on_8mb_stack("1" + repeat("+1", 398)).diagnostics.empty());
  EXPECT_TRUE(parse_on_8mb_stack(repeat("F(", 399) + repeat(")", 399)).diagnostics.empty());
  // Errors at the limit take the recovering path, which must fit too.
  EXPECT_FALSE(parse_on_8mb_stack(repeat("(", 399) + "1 +").diagnostics.empty());
  EXPECT_TRUE(mentions_nesting(parse(repeat("(", 401) + "1" + repeat(")", 401))));
}

TEST(ParseRobustness, InvalidUtf8) {
  ParseResult r = parse("\"ab\xC3\x28\"");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].span.min, 3);
  for (std::string_view bad : {"\xED\xA0\x80", "\xC0\x80", "\xF4\x90\x80\x80", "\xE2\x82"})
    EXPECT_EQ(parse(bad).diagnostics.size(), 1u);
}

TEST(ParseRobustness, RandomBytes) {
  std::mt19937 rng(42);
  std::string bytes(10 << 20, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  parse(bytes);
  // Valid UTF-8 garbage reaches the parser; the diagnostic cap stops it early.
  std::string ascii(10 << 20, '\0');
  const std::string alphabet = "ab1 .,;:()[]{}\"'$+-*/^&|!%<>=@#\n";
  for (char& c : ascii) c = alphabet[rng() % alphabet.size()];
  ParseResult r = parse(ascii);
  EXPECT_FALSE(r.diagnostics.empty());
  EXPECT_LE(r.diagnostics.size(), 100u);
  for (int i = 0; i < 2000; ++i) {
    std::string small(rng() % 40, '\0');
    for (char& c : small) c = alphabet[rng() % alphabet.size()];
    ParseOptions o;
    o.allow_chaining = i % 2;
    o.text_first = i % 3 == 0;
    parse(small, o);
  }
  // A hang shows as ctest's timeout; speed is measured by benchmarks, not asserted here.
}

}  // namespace
}  // namespace canvasfx::ast
