// Type construction and naming.
#include "canvasfx/types.h"

#include <algorithm>

#include "canvasfx/value.h"
#include "value/sorted_fields.h"

namespace canvasfx {
namespace {

std::shared_ptr<const std::vector<std::pair<std::string, Type>>> sorted_fields(
    std::vector<std::pair<std::string, Type>> fields) {
  return std::make_shared<const std::vector<std::pair<std::string, Type>>>(
      sort_unique_fields(std::move(fields)));
}

}  // namespace

Type Type::record(std::vector<std::pair<std::string, Type>> fields) {
  Type t(TypeKind::Record);
  t.fields_ = sorted_fields(std::move(fields));
  return t;
}

Type Type::table(std::vector<std::pair<std::string, Type>> fields) {
  Type t(TypeKind::Table);
  t.fields_ = sorted_fields(std::move(fields));
  return t;
}

Type Type::enum_of(std::shared_ptr<const EnumInfo> info) {
  Type t(TypeKind::Enum);
  t.enum_ = std::move(info);
  return t;
}

std::optional<size_t> Type::find_field(std::string_view name) const {
  if (!fields_) return std::nullopt;
  auto it = std::lower_bound(fields_->begin(), fields_->end(), name,
                             [](const auto& f, std::string_view n) { return f.first < n; });
  if (it == fields_->end() || it->first != name) return std::nullopt;
  return static_cast<size_t>(it - fields_->begin());
}

const Type* Type::field(std::string_view name) const {
  auto i = find_field(name);
  return i ? &(*fields_)[*i].second : nullptr;
}

Type Type::as_record() const {
  Type t = *this;
  t.kind_ = TypeKind::Record;
  if (!t.fields_) t.fields_ = sorted_fields({});
  return t;
}

Type Type::as_table() const {
  Type t = *this;
  t.kind_ = TypeKind::Table;
  if (!t.fields_) t.fields_ = sorted_fields({});
  return t;
}

Type Type::with_field(std::string name, Type type) const {
  std::vector<std::pair<std::string, Type>> fields = fields_ ? *fields_ : Fields{};
  fields.emplace_back(std::move(name), std::move(type));
  Type t(kind_);
  t.fields_ = sorted_fields(std::move(fields));
  return t;
}

Type Type::without_field(std::string_view name) const {
  Fields fields;
  if (fields_)
    for (const auto& f : *fields_)
      if (f.first != name) fields.push_back(f);
  Type t(kind_);
  t.sealed_ = sealed_;
  t.fields_ = std::make_shared<const Fields>(std::move(fields));
  return t;
}

Type Type::as_sealed(bool sealed) const {
  Type t = *this;
  t.sealed_ = sealed;
  return t;
}

Type Type::as_open(bool open) const {
  Type t = *this;
  t.open_ = open;
  return t;
}

std::string Type::name() const {
  switch (kind_) {
    case TypeKind::Unknown:
      return "Unknown";
    case TypeKind::Blank:
      return "Blank";
    case TypeKind::Boolean:
      return "Boolean";
    case TypeKind::Number:
      return "Number";
    case TypeKind::Decimal:
      return "Decimal";
    case TypeKind::Text:
      return "Text";
    case TypeKind::Date:
      return "Date";
    case TypeKind::Time:
      return "Time";
    case TypeKind::DateTime:
      return "DateTime";
    case TypeKind::Color:
      return "Color";
    case TypeKind::Guid:
      return "GUID";
    case TypeKind::Hyperlink:
      return "Hyperlink";
    case TypeKind::Image:
      return "Image";
    case TypeKind::Record:
      return "Record";
    case TypeKind::Table:
      return "Table";
    case TypeKind::Enum:
      return enum_ ? enum_->name : "Enum";
    case TypeKind::Untyped:
      return "Dynamic";
    case TypeKind::Error:
      return "Error";
    case TypeKind::Void:
      return "Void";
  }
  return "Unknown";
}

namespace {
char schema_letter(const Type& t) {
  switch (t.kind()) {
    case TypeKind::Number:
      return 'n';
    case TypeKind::Decimal:
      return 'w';
    case TypeKind::Text:
      return 's';
    case TypeKind::Boolean:
      return 'b';
    case TypeKind::Date:
      return 'D';
    case TypeKind::DateTime:
      return 'd';
    case TypeKind::Time:
      return 'T';
    case TypeKind::Color:
      return 'c';
    case TypeKind::Guid:
      return 'g';
    case TypeKind::Untyped:
      return 'O';
    case TypeKind::Blank:
      return 'N';
    case TypeKind::Error:
      return 'e';
    case TypeKind::Void:
      return '-';
    default:
      return '?';
  }
}
}  // namespace

std::string Type::schema() const {
  if (!is_aggregate()) return std::string(1, schema_letter(*this));
  std::string s = kind_ == TypeKind::Table ? "*[" : "![";
  for (size_t i = 0; i < field_count(); ++i) {
    if (i) s += ", ";
    s += field_name(i) + ":" + field_type(i).schema();
  }
  return s + "]";
}

bool operator==(const Type& a, const Type& b) {
  if (a.kind_ != b.kind_) return false;
  if (a.kind_ == TypeKind::Enum) return a.enum_ == b.enum_;
  if (!a.is_aggregate()) return true;
  if (a.fields_ == b.fields_) return true;
  if (a.field_count() != b.field_count()) return false;
  for (size_t i = 0; i < a.field_count(); ++i)
    if (a.field_name(i) != b.field_name(i) || !(a.field_type(i) == b.field_type(i))) return false;
  return true;
}

}  // namespace canvasfx
