// Values as JSON and back (json_value.h), through nlohmann_json.
#include "canvasfx/json_value.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "canvasfx/calendar.h"
#include "canvasfx/engine.h"
#include "canvasfx/timezone.h"

namespace canvasfx {
namespace {

using json = nlohmann::ordered_json;

json error_json(const ErrorInfo& e) {
  const char* kind = error_kind_name(e.kind);
  return json{{"kind", kind ? json(kind) : json(e.kind)}, {"message", e.message}};
}

json to_json(const Value& v, const std::string& zone) {
  switch (v.kind()) {
    case ValueKind::Blank:
    case ValueKind::Void:
      return nullptr;
    case ValueKind::Boolean:
      return v.as_boolean();
    case ValueKind::Number: {
      double n = v.as_number();
      if (!std::isfinite(n)) return nullptr;
      // Whole numbers as integers (1, not 1.0), where a double holds them exactly.
      if (n == std::trunc(n) && std::fabs(n) <= 9007199254740992.0) return static_cast<int64_t>(n);
      return n;
    }
    case ValueKind::Text:
      return v.as_text();
    case ValueKind::Date: {
      CivilDate c = civil_from_days(v.as_date());
      return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
    }
    case ValueKind::DateTime: {
      DateTimeParts p = split_datetime(wall_to_utc_ms(zone, v.as_datetime()));
      return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", p.year, p.month, p.day,
                         p.hour, p.minute, p.second, p.millisecond);
    }
    case ValueKind::Time: {
      int64_t ms = v.as_time();
      std::string sign = ms < 0 ? "-" : "";
      ms = std::abs(ms);
      return fmt::format("{}{:02}:{:02}:{:02}.{:03}", sign, ms / 3600000, ms / 60000 % 60,
                         ms / 1000 % 60, ms % 1000);
    }
    case ValueKind::Color:
      return fmt::format("#{:08x}", v.as_color());
    case ValueKind::Guid: {
      std::string printed = print_value(v);  // GUID("…")
      return printed.substr(6, printed.size() - 8);
    }
    case ValueKind::Enum:
      return v.enum_member_name();
    case ValueKind::Record: {
      json object = json::object();
      for (const auto& [name, field] : v.fields()) object[name] = to_json(field, zone);
      return object;
    }
    case ValueKind::Table: {
      json array = json::array();
      for (const Value& row : v.rows()) array.push_back(to_json(row, zone));
      return array;
    }
    case ValueKind::Untyped: {
      const UntypedObject& u = v.as_untyped();
      using Shape = UntypedObject::Shape;
      switch (u.shape()) {
        case Shape::Null:
          return nullptr;
        case Shape::Boolean:
          return u.boolean();
        case Shape::Number: {
          // Parsed from its text: a large integer keeps every digit.
          json exact = json::parse(u.number_text(), nullptr, false);
          return exact.is_number() ? exact : json(u.number());
        }
        case Shape::String:
          return u.string();
        case Shape::Array: {
          json array = json::array();
          for (size_t i = 0; i < u.array_size(); ++i) array.push_back(to_json(u.array_at(i), zone));
          return array;
        }
        case Shape::Object: {
          json object = json::object();
          for (const std::string& name : u.property_names())
            object[name] = to_json(u.property(name).value_or(Value()), zone);
          return object;
        }
      }
      return nullptr;
    }
    case ValueKind::Error: {
      const auto& errors = v.errors();
      if (errors.size() == 1) return json{{"error", error_json(errors[0])}};
      json list = json::array();
      for (const auto& e : errors) list.push_back(error_json(e));
      return json{{"errors", list}};
    }
  }
  return nullptr;
}

// ---------------------------------------------------------------- JSON → Value

// Deeper documents are refused rather than overflow the stack.
constexpr int kMaxDepth = 256;

struct Typed {
  Value value;
  Type type;
};

Typed from_json(const json& j, const std::string& path, int depth);

const char* json_kind(const Type& t) {
  switch (t.kind()) {
    case TypeKind::Boolean:
      return "a boolean";
    case TypeKind::Number:
      return "a number";
    case TypeKind::Text:
      return "a string";
    case TypeKind::Record:
      return "an object";
    case TypeKind::Table:
      return "an array";
    default:
      return "null";
  }
}

// The type both rows' values fit: Blank fits anything; otherwise they must agree.
Type unify(const Type& a, const Type& b, const std::string& where) {
  if (a.is(TypeKind::Blank)) return b;
  if (b.is(TypeKind::Blank) || a == b) return a;
  if (a.kind() == b.kind() && a.is_aggregate()) {
    // Records (or tables) with different fields: the union, field by field.
    std::map<std::string, Type> fields;
    for (size_t i = 0; i < a.field_count(); ++i) fields[a.field_name(i)] = a.field_type(i);
    for (size_t i = 0; i < b.field_count(); ++i) {
      auto [it, inserted] = fields.emplace(b.field_name(i), b.field_type(i));
      if (!inserted) it->second = unify(it->second, b.field_type(i), where + "." + b.field_name(i));
    }
    std::vector<std::pair<std::string, Type>> list(fields.begin(), fields.end());
    return a.is(TypeKind::Record) ? Type::record(std::move(list)) : Type::table(std::move(list));
  }
  throw std::invalid_argument(
      fmt::format("{} is {} in one element and {} in another", where, json_kind(a), json_kind(b)));
}

// Gives a record every field of `type` (Blank where it lacks one), recursively.
Value conform(const Value& v, const Type& type) {
  if (type.is(TypeKind::Record) && v.is_record()) {
    Fields fields;
    for (size_t i = 0; i < type.field_count(); ++i) {
      const Value* f = v.field(type.field_name(i));
      fields.emplace_back(type.field_name(i), conform(f ? *f : Value(), type.field_type(i)));
    }
    return Value::record_sorted(std::move(fields));
  }
  if (type.is(TypeKind::Table) && v.is_table()) {
    std::vector<Value> rows;
    Type row = type.as_record();
    for (const Value& r : v.rows()) rows.push_back(conform(r, row));
    return Value::table(std::move(rows), row);
  }
  return v;
}

Typed from_array(const json& j, const std::string& path, int depth) {
  bool all_objects = !j.empty();
  for (const auto& e : j) all_objects &= e.is_object();
  std::vector<Typed> elements;
  Type row = all_objects ? Type::empty_record() : Type::blank();
  for (size_t i = 0; i < j.size(); ++i) {
    elements.push_back(from_json(j[i], fmt::format("{}[{}]", path, i), depth + 1));
    row = unify(row, elements.back().type, path + "[]");
  }
  std::vector<Value> rows;
  if (all_objects) {
    for (const auto& e : elements) rows.push_back(conform(e.value, row));
    return {Value::table(std::move(rows), row), row.as_table()};
  }
  // A one-column table, as [1, 2, 3] is in Power Fx.
  Type record = Type::record({{"Value", row}});
  for (const auto& e : elements)
    rows.push_back(Value::record_sorted({{"Value", conform(e.value, row)}}));
  return {Value::table(std::move(rows), record), record.as_table()};
}

Typed from_json(const json& j, const std::string& path, int depth) {
  if (depth > kMaxDepth)
    throw std::invalid_argument(
        fmt::format("{} is nested more than {} levels deep", path, kMaxDepth));
  switch (j.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      return {Value(), Type::blank()};
    case json::value_t::boolean:
      return {Value::boolean(j.get<bool>()), Type::boolean()};
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return {Value::number(j.get<double>()), Type::number()};
    case json::value_t::string:
      return {Value::text(j.get<std::string>()), Type::text()};
    case json::value_t::binary:
      throw std::invalid_argument("binary JSON values are not supported");
    case json::value_t::object: {
      Fields fields;
      std::vector<std::pair<std::string, Type>> types;
      for (const auto& [name, element] : j.items()) {
        Typed t = from_json(element, path + "." + name, depth + 1);
        fields.emplace_back(name, std::move(t.value));
        types.emplace_back(name, std::move(t.type));
      }
      return {Value::record(std::move(fields)), Type::record(std::move(types))};
    }
    case json::value_t::array:
      return from_array(j, path, depth);
  }
  return {Value(), Type::blank()};
}

}  // namespace

std::string value_to_json(const Value& value, const std::string& time_zone, int indent) {
  return to_json(value, time_zone).dump(indent, ' ', false, json::error_handler_t::replace);
}

Value value_from_json(std::string_view text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw std::invalid_argument(e.what());
  }
  return from_json(j, "$", 0).value;
}

}  // namespace canvasfx
