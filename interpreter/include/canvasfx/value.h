// Runtime values.
//
// The kind is public, the encoding private. A Value is a kind tag, an 8-byte
// scalar payload and one shared pointer to an immutable heap object (text,
// record, table, error, enum member, untyped). Copying a Value never copies
// text or rows; "mutation" builds a new object (copy on write).
//
// Blank and Error are ordinary values: errors carry Power Fx ErrorKind numbers
// (Div0 = 13 ...) and the span of the expression that raised them.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "canvasfx/diagnostic.h"
#include "canvasfx/types.h"

namespace canvasfx {

enum class ValueKind : uint8_t {
  Blank,
  Boolean,
  Number,
  Text,
  Date,
  Time,
  DateTime,
  Color,
  Guid,
  Record,
  Table,
  Enum,
  Untyped,
  Error,
  Void,
};

// Power Fx ErrorKind numbering (CONFORMANCE.md).
enum class ErrorKind : int {
  None = 0,
  Sync = 1,
  MissingRequired = 2,
  CreatePermission = 3,
  EditPermissions = 4,
  DeletePermissions = 5,
  Conflict = 6,
  NotFound = 7,
  ConstraintViolated = 8,
  GeneratedValue = 9,
  ReadOnlyValue = 10,
  Validation = 11,
  Unknown = 12,
  Div0 = 13,
  BadLanguageCode = 14,
  BadRegex = 15,
  InvalidFunctionUsage = 16,
  FileNotFound = 17,
  AnalysisError = 18,
  ReadPermission = 19,
  NotSupported = 20,
  InsufficientMemory = 21,
  QuotaExceeded = 22,
  Network = 23,
  Numeric = 24,
  InvalidArgument = 25,
  Internal = 26,
  NotApplicable = 27,
  Timeout = 28,
  ServiceUnavailable = 29,
  InvalidJSON = 30,
  Custom = 1000,
};
const char* error_kind_name(int kind);  // "Div0"; nullptr for an unnamed number

struct ErrorInfo {
  int kind = static_cast<int>(ErrorKind::Unknown);
  std::string message;
  Span span;
};

class Value;
using Guid = std::array<uint8_t, 16>;

// A record's fields, sorted by ordinal name comparison, names unique.
using Fields = std::vector<std::pair<std::string, Value>>;

struct HeapObject {
  virtual ~HeapObject() = default;
};

// Rows of a table that the host produces on demand (a data source). The
// evaluator materializes it with rows(); delegation-aware functions in the
// host may ask it for less.
class TableSource : public HeapObject {
 public:
  // Throws TableSourceError when the rows cannot be read.
  virtual std::vector<Value> rows() const = 0;
  virtual std::string name() const = 0;
};

// A data source could not read its rows (its file is damaged, unreadable):
// rows() has no value to carry the error, so the whole evaluation ends with an
// error of this kind and message (CompiledFormula::eval).
class TableSourceError : public std::runtime_error {
 public:
  TableSourceError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// A value of unknown shape (ParseJSON's result), walked on demand.
class UntypedObject : public HeapObject {
 public:
  enum class Shape : uint8_t { Null, Boolean, Number, String, Array, Object };
  virtual Shape shape() const = 0;
  virtual bool boolean() const = 0;
  virtual double number() const = 0;
  virtual std::string string() const = 0;
  virtual std::string number_text() const = 0;  // the number as written in the source
  virtual size_t array_size() const = 0;
  virtual Value array_at(size_t i) const = 0;  // an Untyped value
  virtual std::vector<std::string> property_names() const = 0;
  virtual std::optional<Value> property(std::string_view name) const = 0;  // Untyped
};

struct EnumInfo;

class Value {
 public:
  Value() : kind_(ValueKind::Blank), i_(0) {}
  static Value blank() { return Value(); }
  static Value void_() { return Value(ValueKind::Void); }
  static Value boolean(bool b);
  static Value number(double n) {  // inline: recalculation makes one per formula
    Value v(ValueKind::Number);
    v.n_ = n;
    return v;
  }
  static Value text(std::string s);
  static Value date(int64_t days_since_epoch);
  static Value time(int64_t ms);
  static Value datetime(int64_t wall_ms_since_epoch);  // wall clock of the engine's time zone
  static Value color(uint32_t rgba);                   // 0xRRGGBBAA
  static Value guid(const Guid& g);
  static Value record(Fields fields);         // sorts and de-duplicates
  static Value record_sorted(Fields fields);  // caller guarantees sorted, unique
  static Value table(std::vector<Value> rows, Type row_type = Type::empty_record());
  static Value table_source(std::shared_ptr<const TableSource> source, Type row_type);
  static Value enum_member(std::shared_ptr<const EnumInfo> info, size_t index);
  static Value untyped(std::shared_ptr<const UntypedObject> obj);
  static Value error(ErrorKind kind, std::string message = {}, Span span = {});
  static Value error(int kind, std::string message = {}, Span span = {});
  static Value errors(std::vector<ErrorInfo> errors);  // several, flattened

  ValueKind kind() const { return kind_; }
  bool is(ValueKind k) const { return kind_ == k; }
  bool is_blank() const { return kind_ == ValueKind::Blank; }
  bool is_error() const { return kind_ == ValueKind::Error; }
  bool is_void() const { return kind_ == ValueKind::Void; }
  bool is_boolean() const { return kind_ == ValueKind::Boolean; }
  bool is_number() const { return kind_ == ValueKind::Number; }
  bool is_text() const { return kind_ == ValueKind::Text; }
  bool is_record() const { return kind_ == ValueKind::Record; }
  bool is_table() const { return kind_ == ValueKind::Table; }
  // Whether both hold the same heap object: a row that First/Index/LookUp
  // selected is its table's row, which is how a mutation finds it again.
  bool same_object(const Value& other) const { return heap_ && heap_ == other.heap_; }

  bool as_boolean() const { return b_; }
  double as_number() const { return n_; }
  const std::string& as_text() const;
  int64_t as_date() const { return i_; }      // days since 1970-01-01
  int64_t as_time() const { return i_; }      // milliseconds
  int64_t as_datetime() const { return i_; }  // wall-clock ms since 1970-01-01
  uint32_t as_color() const { return c_; }
  const Guid& as_guid() const;

  // Records
  const Fields& fields() const;
  const Value* field(std::string_view name) const;  // nullptr when absent

  // Tables: rows are Record, Blank or Error values.
  const std::vector<Value>& rows() const;  // materializes a TableSource once
  const Type& row_type() const;
  const TableSource* source() const;  // non-null for host data sources

  // Enum members
  const std::shared_ptr<const EnumInfo>& enum_info() const;
  size_t enum_index() const { return static_cast<size_t>(i_); }
  const std::string& enum_member_name() const;
  const Value& enum_underlying() const;

  const UntypedObject& as_untyped() const;
  std::shared_ptr<const UntypedObject> untyped_ptr() const;

  const std::vector<ErrorInfo>& errors() const;

 private:
  explicit Value(ValueKind k) : kind_(k), i_(0) {}
  ValueKind kind_;
  union {
    bool b_;
    double n_;
    int64_t i_;
    uint32_t c_;
  };
  std::shared_ptr<const HeapObject> heap_;
};

static_assert(sizeof(Value) <= 32, "Value must stay small: it is copied everywhere");

// An enum: Color, ErrorKind, ConnectionSync, Icon ... Members keep their
// declaration order and each has an underlying value used in coercions.
struct EnumInfo {
  std::string name;  // "Color"
  TypeKind underlying = TypeKind::Number;
  std::vector<std::pair<std::string, Value>> members;
  // Canvas's builtin enums act as their underlying value unless the
  // StronglyTypedBuiltinEnums feature is on; host enums (Icon, ConnectionSync)
  // are always strongly typed.
  bool strongly_typed = false;
  std::optional<size_t> find(std::string_view member) const;
};

// Power Fx equality of two values of the same kind (`=`); text is case-sensitive.
bool values_equal(const Value& a, const Value& b);

}  // namespace canvasfx
