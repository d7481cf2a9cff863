// The canonical printer of CONFORMANCE.md, shared by the REPL, the conformance
// runner and the tests.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "canvasfx/calendar.h"
#include "canvasfx/engine.h"
#include "canvasfx/unicode.h"

namespace canvasfx {
namespace {

bool is_plain_identifier(const std::string& s) {
  static const char* const kKeywords[] = {
      "true",    "false",     "And",      "Or",         "Not",   "As",       "in",      "exactin",
      "Self",    "Parent",    "ThisItem", "ThisRecord", "blank", "null",     "empty",   "none",
      "nothing", "undefined", "Is",       "This",       "Child", "Children", "Siblings"};
  if (!is_identifier_text(s)) return false;
  for (const char* k : kKeywords)
    if (s == k) return false;
  return true;
}

void print_field_name(std::string& out, const std::string& name) {
  if (is_plain_identifier(name)) {
    out += name;
    return;
  }
  out += '\'';
  for (char c : name) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
}

void print_text(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void print_errors(std::string& out, const std::vector<ErrorInfo>& errors,
                  const PrintOptions& options) {
  auto one = [&](const ErrorInfo& e) {
    out += "{Kind:";
    if (const char* name = error_kind_name(e.kind))
      out += std::string("ErrorKind.") + name;
    else
      out += std::to_string(e.kind);
    if (options.error_messages && !e.message.empty()) {
      out += ",Message:";
      print_text(out, e.message);
    }
    out += '}';
  };
  out += "Error(";
  if (errors.size() == 1) {
    one(errors[0]);
  } else {
    out += "Table(";
    for (size_t i = 0; i < errors.size(); ++i) {
      if (i) out += ',';
      one(errors[i]);
    }
    out += ')';
  }
  out += ')';
}

void print(std::string& out, const Value& v, const PrintOptions& options) {
  switch (v.kind()) {
    case ValueKind::Blank:
      out += "Blank()";
      return;
    // How Power Fx prints a value that nobody can use (the result of a behavior If
    // whose branches have different types).
    case ValueKind::Void:
      out += "If(true, {test:1}, \"Void value (result of the expression can't be used).\")";
      return;
    case ValueKind::Boolean:
      out += v.as_boolean() ? "true" : "false";
      return;
    case ValueKind::Number:
      out += print_number(v.as_number());
      return;
    case ValueKind::Text:
      print_text(out, v.as_text());
      return;
    case ValueKind::Date: {
      auto c = civil_from_days(v.as_date());
      out += "Date(" + std::to_string(c.year) + "," + std::to_string(c.month) + "," +
             std::to_string(c.day) + ")";
      return;
    }
    case ValueKind::DateTime: {
      auto p = split_datetime(v.as_datetime());
      out += "DateTime(" + std::to_string(p.year) + "," + std::to_string(p.month) + "," +
             std::to_string(p.day) + "," + std::to_string(p.hour) + "," + std::to_string(p.minute) +
             "," + std::to_string(p.second) + "," + std::to_string(p.millisecond) + ")";
      return;
    }
    case ValueKind::Time: {
      int64_t ms = v.as_time();
      bool negative = ms < 0;
      if (negative) ms = -ms;
      std::string sign = negative ? "-" : "";
      // Hours within the day, as .NET's TimeSpan.Hours: Time(30,0,0) prints Time(6,0,0,0).
      out += "Time(" + sign + std::to_string(ms / 3600000 % 24) + "," + sign +
             std::to_string(ms / 60000 % 60) + "," + sign + std::to_string(ms / 1000 % 60) + "," +
             sign + std::to_string(ms % 1000) + ")";
      return;
    }
    case ValueKind::Color: {
      uint32_t c = v.as_color();
      double alpha = std::round(static_cast<double>(c & 0xFF) / 255.0 * 1000.0) / 1000.0;
      out += "RGBA(" + std::to_string(c >> 24) + "," + std::to_string((c >> 16) & 0xFF) + "," +
             std::to_string((c >> 8) & 0xFF) + "," + print_number(alpha) + ")";
      return;
    }
    case ValueKind::Guid: {
      const Guid& g = v.as_guid();
      char buf[40];
      std::snprintf(buf, sizeof buf,
                    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[0],
                    g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12],
                    g[13], g[14], g[15]);
      out += "GUID(\"";
      out += buf;
      out += "\")";
      return;
    }
    case ValueKind::Record: {
      out += '{';
      bool first = true;
      for (const auto& [name, value] : v.fields()) {
        if (!first) out += ',';
        first = false;
        print_field_name(out, name);
        out += ':';
        print(out, value, options);
      }
      out += '}';
      return;
    }
    case ValueKind::Table: {
      out += "Table(";
      bool first = true;
      for (const Value& row : v.rows()) {
        if (!first) out += ',';
        first = false;
        print(out, row, options);
      }
      out += ')';
      return;
    }
    case ValueKind::Enum: {
      const auto& info = *v.enum_info();
      out += info.name + ".";
      print_field_name(out, v.enum_member_name());
      return;
    }
    case ValueKind::Untyped:
      out += "Dynamic";
      return;
    case ValueKind::Error:
      print_errors(out, v.errors(), options);
      return;
  }
}

}  // namespace

std::string print_number(double n) {
  if (n == 0 || std::isnan(n)) return n == 0 ? "0" : "NaN";
  if (std::isinf(n)) return n > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, n, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // "-d.dddde+XX"
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  int exponent = std::stoi(sci.substr(e + 1));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int ndigits = static_cast<int>(digits.size());
  int scale = exponent + 1;  // digits before the decimal point
  std::string out = negative ? "-" : "";
  if (scale > std::max(ndigits, 17) || scale < -3) {
    out += digits[0];
    if (ndigits > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "E%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp;
  } else if (scale <= 0) {
    out += "0." + std::string(-scale, '0') + digits;
  } else if (scale >= ndigits) {
    out += digits + std::string(scale - ndigits, '0');
  } else {
    out += digits.substr(0, scale) + "." + digits.substr(scale);
  }
  return out;
}

std::string print_value(const Value& v) { return print_value(v, PrintOptions{}); }

std::string print_value(const Value& v, const PrintOptions& options) {
  std::string out;
  print(out, v, options);
  return out;
}

}  // namespace canvasfx
