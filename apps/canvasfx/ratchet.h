// The ratchet: per-file pass counts of the conformance suite that must never
// go down. A TSV of `relative/path.txt<TAB>passed`; `#` lines are comments.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace canvasfx::cli {

using RatchetTable = std::map<std::string, int>;

struct RatchetRegression {
  std::string path;
  int recorded = 0;
  int now = 0;
};

// Malformed lines are reported in `errors` ("line N: ...") and ignored.
RatchetTable parse_ratchet(std::string_view text, std::vector<std::string>* errors = nullptr);
std::string format_ratchet(const RatchetTable& table);

// Files of `now` that pass fewer cases than `recorded` says. Files not run are not judged.
std::vector<RatchetRegression> compare_ratchet(const RatchetTable& recorded,
                                               const RatchetTable& now);

// The new table: max(old, new) per file (counts never go down); files that
// went down are listed in `went_down`. Files not run keep their old count.
RatchetTable update_ratchet(const RatchetTable& recorded, const RatchetTable& now,
                            std::vector<RatchetRegression>* went_down = nullptr);

}  // namespace canvasfx::cli
