// Untyped ("Dynamic") values: ParseJSON, AsType, IsType, ColumnNames, Column,
// and the untyped overloads of table functions (Index, First, Last, FirstN,
// LastN, CountRows, ForAll, Table) that see a JSON array as a table.
// Reference pages: function-parsejson.md, function-astype-istype.md,
// function-type.md.
//
// Design: ParseJSON builds an immutable tree of JsonNode objects, each one an
// UntypedObject, so that walking into an array or object (dot access, Index)
// shares the parsed text instead of copying it. JSON null reads as Blank
// everywhere, which is what every consumer (dot access, Value, IsBlank ...)
// wants. Numbers keep their source text for JSON()'s exact round trip.
//
// The untyped overloads are rows whose `match` accepts an Untyped argument 0;
// the binder prefers them over the table rows of the same name.
#include "untyped.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "canvasfx/coerce.h"
#include "families.h"
#include "support.h"
#include "tables_support.h"

namespace canvasfx::stdlib {
namespace {

class JsonNode;
using NodePtr = std::shared_ptr<JsonNode>;

class JsonNode final : public UntypedObject {
 public:
  explicit JsonNode(Shape shape) : shape_(shape) {}

  Shape shape() const override { return shape_; }
  bool boolean() const override { return boolean_; }
  double number() const override { return std::strtod(text_.c_str(), nullptr); }
  std::string string() const override { return text_; }
  std::string number_text() const override { return text_; }
  size_t array_size() const override { return items_.size(); }
  Value array_at(size_t i) const override { return as_value(items_[i]); }
  std::vector<std::string> property_names() const override {
    std::vector<std::string> names;
    for (const auto& [name, node] : properties_) names.push_back(name);
    return names;
  }
  std::optional<Value> property(std::string_view name) const override {
    // The last of duplicate keys wins, as in the reference implementation.
    for (auto it = properties_.rbegin(); it != properties_.rend(); ++it)
      if (it->first == name) return as_value(it->second);
    return std::nullopt;
  }

  static Value as_value(const NodePtr& node) {
    if (node->shape_ == Shape::Null) return Value::blank();
    return Value::untyped(node);
  }

  Shape shape_;
  bool boolean_ = false;
  std::string text_;  // String: the text; Number: the source text
  std::vector<NodePtr> items_;
  std::vector<std::pair<std::string, NodePtr>> properties_;
};

// Builds the JsonNode tree from nlohmann's SAX events, which give the source
// text of non-integer numbers (integers are exact, their text is canonical).
class TreeBuilder {
 public:
  using json = nlohmann::json;

  bool null() { return add(std::make_shared<JsonNode>(UntypedObject::Shape::Null)); }
  bool boolean(bool b) {
    auto node = std::make_shared<JsonNode>(UntypedObject::Shape::Boolean);
    node->boolean_ = b;
    return add(node);
  }
  bool number_integer(json::number_integer_t n) { return number(std::to_string(n)); }
  bool number_unsigned(json::number_unsigned_t n) { return number(std::to_string(n)); }
  bool number_float(json::number_float_t, const std::string& text) { return number(text); }
  bool string(std::string& s) {
    auto node = std::make_shared<JsonNode>(UntypedObject::Shape::String);
    node->text_ = std::move(s);
    return add(node);
  }
  bool binary(json::binary_t&) { return false; }
  bool start_object(size_t) { return open(UntypedObject::Shape::Object); }
  bool key(std::string& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(size_t) { return open(UntypedObject::Shape::Array); }
  bool end_array() { return close(); }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

  NodePtr root;

 private:
  bool number(std::string text) {
    auto node = std::make_shared<JsonNode>(UntypedObject::Shape::Number);
    node->text_ = std::move(text);
    return add(node);
  }
  bool add(const NodePtr& node) {
    if (stack_.empty()) {
      root = node;
    } else if (stack_.back()->shape_ == UntypedObject::Shape::Array) {
      stack_.back()->items_.push_back(node);
    } else {
      stack_.back()->properties_.emplace_back(std::move(key_), node);
    }
    return true;
  }
  bool open(UntypedObject::Shape shape) {
    auto node = std::make_shared<JsonNode>(shape);
    add(node);
    stack_.push_back(node);
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  std::vector<NodePtr> stack_;
  std::string key_;
};

// FirstN/LastN of an untyped array: a view of `count` items from `from`.
class ArraySlice final : public UntypedObject {
 public:
  ArraySlice(Value array, size_t from, size_t count)
      : array_(std::move(array)), from_(from), count_(count) {}
  Shape shape() const override { return Shape::Array; }
  bool boolean() const override { return false; }
  double number() const override { return 0; }
  std::string string() const override { return {}; }
  std::string number_text() const override { return {}; }
  size_t array_size() const override { return count_; }
  Value array_at(size_t i) const override { return array_.as_untyped().array_at(from_ + i); }
  std::vector<std::string> property_names() const override { return {}; }
  std::optional<Value> property(std::string_view) const override { return std::nullopt; }

 private:
  Value array_;
  size_t from_, count_;
};


using Shape = UntypedObject::Shape;

Value invalid(const CallContext& ctx, std::string message) {
  return ctx.error(ErrorKind::InvalidArgument, std::move(message));
}

// --- reading an untyped value as a type (AsType, IsType, ParseJSON(text, type))

// nullopt when the value does not have that type's shape.
std::optional<Value> read_as(CallContext& ctx, const Value& v, const Type& type);

std::optional<Value> read_record(CallContext& ctx, const UntypedObject& u, const Type& type) {
  if (u.shape() != Shape::Object) return std::nullopt;
  Fields fields;
  for (size_t i = 0; i < type.field_count(); ++i) {
    auto p = u.property(type.field_name(i));
    std::optional<Value> field = p ? read_as(ctx, *p, type.field_type(i)) : Value();
    if (!field) return std::nullopt;
    fields.emplace_back(type.field_name(i), std::move(*field));
  }
  return Value::record_sorted(std::move(fields));
}

std::optional<Value> read_table(CallContext& ctx, const UntypedObject& u, const Type& type) {
  if (u.shape() != Shape::Array) return std::nullopt;
  const Type row = type.as_record();
  // [Number] is a table of a Value column: its items are the scalars themselves.
  const Type* value_column = row.field_count() == 1 ? row.field("Value") : nullptr;
  std::vector<Value> rows;
  for (size_t i = 0; i < u.array_size(); ++i) {
    Value item = u.array_at(i);
    bool object = item.is(ValueKind::Untyped) && item.as_untyped().shape() == Shape::Object;
    std::optional<Value> r;
    if (value_column && !object) {
      auto v = read_as(ctx, item, *value_column);
      if (v) r = Value::record_sorted({{"Value", std::move(*v)}});
    } else {
      r = read_as(ctx, item, row);
    }
    if (!r) return std::nullopt;
    rows.push_back(std::move(*r));
  }
  return Value::table(std::move(rows), row);
}

// ISO 8601 text as a date, date/time or time. Hours run 0..23; a date/time
// with a UTC designator or offset ("Z", "+01:00") is converted to the engine's
// time zone.
std::optional<Value> read_date_time(CallContext& ctx, std::string text, TypeKind kind) {
  size_t t = text.find('T');
  size_t time_start = kind == TypeKind::Time ? 0 : t == std::string::npos ? text.size() : t + 1;
  if (time_start + 2 <= text.size() && std::isdigit(static_cast<unsigned char>(text[time_start])) &&
      std::atoi(text.substr(time_start, 2).c_str()) >= 24)
    return std::nullopt;
  std::optional<int> offset_minutes;
  size_t n = text.size();
  if (t != std::string::npos && kind != TypeKind::Time) {
    if (text.back() == 'Z') {
      offset_minutes = 0;
      text.pop_back();
    } else if (n > t + 6 && (text[n - 6] == '+' || text[n - 6] == '-') && text[n - 3] == ':') {
      int sign = text[n - 6] == '-' ? -1 : 1;
      offset_minutes = sign * (std::atoi(text.substr(n - 5, 2).c_str()) * 60 +
                               std::atoi(text.substr(n - 2).c_str()));
      text.resize(n - 6);
    }
  }
  auto parsed = parse_datetime_text(text, offset_minutes ? TypeKind::DateTime : kind);
  if (!parsed || !offset_minutes) return parsed;
  int64_t utc = parsed->as_datetime() - *offset_minutes * 60000LL;
  return coerce_to(Value::datetime(utc + ctx.utc_offset_minutes(utc) * 60000LL), kind);
}

std::optional<Value> read_as(CallContext& ctx, const Value& v, const Type& type) {
  if (v.is_blank()) return Value();
  if (!v.is(ValueKind::Untyped)) return std::nullopt;
  const UntypedObject& u = v.as_untyped();
  switch (type.kind()) {
    case TypeKind::Untyped:
      return v;
    case TypeKind::Record:
      return read_record(ctx, u, type);
    case TypeKind::Table:
      return read_table(ctx, u, type);
    case TypeKind::Number:
      if (u.shape() != Shape::Number) return std::nullopt;
      return Value::number(u.number());
    case TypeKind::Boolean:
      if (u.shape() != Shape::Boolean) return std::nullopt;
      return Value::boolean(u.boolean());
    case TypeKind::Text:
      if (u.shape() != Shape::String) return std::nullopt;
      return Value::text(u.string());
    case TypeKind::Date:
    case TypeKind::DateTime:
    case TypeKind::Time:
      if (u.shape() != Shape::String) return std::nullopt;
      return read_date_time(ctx, u.string(), type.kind());
    case TypeKind::Guid: {
      if (u.shape() != Shape::String) return std::nullopt;
      Value g = coerce_to(Value::text(u.string()), TypeKind::Guid);
      if (g.is_error()) return std::nullopt;
      return g;
    }
    default:
      return std::nullopt;
  }
}

Value read_or_error(CallContext& ctx, const Value& v, const Type& type) {
  auto result = read_as(ctx, v, type);
  if (!result) return invalid(ctx, "The value does not have the type " + type.name() + ".");
  return *result;
}

// --- type rules -----------------------------------------------------------

Type check_type_argument(CheckContext& ctx) { return ctx.arg_type(1); }
Type check_untyped_row(CheckContext&) { return Type::untyped(); }
Type check_table(CheckContext&) { return Type::table({{"Value", Type::untyped()}}); }
Type check_forall(CheckContext& ctx) {
  const Type& t = ctx.arg_type(1);
  if (t.is(TypeKind::Void) || t.is(TypeKind::Unknown)) return t;
  return table_of_results(t);
}
Type check_column_names(CheckContext&) { return Type::table({{"Value", Type::text()}}); }
Type untyped_scope(const Type&) { return Type::untyped(); }

// --- implementations ------------------------------------------------------

// ParseJSON(text [, type]) – function-parsejson.md
Value parse_json_arg(CallContext& ctx) {
  const Value& text = ctx.arg(0);
  if (text.is_blank() || text.as_text().empty()) return Value::blank();
  auto parsed = parse_json(text.as_text());
  if (!parsed) return ctx.error(ErrorKind::InvalidJSON, "The text is not valid JSON.");
  return *parsed;
}

Value invoke_parse_json(CallContext& ctx) {
  Value parsed = parse_json_arg(ctx);
  if (ctx.arg_count() < 2 || parsed.is_error()) return parsed;
  return read_or_error(ctx, parsed, ctx.arg_type(1));
}

// AsType(untyped, type) – function-astype-istype.md
Value invoke_as_type(CallContext& ctx) { return read_or_error(ctx, ctx.arg(0), ctx.arg_type(1)); }

// IsType(untyped, type) – function-astype-istype.md. A Blank (not a JSON null) is no type.
Value invoke_is_type(CallContext& ctx) {
  const Value& v = ctx.arg(0);
  return Value::boolean(!v.is_blank() && read_as(ctx, v, ctx.arg_type(1)).has_value());
}

// The array behind an untyped argument, or the error to return instead.
const UntypedObject* array_arg(const CallContext& ctx, Value& error) {
  const Value& v = ctx.arg(0);
  if (v.is(ValueKind::Untyped) && v.as_untyped().shape() == Shape::Array) return &v.as_untyped();
  error = invalid(ctx, "The value is not an array.");
  return nullptr;
}

// Index(untyped array, n) – function-first-last.md
Value invoke_index(CallContext& ctx) {
  if (ctx.arg(0).is_blank()) return Value::blank();
  Value error;
  const UntypedObject* array = array_arg(ctx, error);
  if (!array) return error;
  double n = ctx.arg(1).as_number();
  if (!(n >= 1) || n >= static_cast<double>(array->array_size()) + 1)
    return invalid(ctx, "Index is out of range.");
  return array->array_at(static_cast<size_t>(n) - 1);
}

// First(untyped array), Last(untyped array) – function-first-last.md
Value first_or_last(CallContext& ctx, bool last) {
  if (ctx.arg(0).is_blank()) return Value::blank();
  Value error;
  const UntypedObject* array = array_arg(ctx, error);
  if (!array) return error;
  if (array->array_size() == 0) return Value::blank();
  return array->array_at(last ? array->array_size() - 1 : 0);
}
Value invoke_first(CallContext& ctx) { return first_or_last(ctx, false); }
Value invoke_last(CallContext& ctx) { return first_or_last(ctx, true); }

// FirstN(untyped array [, n]), LastN(...) – function-first-last.md: an untyped array.
Value first_or_last_n(CallContext& ctx, bool last) {
  if (ctx.arg(0).is_blank()) return Value::blank();
  Value error;
  const UntypedObject* array = array_arg(ctx, error);
  if (!array) return error;
  double n = ctx.arg_count() > 1 ? std::floor(ctx.arg(1).as_number()) : 1;
  size_t size = array->array_size();
  size_t count = n <= 0 ? 0 : std::min(size, static_cast<size_t>(std::min<double>(n, 1e15)));
  return Value::untyped(std::make_shared<ArraySlice>(ctx.arg(0), last ? size - count : 0, count));
}
Value invoke_first_n(CallContext& ctx) { return first_or_last_n(ctx, false); }
Value invoke_last_n(CallContext& ctx) { return first_or_last_n(ctx, true); }

// CountRows(untyped array) – function-table-counts.md
Value invoke_count_rows(CallContext& ctx) {
  if (ctx.arg(0).is_blank()) return Value::number(0);
  Value error;
  const UntypedObject* array = array_arg(ctx, error);
  if (!array) return error;
  return Value::number(static_cast<double>(array->array_size()));
}

// ForAll(untyped array, formula) – function-forall.md: ThisRecord is each item.
Value invoke_forall(CallContext& ctx) {
  if (ctx.arg(0).is_blank()) return Value::blank();
  Value error;
  const UntypedObject* array = array_arg(ctx, error);
  if (!array) return error;
  const bool is_void = ctx.return_type().is(TypeKind::Void);
  const Type row_type = ctx.return_type().as_record();
  std::vector<Value> rows;
  std::vector<ErrorInfo> errors;
  for (size_t i = 0; i < array->array_size(); ++i) {
    Value v = ctx.eval_in_row(1, array->array_at(i));
    if (v.is_error())
      errors.insert(errors.end(), v.errors().begin(), v.errors().end());
    else if (!is_void)
      rows.push_back(result_row(v, ctx.arg_type(1), row_type));
  }
  if (!errors.empty()) return Value::errors(std::move(errors));
  if (is_void) return Value::void_();
  return Value::table(std::move(rows), row_type);
}

// Table(untyped array) – function-table.md: a Value column of untyped items.
Value invoke_table(CallContext& ctx) {
  if (ctx.arg(0).is_blank()) return Value::blank();
  Value error;
  const UntypedObject* array = array_arg(ctx, error);
  if (!array) return error;
  std::vector<Value> rows;
  for (size_t i = 0; i < array->array_size(); ++i)
    rows.push_back(Value::record_sorted({{"Value", array->array_at(i)}}));
  return Value::table(std::move(rows), ctx.return_type().as_record());
}

// The object behind an untyped argument; nullptr with `result` set to Blank
// (JSON null) or an error otherwise.
const UntypedObject* object_arg(const CallContext& ctx, Value& result) {
  const Value& v = ctx.arg(0);
  if (v.is_blank()) return nullptr;
  if (v.is(ValueKind::Untyped) && v.as_untyped().shape() == Shape::Object) return &v.as_untyped();
  result = invalid(ctx, "The value is not an object.");
  return nullptr;
}

// ColumnNames(untyped object) – function-columnnames-column.md
Value invoke_column_names(CallContext& ctx) {
  Value result;
  const UntypedObject* object = object_arg(ctx, result);
  if (!object) return result;
  std::vector<std::string> names = object->property_names();
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<Value> rows;
  for (auto& name : names) rows.push_back(Value::record_sorted({{"Value", Value::text(name)}}));
  return Value::table(std::move(rows), ctx.return_type().as_record());
}

// Column(untyped object, name) – function-columnnames-column.md
Value invoke_column(CallContext& ctx) {
  Value result;
  const UntypedObject* object = object_arg(ctx, result);
  if (!object) return result;
  auto p = object->property(ctx.arg(1).as_text());
  return p ? *p : Value::blank();
}

constexpr std::string_view kFirstLast = "function-first-last.md";

const FunctionDef kUntyped[] = {
    {.name = "ParseJSON",
     .params = "s",
     .returns = "u",
     .invoke = invoke_parse_json,
     .blanks = BlankPolicy::Keep,
     .page = "function-parsejson.md"},
    {.name = "ParseJSON",
     .params = "sy",
     .invoke = invoke_parse_json,
     .check = check_type_argument,
     .blanks = BlankPolicy::Keep,
     .page = "function-parsejson.md"},
    {.name = "AsType",
     .params = "uy",
     .invoke = invoke_as_type,
     .check = check_type_argument,
     .blanks = BlankPolicy::Keep,
     .page = "function-astype-istype.md"},
    {.name = "IsType",
     .params = "uy",
     .returns = "b",
     .invoke = invoke_is_type,
     .blanks = BlankPolicy::Keep,
     .page = "function-astype-istype.md"},
    {.name = "ColumnNames",
     .params = "u",
     .invoke = invoke_column_names,
     .check = check_column_names,
     .blanks = BlankPolicy::Keep,
     .page = "function-columnnames-column.md"},
    {.name = "Column",
     .params = "us",
     .returns = "u",
     .invoke = invoke_column,
     .page = "function-columnnames-column.md"},
    {.name = "Index",
     .params = "un",
     .invoke = invoke_index,
     .check = check_untyped_row,
     .match = is_untyped,
     .page = kFirstLast},
    {.name = "First",
     .params = "u",
     .invoke = invoke_first,
     .check = check_untyped_row,
     .match = is_untyped,
     .page = kFirstLast},
    {.name = "Last",
     .params = "u",
     .invoke = invoke_last,
     .check = check_untyped_row,
     .match = is_untyped,
     .page = kFirstLast},
    {.name = "FirstN",
     .params = "un?",
     .invoke = invoke_first_n,
     .check = check_untyped_row,
     .match = is_untyped,
     .page = kFirstLast},
    {.name = "LastN",
     .params = "un?",
     .invoke = invoke_last_n,
     .check = check_untyped_row,
     .match = is_untyped,
     .page = kFirstLast},
    {.name = "CountRows",
     .params = "u",
     .returns = "n",
     .invoke = invoke_count_rows,
     .match = is_untyped,
     .page = "function-table-counts.md"},
    {.name = "ForAll",
     .params = "u@a",
     .invoke = invoke_forall,
     .check = check_forall,
     .match = is_untyped,
     .scope = untyped_scope,
     .void_args = true,
     .page = "function-forall.md"},
    {.name = "Table",
     .params = "u",
     .invoke = invoke_table,
     .check = check_table,
     .match = is_untyped,
     .page = "function-table.md"},
};

}  // namespace

std::optional<Value> parse_json(std::string_view text) {
  TreeBuilder builder;
  if (!nlohmann::json::sax_parse(text, &builder) || !builder.root) return std::nullopt;
  return JsonNode::as_value(builder.root);
}

FunctionTable untyped_functions() { return kUntyped; }

}  // namespace canvasfx::stdlib
