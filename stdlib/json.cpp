// JSON(value [, format]) and the JSONFormat enum – function-json.md.
// install_json_regex() registers this file's family together with untyped.cpp
// and regex.cpp and their enums (JSONFormat, Match, MatchOptions).
//
// Design: one recursive writer over Values. A JSONFormat is a text of option
// letters (members combine with `&`), so the format argument is read as a set
// of characters. Any Error met while writing is the result; untyped values
// are written from their UntypedObject, numbers from their source text, so a
// parsed number goes back out exactly as it came in.
#include <cmath>
#include <cstdio>

#include "canvasfx/calendar.h"
#include "families.h"
#include "regex.h"
#include "untyped.h"

namespace canvasfx::stdlib {
namespace {

// Values nested this deep are refused, as the reference implementation does.
constexpr int kMaxDepth = 20;

// JSONFormat members are option letters; the format argument is their concatenation.
constexpr char kIndentFour = '4';
constexpr char kFlattenValueTables = '_';

struct Writer {
  CallContext& ctx;
  bool indent = false;
  bool flatten = false;
  std::string out;
  std::optional<Value> failure;  // the first Error met

  void fail(Value error) {
    if (!failure) failure = std::move(error);
  }

  void newline(int depth) {
    if (!indent) return;
    out += '\n';
    out.append(static_cast<size_t>(depth) * 4, ' ');
  }

  void string(std::string_view s) {
    out += '"';
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      // C1 controls (U+0080..U+009F: UTF-8 C2 80..C2 9F) are escaped like C0 ones.
      unsigned next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
      if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
        escape(next);
        ++i;
        continue;
      }
      // Characters above U+FFFF (4 UTF-8 bytes) are escaped as their UTF-16
      // surrogate pair, as the reference's encoder does ("\uD83D\uDC7B").
      if (c >= 0xF0 && i + 3 < s.size()) {
        unsigned code = (c & 0x07u) << 18 | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12 |
                        (static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6 |
                        (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
        escape(0xD800 + ((code - 0x10000) >> 10));
        escape(0xDC00 + ((code - 0x10000) & 0x3FF));
        i += 3;
        continue;
      }
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20 || c == 0x7F)
            escape(c);
          else
            out += static_cast<char>(c);
      }
    }
    out += '"';
  }

  void escape(unsigned code) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04X", code);
    out += buf;
  }

  void number(double n) {
    if (!std::isfinite(n)) return fail(ctx.error(ErrorKind::Numeric));
    out += print_number(n);
  }

  void key(std::string_view name, int depth, bool first) {
    if (!first) out += ',';
    newline(depth);
    string(name);
    out += indent ? ": " : ":";
  }

  void record(const Fields& fields, int depth) {
    if (depth >= kMaxDepth) return fail(ctx.error(ErrorKind::InvalidArgument));
    out += '{';
    bool first = true;
    for (const auto& [name, v] : fields) {
      key(name, depth + 1, first);
      first = false;
      value(v, depth + 1);
    }
    if (!first) newline(depth);
    out += '}';
  }

  void table(const Value& t, int depth) {
    if (depth >= kMaxDepth) return fail(ctx.error(ErrorKind::InvalidArgument));
    const Type& row = t.row_type();
    bool flat = flatten && row.field_count() == 1 && row.field_name(0) == "Value";
    out += '[';
    bool first = true;
    for (const Value& r : t.rows()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      if (flat && r.is_record()) {
        const Value* v = r.field("Value");
        value(v ? *v : Value(), depth + 1);
      } else {
        value(r, depth + 1);
      }
    }
    if (!first) newline(depth);
    out += ']';
  }

  void untyped(const UntypedObject& u, int depth) {
    using Shape = UntypedObject::Shape;
    switch (u.shape()) {
      case Shape::Null:
        out += "null";
        return;
      case Shape::Boolean:
        out += u.boolean() ? "true" : "false";
        return;
      case Shape::Number:
        out += u.number_text();
        return;
      case Shape::String:
        string(u.string());
        return;
      case Shape::Array: {
        if (depth >= kMaxDepth) return fail(ctx.error(ErrorKind::InvalidArgument));
        out += '[';
        for (size_t i = 0; i < u.array_size(); ++i) {
          if (i) out += ',';
          newline(depth + 1);
          value(u.array_at(i), depth + 1);
        }
        if (u.array_size()) newline(depth);
        out += ']';
        return;
      }
      case Shape::Object: {
        if (depth >= kMaxDepth) return fail(ctx.error(ErrorKind::InvalidArgument));
        out += '{';
        bool first = true;
        for (const std::string& name : u.property_names()) {
          key(name, depth + 1, first);
          first = false;
          value(u.property(name).value_or(Value()), depth + 1);
        }
        if (!first) newline(depth);
        out += '}';
        return;
      }
    }
  }

  void value(const Value& v, int depth) {
    if (failure) return;
    char buf[64];
    switch (v.kind()) {
      case ValueKind::Blank:
        out += "null";
        return;
      case ValueKind::Error:
        return fail(v);
      case ValueKind::Boolean:
        out += v.as_boolean() ? "true" : "false";
        return;
      case ValueKind::Number:
        return number(v.as_number());
      case ValueKind::Text:
        return string(v.as_text());
      case ValueKind::Enum:
        return value(v.enum_underlying(), depth);
      case ValueKind::Date: {
        CivilDate c = civil_from_days(v.as_date());
        std::snprintf(buf, sizeof buf, "\"%04lld-%02d-%02d\"", static_cast<long long>(c.year),
                      c.month, c.day);
        out += buf;
        return;
      }
      case ValueKind::DateTime: {
        int64_t wall = v.as_datetime();
        DateTimeParts p = split_datetime(wall - ctx.utc_offset_minutes(wall) * 60000LL);
        std::snprintf(buf, sizeof buf, "\"%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ\"",
                      static_cast<long long>(p.year), p.month, p.day, p.hour, p.minute, p.second,
                      p.millisecond);
        out += buf;
        return;
      }
      case ValueKind::Time: {
        int64_t ms = v.as_time();
        std::snprintf(buf, sizeof buf, "\"%02lld:%02lld:%02lld.%03lld\"",
                      static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                      static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
        out += buf;
        return;
      }
      case ValueKind::Color:
        std::snprintf(buf, sizeof buf, "\"#%08x\"", v.as_color());
        out += buf;
        return;
      case ValueKind::Guid: {
        std::string s = print_value(v);  // GUID("...")
        string(s.substr(6, s.size() - 8));
        return;
      }
      case ValueKind::Record:
        return record(v.fields(), depth);
      case ValueKind::Table:
        return table(v, depth);
      case ValueKind::Untyped:
        return untyped(v.as_untyped(), depth);
      case ValueKind::Void:
        return fail(ctx.error(ErrorKind::InvalidArgument));
    }
  }
};

Type check_json(CheckContext& ctx) {
  const Type& t = ctx.arg_type(0);
  if (t.is(TypeKind::Void))
    ctx.error(ctx.arg_span(0), "The JSON function cannot serialize objects of type 'Void'.");
  return Type::text();
}

// JSON(value [, format]) – function-json.md
Value invoke_json(CallContext& ctx) {
  Writer w{ctx};
  if (ctx.arg_count() > 1) {
    const std::string& format = ctx.arg(1).as_text();
    w.indent = format.find(kIndentFour) != std::string::npos;
    w.flatten = format.find(kFlattenValueTables) != std::string::npos;
  }
  w.value(ctx.arg(0), 0);
  if (w.failure) return *w.failure;
  return Value::text(std::move(w.out));
}

const FunctionDef kJson[] = {
    {.name = "JSON",
     .params = "as?",
     .invoke = invoke_json,
     .check = check_json,
     .blanks = BlankPolicy::Keep,
     .page = "function-json.md"},
};

}  // namespace

FunctionTable json_functions() { return kJson; }

std::shared_ptr<const EnumInfo> json_format_enum() {
  auto info = std::make_shared<EnumInfo>();
  info->name = "JSONFormat";
  info->underlying = TypeKind::Text;
  info->members = {{"Compact", Value::text("")},
                   {"IndentFour", Value::text(std::string(1, kIndentFour))},
                   {"IgnoreBinaryData", Value::text("G")},
                   {"IncludeBinaryData", Value::text("B")},
                   {"IgnoreUnsupportedTypes", Value::text("I")},
                   {"FlattenValueTables", Value::text(std::string(1, kFlattenValueTables))}};
  return info;
}

void install_json_regex(Engine& engine) {
  engine.add_enum(json_format_enum());
  engine.add_enum(match_enum());
  engine.add_enum(match_options_enum());
  for (FunctionTable family : {untyped_functions(), json_functions(), regex_functions()})
    engine.add_functions(family);
}

}  // namespace canvasfx::stdlib
