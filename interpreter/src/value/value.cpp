// Value construction and access. Heap objects are private to this file.
#include "canvasfx/value.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "canvasfx/function.h"
#include "value/memory_meter.h"
#include "value/sorted_fields.h"

namespace canvasfx {
namespace {

// The bytes a heap object owns, charged to the memory meter while it lives
// (memory_meter.h). A refused charge throws before anything is recorded.
class Metered {
 public:
  ~Metered() { memory::release(charged_); }

 protected:
  Metered() = default;
  void charge(size_t bytes) {
    memory::charge(bytes);
    charged_ += bytes;
  }

 private:
  size_t charged_ = 0;
};

size_t heap_bytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;  // beyond the small-string buffer
}

struct TextObject : HeapObject, Metered {
  std::string text;
  explicit TextObject(std::string s) : text(std::move(s)) {
    charge(sizeof(*this) + memory::kObjectOverhead + heap_bytes(text));
  }
};
struct GuidObject : HeapObject, Metered {
  Guid guid;
  explicit GuidObject(const Guid& g) : guid(g) { charge(sizeof(*this) + memory::kObjectOverhead); }
};
struct RecordObject : HeapObject, Metered {
  Fields fields;
  explicit RecordObject(Fields f) : fields(std::move(f)) {
    size_t bytes = sizeof(*this) + memory::kObjectOverhead + fields.capacity() * sizeof(fields[0]);
    for (const auto& field : fields) bytes += heap_bytes(field.first);
    charge(bytes);
  }
};
struct TableObject : HeapObject, Metered {
  mutable std::vector<Value> rows;
  Type row_type;
  std::shared_ptr<const TableSource> source;
  mutable std::once_flag materialized;
  TableObject(std::vector<Value> r, Type t, std::shared_ptr<const TableSource> s)
      : rows(std::move(r)), row_type(std::move(t)), source(std::move(s)) {
    charge(sizeof(*this) + memory::kObjectOverhead + rows.capacity() * sizeof(Value));
  }
  // A data source's rows, read once; their records were charged as they were built.
  void materialize() const {
    std::vector<Value> read = source->rows();
    const_cast<TableObject*>(this)->charge(read.capacity() * sizeof(Value));
    rows = std::move(read);
  }
};
struct EnumObject : HeapObject, Metered {
  std::shared_ptr<const EnumInfo> info;
  explicit EnumObject(std::shared_ptr<const EnumInfo> i) : info(std::move(i)) {
    charge(sizeof(*this) + memory::kObjectOverhead);
  }
};
struct ErrorObject : HeapObject, Metered {
  std::vector<ErrorInfo> errors;
  explicit ErrorObject(std::vector<ErrorInfo> e) : errors(std::move(e)) {
    size_t bytes = sizeof(*this) + memory::kObjectOverhead + errors.capacity() * sizeof(errors[0]);
    for (const auto& error : errors) bytes += heap_bytes(error.message);
    charge(bytes);
  }
};

const std::string kEmptyString;
const Fields kNoFields;
const std::vector<Value> kNoRows;
const std::vector<ErrorInfo> kNoErrors;
const Type kEmptyRecordType = Type::empty_record();

template <typename T>
const T& obj(const std::shared_ptr<const HeapObject>& p) {
  return static_cast<const T&>(*p);
}

}  // namespace

Value Value::boolean(bool b) {
  Value v(ValueKind::Boolean);
  v.b_ = b;
  return v;
}
Value Value::text(std::string s) {
  Value v(ValueKind::Text);
  v.heap_ = std::make_shared<TextObject>(std::move(s));
  return v;
}
Value Value::date(int64_t days) {
  Value v(ValueKind::Date);
  v.i_ = days;
  return v;
}
Value Value::time(int64_t ms) {
  Value v(ValueKind::Time);
  v.i_ = ms;
  return v;
}
Value Value::datetime(int64_t ms) {
  Value v(ValueKind::DateTime);
  v.i_ = ms;
  return v;
}
Value Value::color(uint32_t rgba) {
  Value v(ValueKind::Color);
  v.c_ = rgba;
  return v;
}
Value Value::guid(const Guid& g) {
  Value v(ValueKind::Guid);
  v.heap_ = std::make_shared<GuidObject>(g);
  return v;
}
Value Value::record(Fields fields) { return record_sorted(sort_unique_fields(std::move(fields))); }
Value Value::record_sorted(Fields fields) {
  Value v(ValueKind::Record);
  v.heap_ = std::make_shared<RecordObject>(std::move(fields));
  return v;
}
Value Value::table(std::vector<Value> rows, Type row_type) {
  Value v(ValueKind::Table);
  auto t = std::make_shared<TableObject>(std::move(rows), std::move(row_type), nullptr);
  std::call_once(t->materialized, [] {});
  v.heap_ = std::move(t);
  return v;
}
Value Value::table_source(std::shared_ptr<const TableSource> source, Type row_type) {
  Value v(ValueKind::Table);
  auto t =
      std::make_shared<TableObject>(std::vector<Value>{}, std::move(row_type), std::move(source));
  v.heap_ = std::move(t);
  return v;
}
Value Value::enum_member(std::shared_ptr<const EnumInfo> info, size_t index) {
  Value v(ValueKind::Enum);
  v.i_ = static_cast<int64_t>(index);
  v.heap_ = std::make_shared<EnumObject>(std::move(info));
  return v;
}
Value Value::untyped(std::shared_ptr<const UntypedObject> o) {
  Value v(ValueKind::Untyped);
  v.heap_ = std::move(o);
  return v;
}
Value Value::error(ErrorKind kind, std::string message, Span span) {
  return error(static_cast<int>(kind), std::move(message), span);
}
Value Value::error(int kind, std::string message, Span span) {
  return errors({ErrorInfo{kind, std::move(message), span}});
}
Value Value::errors(std::vector<ErrorInfo> errors) {
  Value v(ValueKind::Error);
  v.heap_ = std::make_shared<ErrorObject>(std::move(errors));
  return v;
}

const std::string& Value::as_text() const {
  return kind_ == ValueKind::Text ? obj<TextObject>(heap_).text : kEmptyString;
}
const Guid& Value::as_guid() const { return obj<GuidObject>(heap_).guid; }
const Fields& Value::fields() const {
  return kind_ == ValueKind::Record ? obj<RecordObject>(heap_).fields : kNoFields;
}
const Value* Value::field(std::string_view name) const {
  const Fields& fs = fields();
  auto it = std::lower_bound(fs.begin(), fs.end(), name,
                             [](const auto& f, std::string_view n) { return f.first < n; });
  if (it == fs.end() || it->first != name) return nullptr;
  return &it->second;
}
const std::vector<Value>& Value::rows() const {
  if (kind_ != ValueKind::Table) return kNoRows;
  const auto& t = obj<TableObject>(heap_);
  std::call_once(t.materialized, [&t] { t.materialize(); });
  return t.rows;
}
const Type& Value::row_type() const {
  return kind_ == ValueKind::Table ? obj<TableObject>(heap_).row_type : kEmptyRecordType;
}
const TableSource* Value::source() const {
  return kind_ == ValueKind::Table ? obj<TableObject>(heap_).source.get() : nullptr;
}
const std::shared_ptr<const EnumInfo>& Value::enum_info() const {
  return obj<EnumObject>(heap_).info;
}
const std::string& Value::enum_member_name() const { return enum_info()->members[i_].first; }
const Value& Value::enum_underlying() const { return enum_info()->members[i_].second; }
const UntypedObject& Value::as_untyped() const { return obj<UntypedObject>(heap_); }
std::shared_ptr<const UntypedObject> Value::untyped_ptr() const {
  return std::static_pointer_cast<const UntypedObject>(heap_);
}
const std::vector<ErrorInfo>& Value::errors() const {
  return kind_ == ValueKind::Error ? obj<ErrorObject>(heap_).errors : kNoErrors;
}

std::optional<size_t> EnumInfo::find(std::string_view member) const {
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i].first == member) return i;
  return std::nullopt;
}

bool values_equal(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::Blank:
    case ValueKind::Void:
      return true;
    case ValueKind::Boolean:
      return a.as_boolean() == b.as_boolean();
    case ValueKind::Number:
      return a.as_number() == b.as_number();
    case ValueKind::Text:
      return a.as_text() == b.as_text();
    case ValueKind::Date:
    case ValueKind::Time:
    case ValueKind::DateTime:
      return a.as_date() == b.as_date();
    case ValueKind::Color:
      return a.as_color() == b.as_color();
    case ValueKind::Guid:
      return a.as_guid() == b.as_guid();
    case ValueKind::Enum:
      return a.enum_info() == b.enum_info()
                 ? a.enum_index() == b.enum_index()
                 : values_equal(a.enum_underlying(), b.enum_underlying());
    case ValueKind::Record: {
      const auto& fa = a.fields();
      const auto& fb = b.fields();
      if (fa.size() != fb.size()) return false;
      for (size_t i = 0; i < fa.size(); ++i)
        if (fa[i].first != fb[i].first || !values_equal(fa[i].second, fb[i].second)) return false;
      return true;
    }
    case ValueKind::Table: {
      const auto& ra = a.rows();
      const auto& rb = b.rows();
      if (ra.size() != rb.size()) return false;
      for (size_t i = 0; i < ra.size(); ++i)
        if (!values_equal(ra[i], rb[i])) return false;
      return true;
    }
    case ValueKind::Untyped:
      return a.untyped_ptr() == b.untyped_ptr();
    case ValueKind::Error:
      return false;
  }
  return false;
}

const char* error_kind_name(int kind) {
  switch (kind) {
#define CANVASFX_ERROR_KIND(name)         \
  case static_cast<int>(ErrorKind::name): \
    return #name;
    CANVASFX_ERROR_KIND(None)
    CANVASFX_ERROR_KIND(Sync)
    CANVASFX_ERROR_KIND(MissingRequired) CANVASFX_ERROR_KIND(CreatePermission) CANVASFX_ERROR_KIND(
        EditPermissions) CANVASFX_ERROR_KIND(DeletePermissions) CANVASFX_ERROR_KIND(Conflict)
        CANVASFX_ERROR_KIND(NotFound) CANVASFX_ERROR_KIND(ConstraintViolated) CANVASFX_ERROR_KIND(
            GeneratedValue) CANVASFX_ERROR_KIND(ReadOnlyValue) CANVASFX_ERROR_KIND(Validation)
            CANVASFX_ERROR_KIND(Unknown) CANVASFX_ERROR_KIND(Div0) CANVASFX_ERROR_KIND(
                BadLanguageCode) CANVASFX_ERROR_KIND(BadRegex)
                CANVASFX_ERROR_KIND(InvalidFunctionUsage) CANVASFX_ERROR_KIND(FileNotFound)
                    CANVASFX_ERROR_KIND(AnalysisError) CANVASFX_ERROR_KIND(ReadPermission)
                        CANVASFX_ERROR_KIND(NotSupported) CANVASFX_ERROR_KIND(InsufficientMemory)
                            CANVASFX_ERROR_KIND(QuotaExceeded) CANVASFX_ERROR_KIND(Network)
                                CANVASFX_ERROR_KIND(Numeric) CANVASFX_ERROR_KIND(InvalidArgument)
                                    CANVASFX_ERROR_KIND(Internal) CANVASFX_ERROR_KIND(NotApplicable)
                                        CANVASFX_ERROR_KIND(Timeout)
                                            CANVASFX_ERROR_KIND(ServiceUnavailable)
                                                CANVASFX_ERROR_KIND(InvalidJSON)
                                                    CANVASFX_ERROR_KIND(Custom)
#undef CANVASFX_ERROR_KIND
  }
  return nullptr;
}

Value CallContext::error(ErrorKind kind, std::string message) const {
  return Value::error(kind, std::move(message), span());
}

void CallContext::require_memory(size_t bytes) const { memory::require(bytes); }

std::string format_diagnostic(const Diagnostic& d) {
  return std::string(d.severity == Severity::Error ? "Error " : "Warning ") +
         std::to_string(d.span.min) + "-" + std::to_string(d.span.lim) + ": " + d.message;
}

}  // namespace canvasfx
