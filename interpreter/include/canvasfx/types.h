// Static types, as the binder sees them.
//
// A Type is a small value: a kind plus, for records and tables, a shared
// immutable list of fields sorted by name, and for enums a shared description
// of the enum. Copying a Type copies one pointer at most.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace canvasfx {

enum class TypeKind : uint8_t {
  Unknown,  // the binder could not type this (an error was reported); accepts anything
  Blank,    // the type of Blank(): coerces to every type
  Boolean,
  Number,
  Decimal,  // only in error texts: canvas runs with NumberIsFloat
  Text,
  Date,
  Time,
  DateTime,
  Color,
  Guid,
  Hyperlink,
  Image,
  Record,
  Table,
  Enum,     // option-set / enum value, e.g. Color.Red, ConnectionSync.Connected
  Untyped,  // "Dynamic": the result of ParseJSON
  Error,    // the type of Error(...)
  Void,     // behavior results with no value
};

class Type;
struct EnumInfo;

class Type {
 public:
  Type() = default;
  explicit Type(TypeKind kind) : kind_(kind) {}

  static Type unknown() { return Type(TypeKind::Unknown); }
  static Type blank() { return Type(TypeKind::Blank); }
  static Type boolean() { return Type(TypeKind::Boolean); }
  static Type number() { return Type(TypeKind::Number); }
  static Type text() { return Type(TypeKind::Text); }
  static Type date() { return Type(TypeKind::Date); }
  static Type time() { return Type(TypeKind::Time); }
  static Type datetime() { return Type(TypeKind::DateTime); }
  static Type color() { return Type(TypeKind::Color); }
  static Type guid() { return Type(TypeKind::Guid); }
  static Type untyped() { return Type(TypeKind::Untyped); }
  static Type error() { return Type(TypeKind::Error); }
  static Type void_() { return Type(TypeKind::Void); }
  // Fields need not be sorted or unique; the last of a duplicate name wins.
  static Type record(std::vector<std::pair<std::string, Type>> fields);
  static Type table(std::vector<std::pair<std::string, Type>> fields);
  static Type enum_of(std::shared_ptr<const EnumInfo> info);
  static Type empty_record() { return record({}); }

  TypeKind kind() const { return kind_; }
  bool is(TypeKind k) const { return kind_ == k; }
  bool is_aggregate() const { return kind_ == TypeKind::Record || kind_ == TypeKind::Table; }

  // Records and tables: fields sorted by ordinal name comparison.
  size_t field_count() const { return fields_ ? fields_->size() : 0; }
  const std::string& field_name(size_t i) const { return (*fields_)[i].first; }
  const Type& field_type(size_t i) const { return (*fields_)[i].second; }
  std::optional<size_t> find_field(std::string_view name) const;
  const Type* field(std::string_view name) const;

  // Table <-> record of its rows.
  Type as_record() const;
  Type as_table() const;
  Type with_field(std::string name, Type type) const;
  // Keeps the type sealed: fewer columns of a system record are still system columns.
  Type without_field(std::string_view name) const;

  // A sealed record (or table of them) is a system record such as `User`:
  // AddColumns and RenameColumns refuse it, and it unions only with a type of
  // the same columns or with an empty record. as_record/as_table keep the flag;
  // types built afresh (ShowColumns) are not sealed. Equality ignores it.
  bool sealed() const { return sealed_; }
  Type as_sealed(bool sealed = true) const;

  // An open record (or table of them) is one whose columns are not all known:
  // a data source an app declares without its schema, a code component's
  // outputs. Reading a field it lacks is no error; the field's type is
  // Unknown (it accepts anything). as_record/as_table keep the flag; types
  // built afresh do not. Equality ignores it.
  bool open() const { return open_; }
  Type as_open(bool open = true) const;

  const std::shared_ptr<const EnumInfo>& enum_info() const { return enum_; }

  // "Number", "Text", "Record", "Table", "Dynamic", the enum's name ... as
  // Power Fx error messages name a type.
  std::string name() const;
  // Schema notation used in some messages: "Table", "Record", or "![a:n, b:s]".
  std::string schema() const;

  friend bool operator==(const Type& a, const Type& b);

 private:
  using Fields = std::vector<std::pair<std::string, Type>>;
  TypeKind kind_ = TypeKind::Unknown;
  bool sealed_ = false;
  bool open_ = false;
  std::shared_ptr<const Fields> fields_;
  std::shared_ptr<const EnumInfo> enum_;
  friend class TypeBuilder;
};

}  // namespace canvasfx
