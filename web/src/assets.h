// The page's static files, compiled in (embed_assets.cmake writes assets_data.cpp).
#pragma once

#include <string_view>
#include <vector>

namespace canvasfx::web {

struct Asset {
  std::string_view name;  // "index.html", "player.js" ...
  std::string_view data;
};

const std::vector<Asset>& assets();

inline const Asset* find_asset(std::string_view name) {
  for (const auto& a : assets())
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace canvasfx::web
