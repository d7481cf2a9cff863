// Diagnostics: what the parser and binder report about a formula.
//
// Spans are half-open {min, lim} offsets into the formula text counted in
// UTF-16 code units, because that is how Power Fx (and its conformance suite)
// counts positions. Messages are the Power Fx en-US texts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace canvasfx {

struct Span {
  int32_t min = 0;
  int32_t lim = 0;
};

enum class Severity : uint8_t { Error, Warning };

struct Diagnostic {
  Span span;
  Severity severity = Severity::Error;
  std::string message;
};

// "Error 3-5: message", the form the conformance suite compares verbatim.
std::string format_diagnostic(const Diagnostic& d);

inline bool has_errors(const std::vector<Diagnostic>& ds) {
  for (const auto& d : ds)
    if (d.severity == Severity::Error) return true;
  return false;
}

}  // namespace canvasfx
