#include "bind/type_args.h"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "bind/messages.h"

namespace canvasfx {
namespace {

using ast::Kind;

// The type names a type argument may use. Those marked unsupported are types
// Power Fx knows but cannot read a Dynamic value as.
struct NamedType {
  std::string_view name;
  TypeKind kind;
  bool supported;
};

constexpr NamedType kNamedTypes[] = {
    {"Boolean", TypeKind::Boolean, true},
    {"Number", TypeKind::Number, true},
    {"Decimal", TypeKind::Number, true},
    {"Float", TypeKind::Number, true},
    {"Text", TypeKind::Text, true},
    {"Date", TypeKind::Date, true},
    {"DateTime", TypeKind::DateTime, true},
    {"Time", TypeKind::Time, true},
    {"GUID", TypeKind::Guid, true},
    {"Dynamic", TypeKind::Untyped, true},
    {"UntypedObject", TypeKind::Untyped, true},
    {"Color", TypeKind::Color, false},
    {"Hyperlink", TypeKind::Hyperlink, false},
    {"Image", TypeKind::Image, false},
};

const NamedType* find_named_type(const ast::Node& n) {
  if (n.kind != Kind::Name || n.name_kind != ast::NameKind::Plain) return nullptr;
  for (const auto& t : kNamedTypes)
    if (t.name == n.ident.name) return &t;
  return nullptr;
}

const char* binary_op_text(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Add:
      return "+";
    case ast::BinaryOp::Sub:
      return "-";
    case ast::BinaryOp::Mul:
      return "*";
    case ast::BinaryOp::Div:
      return "/";
    case ast::BinaryOp::Power:
      return "^";
    case ast::BinaryOp::Concat:
      return "&";
    case ast::BinaryOp::And:
      return "&&";
    case ast::BinaryOp::Or:
      return "||";
    case ast::BinaryOp::Equal:
      return "=";
    case ast::BinaryOp::NotEqual:
      return "<>";
    case ast::BinaryOp::Less:
      return "<";
    case ast::BinaryOp::LessEqual:
      return "<=";
    case ast::BinaryOp::Greater:
      return ">";
    case ast::BinaryOp::GreaterEqual:
      return ">=";
    case ast::BinaryOp::In:
      return "in";
    case ast::BinaryOp::ExactIn:
      return "exactin";
  }
  return "?";
}

// The expression as Power Fx's pretty printer writes it in messages: "1 / 0", "Blank()".
std::string source_text(const ast::Node& n) {
  switch (n.kind) {
    case Kind::Number:
      return n.text;
    case Kind::Boolean:
      return n.boolean ? "true" : "false";
    case Kind::Text: {
      std::string out = "\"";
      for (char c : n.text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      return out + "\"";
    }
    case Kind::Name:
      return n.ident.name;
    case Kind::Dotted:
      return source_text(*n.children[0]) + "." + n.ident.name;
    case Kind::Unary:
      if (n.unary_op == ast::UnaryOp::Percent) return source_text(*n.children[0]) + "%";
      return (n.unary_op == ast::UnaryOp::Negate ? "-" : "!") + source_text(*n.children[0]);
    case Kind::Binary:
      return source_text(*n.children[0]) + " " + binary_op_text(n.binary_op) + " " +
             source_text(*n.children[1]);
    case Kind::Call: {
      std::string out = n.ident.name + "(";
      for (size_t i = 0; i < n.children.size(); ++i)
        out += (i ? ", " : "") + source_text(*n.children[i]);
      return out + ")";
    }
    case Kind::Record: {
      std::string out = "{";
      for (size_t i = 0; i < n.fields.size(); ++i)
        out += (i ? ", " : "") + n.fields[i].name.name + ":" + source_text(*n.fields[i].value);
      return out + "}";
    }
    case Kind::Table: {
      std::string out = "[";
      for (size_t i = 0; i < n.children.size(); ++i)
        out += (i ? ", " : "") + source_text(*n.children[i]);
      return out + "]";
    }
    default:
      return "";
  }
}

bool is_type_call(const ast::Node& n) {
  return n.kind == Kind::Call && n.ident.name == "Type" && n.children.size() == 1;
}

class TypeExpression {
 public:
  TypeExpression(const ReportFn& report, const TypeResolver& user_types)
      : report_(report), user_types_(user_types) {}

  // The type an inline type expression (Type's argument) denotes.
  std::optional<Type> translate(const ast::Node& n) {
    if (const NamedType* t = find_named_type(n)) {
      note(*t);
      return Type(t->kind);
    }
    if (n.kind == Kind::Name && n.name_kind == ast::NameKind::Plain && user_types_)
      if (auto t = user_types_(n.ident.name)) return t;
    // RecordOf(TableType): the record type of a named table type.
    if (n.kind == Kind::Call && n.ident.name == "RecordOf" && n.children.size() == 1 &&
        n.children[0]->kind == Kind::Name && user_types_)
      if (auto t = user_types_(n.children[0]->ident.name); t && t->is(TypeKind::Table))
        return t->as_record();
    if (n.kind == Kind::Record) {
      std::vector<std::pair<std::string, Type>> fields;
      for (const auto& f : n.fields) {
        auto t = translate(*f.value);
        if (!t) return std::nullopt;
        fields.emplace_back(f.name.name, *t);
      }
      return Type::record(std::move(fields));
    }
    if (n.kind == Kind::Table && n.children.size() == 1) {
      auto t = translate(*n.children[0]);
      if (!t) return std::nullopt;
      if (t->is(TypeKind::Record)) return t->as_table();
      return Type::table({{"Value", *t}});
    }
    report_(n.span, "Type expression is invalid. '" + source_text(n) +
                        "' cannot be used in a type expression.");
    return std::nullopt;
  }

  const NamedType* unsupported() const { return unsupported_; }
  void note(const NamedType& t) {
    if (!t.supported && !unsupported_) unsupported_ = &t;
  }

 private:
  const ReportFn& report_;
  const TypeResolver& user_types_;
  const NamedType* unsupported_ = nullptr;
};

std::string invalid_argument(const ast::Node& n) {
  return "Invalid argument '" + source_text(n) +
         "'. Expected valid type name or inline type expression.";
}

}  // namespace

Type bind_type_argument(const ast::Node& arg, Span call_span, const ReportFn& report,
                        const TypeResolver& user_types) {
  TypeExpression expression(report, user_types);
  std::optional<Type> type;
  Span main_span = arg.span;
  std::optional<Type> user;
  if (arg.kind == Kind::Name && arg.name_kind == ast::NameKind::Plain && user_types &&
      !find_named_type(arg))
    user = user_types(arg.ident.name);
  if (const NamedType* t = find_named_type(arg)) {
    expression.note(*t);
    type = Type(t->kind);
  } else if (user) {
    type = user;
  } else if (is_type_call(arg)) {
    main_span = arg.open_paren;
    type = expression.translate(*arg.children[0]);
    if (!type) {
      report(arg.open_paren, "Type expression is invalid. '" + source_text(arg) +
                                 "' cannot be used in a type expression.");
      return Type::unknown();
    }
  } else if (arg.kind == Kind::Name && arg.name_kind == ast::NameKind::Plain) {
    report(arg.span, msg::invalid_name(arg.ident.name));
    report(call_span, invalid_argument(arg));
    return Type::unknown();
  } else {
    bool operator_node = arg.kind == Kind::Binary || arg.kind == Kind::Unary;
    report(operator_node ? arg.token : arg.span, invalid_argument(arg));
    return Type::unknown();
  }
  if (const NamedType* t = expression.unsupported()) {
    report(main_span, "Unsupported type '" + std::string(t->name) + "' in type argument.");
    return Type::unknown();
  }
  return *type;
}

std::optional<Type> type_by_name(const std::string& name, const TypeResolver& user_types) {
  for (const auto& t : kNamedTypes)
    if (t.name == name) return Type(t.kind);
  if (user_types) return user_types(name);
  return std::nullopt;
}

bool is_builtin_type_name(std::string_view name) {
  for (const auto& t : kNamedTypes)
    if (t.name == name) return true;
  return name == "Void" || name == "Type" || name == "Record" || name == "Table" ||
         name == "RecordOf" || name == "None";
}

std::optional<Type> declared_type(const ast::Node& body, const std::string& name,
                                  const ReportFn& report, const TypeResolver& user_types) {
  if (!is_type_call(body)) {
    report(body.span, "Declaration of type " + name + " is invalid.");
    return std::nullopt;
  }
  TypeExpression expression(report, user_types);
  auto type = expression.translate(*body.children[0]);
  if (!type) report(body.span, "Declaration of type " + name + " is invalid.");
  return type;
}

}  // namespace canvasfx
