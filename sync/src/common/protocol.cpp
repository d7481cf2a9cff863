// protocol.h: the digest, cells on the wire, base64, SHA-256, tokens. The
// cryptography is OpenSSL's libcrypto (already a dependency of cpp-httplib).
#include "canvasfx/sync/protocol.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cmath>
#include <stdexcept>

namespace canvasfx::sync {

namespace {

// FNV-1a, 64 bits.
uint64_t fnv1a(std::string_view bytes, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// A 64-bit finalizer (splitmix64), so that XOR-ing many hashes stays uniform.
uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

void ScopeDigest::add(std::string_view key, int64_t version) {
  std::string v = std::to_string(version);
  uint64_t h = fnv1a(v, fnv1a(std::string_view("\0", 1), fnv1a(key)));
  hash ^= mix(h);
  ++count;
}

std::string ScopeDigest::hex() const { return fmt::format("{:016x}", hash); }

json cell_to_json(host::ColumnType type, const host::Cell& cell) {
  using host::ColumnType;
  if (std::holds_alternative<std::monostate>(cell)) return nullptr;
  switch (type) {
    case ColumnType::Number:
      if (auto* d = std::get_if<double>(&cell)) return *d;
      if (auto* i = std::get_if<int64_t>(&cell)) return static_cast<double>(*i);
      break;
    case ColumnType::Boolean:
      if (auto* b = std::get_if<bool>(&cell)) return *b;
      if (auto* i = std::get_if<int64_t>(&cell)) return *i != 0;
      break;
    case ColumnType::DateTime:
      if (auto* i = std::get_if<int64_t>(&cell)) return *i;
      break;
    case ColumnType::File:
    case ColumnType::Image:
      if (auto* s = std::get_if<std::string>(&cell)) return json{{"base64", base64_encode(*s)}};
      break;
    default:
      if (auto* s = std::get_if<std::string>(&cell)) return *s;
      break;
  }
  return nullptr;
}

std::optional<host::Cell> cell_from_json(host::ColumnType type, const json& j) {
  using host::ColumnType;
  if (j.is_null()) return host::Cell{};
  switch (type) {
    case ColumnType::Number:
      if (j.is_number()) {
        double d = j.get<double>();
        if (std::isfinite(d)) return host::Cell{d};
      }
      return std::nullopt;
    case ColumnType::Boolean:
      if (j.is_boolean()) return host::Cell{j.get<bool>()};
      return std::nullopt;
    case ColumnType::DateTime:
      if (j.is_number_integer()) return host::Cell{j.get<int64_t>()};
      return std::nullopt;
    case ColumnType::File:
    case ColumnType::Image:
      if (j.is_object() && j.size() == 1 && j.contains("base64") && j["base64"].is_string())
        if (auto bytes = base64_decode(j["base64"].get_ref<const std::string&>()))
          return host::Cell{std::move(*bytes)};
      return std::nullopt;
    default:
      if (j.is_string()) return host::Cell{j.get<std::string>()};
      return std::nullopt;
  }
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='))
      return std::nullopt;
  if (text.empty()) return std::string();
  std::string out(3 * (text.size() / 4) + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

std::string random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw std::runtime_error("the system's random number generator failed");
  std::string out;
  for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

std::string random_guid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1)
    throw std::runtime_error("the system's random number generator failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // variant 10
  std::string hex;
  for (unsigned char c : b) hex += fmt::format("{:02x}", c);
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20));
}

}  // namespace canvasfx::sync
