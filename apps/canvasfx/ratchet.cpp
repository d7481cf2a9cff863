#include "ratchet.h"

#include <algorithm>
#include <charconv>

namespace canvasfx::cli {

RatchetTable parse_ratchet(std::string_view text, std::vector<std::string>* errors) {
  RatchetTable table;
  size_t start = 0;
  int line_no = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    auto line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto tab = line.rfind('\t');
    int count = -1;
    if (tab != std::string_view::npos && tab > 0) {
      auto digits = line.substr(tab + 1);
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
      if (ec != std::errc() || p != digits.data() + digits.size()) count = -1;
    }
    if (count < 0) {
      if (errors)
        errors->push_back("line " + std::to_string(line_no) + ": expected path<TAB>count");
      continue;
    }
    table[std::string(line.substr(0, tab))] = count;
  }
  return table;
}

std::string format_ratchet(const RatchetTable& table) {
  std::string out =
      "# Conformance ratchet: passing cases per file of the Power Fx suite (path under\n"
      "# --suite-root). `canvasfx test --update-ratchet` rewrites it; counts never go down.\n";
  for (const auto& [path, count] : table) out += path + "\t" + std::to_string(count) + "\n";
  return out;
}

std::vector<RatchetRegression> compare_ratchet(const RatchetTable& recorded,
                                               const RatchetTable& now) {
  std::vector<RatchetRegression> out;
  for (const auto& [path, count] : now) {
    auto it = recorded.find(path);
    if (it != recorded.end() && count < it->second) out.push_back({path, it->second, count});
  }
  return out;
}

RatchetTable update_ratchet(const RatchetTable& recorded, const RatchetTable& now,
                            std::vector<RatchetRegression>* went_down) {
  RatchetTable out = recorded;
  for (const auto& [path, count] : now) {
    auto [it, inserted] = out.try_emplace(path, count);
    if (inserted) continue;
    if (count < it->second) {
      if (went_down) went_down->push_back({path, it->second, count});
    } else {
      it->second = count;
    }
  }
  return out;
}

}  // namespace canvasfx::cli
