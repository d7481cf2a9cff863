// Caret rendering and terminal safety (no engine needed).
#include "display.h"

#include <gtest/gtest.h>

namespace canvasfx::cli {
namespace {

TEST(Display, Utf16ToByte) {
  EXPECT_EQ(utf16_to_byte("abc", 2), 2u);
  EXPECT_EQ(utf16_to_byte("abc", 10), 3u);
  EXPECT_EQ(utf16_to_byte("abc", -1), 0u);
  EXPECT_EQ(utf16_to_byte("\xC3\xA9x", 1), 2u);          // é: 1 unit, 2 bytes
  EXPECT_EQ(utf16_to_byte("\xF0\x9F\x98\x80x", 2), 4u);  // 😀: 2 units, 4 bytes
  EXPECT_EQ(utf16_to_byte("\xFF\xFEx", 2), 2u);          // invalid bytes: 1 unit each
}

TEST(Display, CaretUnderSpan) {
  EXPECT_EQ(render_caret("1 + \"a\"", {4, 7}), "  1 + \"a\"\n      ^^^\n");
  EXPECT_EQ(render_caret("abc", {1, 1}), "  abc\n   ^\n");    // empty span: one caret
  EXPECT_EQ(render_caret("abc", {3, 3}), "  abc\n     ^\n");  // at the end
}

TEST(Display, CaretCountsUtf16) {
  // "é" is one UTF-16 unit; "😀" two. The caret goes under x, after the
  // emoji's two terminal columns.
  EXPECT_EQ(render_caret("\xC3\xA9\xF0\x9F\x98\x80x", {3, 4}),
            "  \xC3\xA9\xF0\x9F\x98\x80x\n     ^\n");
  // A wide character in the span gets two carets.
  EXPECT_EQ(render_caret("a\xE6\xBC\xA2"
                         "b",
                         {1, 2}),
            "  a\xE6\xBC\xA2"
            "b\n   ^^\n");
}

TEST(Display, CaretOnLaterLineAndTabs) {
  std::string src = "If(true,\r\n\t  Foo)";
  // Foo starts at UTF-16 offset 13 (8 + \r\n + \t + 2 spaces).
  EXPECT_EQ(render_caret(src, {13, 16}), "  \t  Foo)\n  \t  ^^^\n");
  // A span running past the line end is clipped to the line.
  EXPECT_EQ(render_caret("ab\ncd", {1, 5}), "  ab\n   ^\n");
}

TEST(Display, LongLinesAreWindowed) {
  std::string src(5000, 'a');
  src.replace(3000, 3, "XYZ");
  std::string out = render_caret(src, {3000, 3003}, 60);
  auto nl = out.find('\n');
  std::string text = out.substr(0, nl), marks = out.substr(nl + 1);
  EXPECT_LT(text.size(), 80u);
  auto x = text.find("XYZ");
  ASSERT_NE(x, std::string::npos);
  size_t column = display_width(text.substr(0, x));  // "…" is one column, three bytes
  EXPECT_EQ(marks.find('^'), column);
  EXPECT_EQ(marks.substr(column), "^^^\n");
  EXPECT_NE(text.find("…"), std::string::npos);
}

TEST(Display, HostileBytesAreNeutralized) {
  EXPECT_EQ(sanitize("a\x1b[31mb"), "a?[31mb");
  EXPECT_EQ(sanitize("\xFF"), "\xEF\xBF\xBD");
  EXPECT_EQ(sanitize("ok\n\tok"), "ok\n\tok");
  std::string out = render_caret(std::string("\x01\xFF") + "x", {2, 3});
  EXPECT_EQ(out, "  ?\xEF\xBF\xBDx\n    ^\n");
}

TEST(Display, Width) {
  EXPECT_EQ(display_width("h\xC3\xA9llo"), 5u);
  EXPECT_EQ(paint("x", Colour::Red, false), "x");
  EXPECT_EQ(paint("x", Colour::Red, true), "\x1b[31mx\x1b[0m");
}

}  // namespace
}  // namespace canvasfx::cli
