// Sample data for demos and seeds: the names the demo store and the sync
// server's seeded organization are made of, and the fixed-seed generator
// they are drawn with. std::mt19937_64's output is fixed by the standard (its
// distributions are not, hence below() and guid() by hand), so a seed gives
// the same data everywhere.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

namespace canvasfx::host::sample {

inline constexpr std::array<const char*, 12> kCities = {
    "Seattle",  "Redmond", "Bellevue", "Portland", "San Francisco", "Chicago",
    "New York", "London",  "Paris",    "Berlin",   "Tokyo",         "Sydney"};
inline constexpr std::array<const char*, 16> kCompanyPrefixes = {
    "Contoso",   "Fabrikam",  "Northwind", "Tailspin",  "Adventure", "Litware",
    "Proseware", "Woodgrove", "Alpine",    "Coho",      "Fourth",    "Lucerne",
    "Margie's",  "Trey",      "Wingtip",   "Wide World"};
inline constexpr std::array<const char*, 8> kCompanySuffixes = {
    "Coffee", "Traders", "Outfitters", "Bank", "Winery", "Airlines", "Publishing", "Labs"};
inline constexpr std::array<const char*, 16> kFirstNames = {
    "Ana",  "Ben", "Chen",  "Dana", "Eli", "Fatima", "Gus", "Hana",
    "Ivan", "Jo",  "Kenji", "Lena", "Mia", "Nils",   "Olu", "Priya"};
inline constexpr std::array<const char*, 16> kLastNames = {
    "Silva", "Okafor", "Li",     "Novak", "Berg",  "Haddad", "Kim",    "Rossi",
    "Sato",  "Meyer",  "Dubois", "Khan",  "Olsen", "Garcia", "Nguyen", "Walsh"};
inline constexpr std::array<const char*, 4> kOrderStatuses = {"Open", "Shipped", "Invoiced",
                                                              "Cancelled"};

inline constexpr int64_t kEpoch2023 = 1672531200000;  // 2023-01-01T00:00:00Z
inline constexpr int64_t kDayMs = 86'400'000;

class Prng {
 public:
  explicit Prng(uint64_t seed) : rng_(seed) {}
  uint64_t below(uint64_t n) { return rng_() % n; }
  double unit() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  // A version 4 GUID, lower-case.
  std::string guid() {
    uint64_t a = rng_(), b = rng_();
    a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
    b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    char text[37];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                  static_cast<unsigned long long>(a >> 32),
                  static_cast<unsigned long long>((a >> 16) & 0xffff),
                  static_cast<unsigned long long>(a & 0xffff),
                  static_cast<unsigned long long>(b >> 48),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return text;
  }
  template <size_t N>
  const char* pick(const std::array<const char*, N>& a) {
    return a[below(N)];
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace canvasfx::host::sample
