// Delegation: every delegated call gives exactly what the row-by-row path
// gives. Random predicates over a table with blanks, mixed case and
// non-ASCII text are evaluated against the data source (delegated to SQL) and
// against an in-memory copy of its rows (row by row), and the printed results
// must be identical.
#ifdef CANVASFX_HAVE_HOST
#include <gtest/gtest.h>

#include <random>

#include "host_fixture.h"

namespace canvasfx::host::testing {
namespace {

std::unique_ptr<Store> items_store(std::mt19937_64& rng) {
  auto store = Store::open_memory(false);
  store->create_table({.name = "Items",
                       .key_column = "Id",
                       .columns = {{"Id", ColumnType::Text, ""},
                                   {"Name", ColumnType::Text, ""},
                                   {"City", ColumnType::Text, ""},
                                   {"N", ColumnType::Number, ""},
                                   {"M", ColumnType::Number, ""},
                                   {"Flag", ColumnType::Boolean, ""},
                                   {"G", ColumnType::Guid, ""}}});
  const char* texts[] = {"Seattle", "seattle", "SEATTLE", "Paris", "Zürich",  "ZÜRICH",
                         "straße",  "Oslo",    "",        "sea",   "Sea side"};
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto text = [&]() -> Cell {
    if (pick(7) == 0) return std::monostate{};
    return std::string(texts[pick(std::size(texts))]);
  };
  auto number = [&]() -> Cell {
    if (pick(6) == 0) return std::monostate{};
    return static_cast<double>(pick(11) - 5) + (pick(4) == 0 ? 0.5 : 0.0);
  };
  Transaction txn = store->transaction();
  for (int i = 0; i < 400; ++i) {
    Cell flag = pick(5) == 0 ? Cell{} : Cell{pick(2) == 1};
    Cell guid = pick(3) == 0 ? Cell{}
                             : Cell{std::string(pick(2) ? "0f8fad5b-d9cb-469f-a165-70867728950e"
                                                        : "7c9e6679-7425-40de-944b-e07fc1f90ae7")};
    txn.create("Items", {{"Id", "k" + std::to_string(i)},
                         {"Name", text()},
                         {"City", text()},
                         {"N", number()},
                         {"M", number()},
                         {"Flag", flag},
                         {"G", guid}});
  }
  txn.commit();
  return store;
}

class Generator {
 public:
  explicit Generator(std::mt19937_64& rng) : rng_(rng) {}

  std::string predicate(int depth = 0) {
    if (depth < 2 && pick(3) == 0) {
      switch (pick(4)) {
        case 0:
          return "(" + predicate(depth + 1) + " && " + predicate(depth + 1) + ")";
        case 1:
          return "(" + predicate(depth + 1) + " || " + predicate(depth + 1) + ")";
        case 2:
          return "Not(" + predicate(depth + 1) + ")";
        default:
          return "And(" + predicate(depth + 1) + ", " + predicate(depth + 1) + ")";
      }
    }
    return atom();
  }

  std::string pick_of(std::initializer_list<const char*> options) {
    auto it = options.begin();
    std::advance(it, pick(static_cast<int>(options.size())));
    return *it;
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }

  std::string text_column() { return pick_of({"Name", "City"}); }
  std::string text_constant() {
    return pick_of({"\"Seattle\"", "\"seattle\"", "\"Zürich\"", "\"\"", "Blank()", "\"sea\"",
                    "\"Oslo\"", "\"STRASSE\"", "\"ß\""});
  }
  std::string number_constant() {
    return pick_of({"0", "1", "-2", "3.5", "Blank()", "-5", "5", "2 + 1"});
  }

  std::string atom() {
    switch (pick(12)) {
      case 0:
        return text_column() + pick_of({" = ", " <> "}) + text_constant();
      case 1:
      case 2:
        return pick_of({"N", "M"}) + pick_of({" = ", " <> ", " < ", " <= ", " > ", " >= "}) +
               number_constant();
      case 3:
        return pick_of({"N < M", "N = M", "M >= N", "N <> M"});
      case 4:
        return pick_of({"Flag", "!Flag", "Flag = true", "Flag = Blank()", "Flag <> false"});
      case 5:
        return text_constant() + " in " + text_column();
      case 6:
        return text_constant() + " exactin " + text_column();
      case 7:
        return "StartsWith(" + text_column() + ", " + text_constant() + ")";
      case 8:
        return "EndsWith(" + text_column() + ", " + text_constant() + ")";
      case 9:
        return "IsBlank(" + pick_of({"Name", "City", "N", "Flag", "G"}) + ")";
      case 10:
        return pick_of({"G = GUID(\"0f8fad5b-d9cb-469f-a165-70867728950e\")", "G = Blank()",
                        "G <> GUID(\"7C9E6679-7425-40DE-944B-E07FC1F90AE7\")"});
      default:
        return "ThisRecord.N " + pick_of({"> ", "= "}) + number_constant();
    }
  }

  std::mt19937_64& rng_;
};

// The formula shapes, with T standing for the table.
const char* kShapes[] = {
    "Filter(T, P)",
    "CountRows(Filter(T, P))",
    "CountIf(T, P)",
    "LookUp(T, P)",
    "First(Filter(T, P))",
    "Sum(Filter(T, P), N)",
    "Average(Filter(T, P), M)",
    "Min(Filter(T, P), N)",
    "Max(Filter(T, P), M)",
    "Sort(Filter(T, P), N, SortOrder.Descending)",
    "FirstN(Sort(Filter(T, P), M), 3)",
    "Search(Filter(T, P), \"se\", \"City\", \"Name\")",
    "SortByColumns(Filter(T, P), \"M\", SortOrder.Descending, \"N\")",
    "CountRows(FirstN(Filter(T, P), 7))",
    "Filter(Filter(T, P), P2)",
    "CountRows(Search(T, \"ZÜR\", \"City\"))",
};

std::string instantiate(std::string shape, const std::string& table, const std::string& p,
                        const std::string& p2) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t at = shape.find(from); at != std::string::npos;
         at = shape.find(from, at + to.size()))
      shape.replace(at, from.size(), to);
  };
  replace("P2", p2);
  replace("T, P", table + ", " + p);
  replace("(T,", "(" + table + ",");
  replace("(T)", "(" + table + ")");
  return shape;
}

TEST(Delegation, RandomPredicatesGiveTheRowByRowResult) {
  std::mt19937_64 rng(20240501);
  HostedEngine h(items_store(rng));
  Value items = h.engine.value("Items");
  ASSERT_EQ(items.rows().size(), 400u);
  h.engine.set_value("Local", Value::table(items.rows(), items.row_type()));
  Generator gen(rng);
  int delegated = 0, total = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string p = gen.predicate(), p2 = gen.predicate();
    std::string shape = kShapes[i % std::size(kShapes)];
    std::string remote = instantiate(shape, "Items", p, p2);
    std::string local = instantiate(shape, "Local", p, p2);
    size_t before = h.host->statements().size();
    std::string last_before = before ? h.host->statements().back() : "";
    std::string got = print_value(h.engine.eval(remote));
    std::string want = print_value(h.engine.eval(local));
    ASSERT_EQ(got, want) << remote;
    ++total;
    // A full scan reads every row: its statement has no WHERE, LIMIT or aggregate.
    const std::string& last = h.host->statements().back();
    if (last != last_before &&
        (last.find(" WHERE ") != std::string::npos || last.find("count(") != std::string::npos ||
         last.find("LIMIT") != std::string::npos))
      ++delegated;
  }
  // Every generated predicate is delegable: nearly all calls ran as one statement.
  EXPECT_GT(delegated, total * 9 / 10) << delegated << " of " << total;
}

TEST(Delegation, ValuesAreBoundAsParameters) {
  HostedEngine h;
  std::string hostile = "x' OR 1=1 --";
  h.engine.set_value("needle", Value::text(hostile));
  EXPECT_EQ(h.run("CountRows(Filter(Accounts, City = needle))"), "0");
  const std::string& sql = h.host->statements().back();
  EXPECT_EQ(sql.find("OR 1=1 --"), sql.rfind("OR 1=1 --"));  // only in the params comment
  EXPECT_NE(sql.find("\"City\" = ?"), std::string::npos) << sql;
}

TEST(Delegation, WhatCannotBeDelegatedRunsRowByRow) {
  HostedEngine h;
  // Text order is culture-aware: sorted in the evaluator, filtered in SQL.
  std::string sorted = h.run("First(Sort(Filter(Accounts, City = \"Seattle\"), Name)).Name");
  EXPECT_NE(sorted, "Blank()");
  // A predicate on a computed value.
  EXPECT_EQ(h.run("CountRows(Filter(Accounts, Len(City) > 100))"), "0");
  EXPECT_EQ(h.host->statements().back().find("WHERE"), std::string::npos);
}

}  // namespace
}  // namespace canvasfx::host::testing
#endif
