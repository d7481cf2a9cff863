// Records and record types keep their fields sorted by ordinal name comparison
// with unique names, so lookups are binary searches and printing needs no sort.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace canvasfx {

// Sorts by name; of duplicate names the last one wins (as in a record literal).
template <typename T>
std::vector<std::pair<std::string, T>> sort_unique_fields(
    std::vector<std::pair<std::string, T>> fields) {
  // Already sorted and unique (a record built from another's fields): as is.
  if (std::adjacent_find(fields.begin(), fields.end(), [](const auto& a, const auto& b) {
        return !(a.first < b.first);
      }) == fields.end())
    return fields;
  std::stable_sort(fields.begin(), fields.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, T>> unique;
  unique.reserve(fields.size());
  for (auto& f : fields) {
    if (!unique.empty() && unique.back().first == f.first)
      unique.back() = std::move(f);
    else
      unique.push_back(std::move(f));
  }
  return unique;
}

}  // namespace canvasfx
