// Unit tests of the mutation functions (stdlib/mutation.cpp): copy-on-write
// collections, deep writes through fields and selected rows, whole-record
// matching, the compile-time checks, and dispatch to a MutableTableSource.
#include <gtest/gtest.h>

#include "canvasfx/engine.h"
#include "canvasfx/mutable_source.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class MutationTest : public StdlibTest {
 protected:
  MutationTest() {
    options_.behavior = true;
    options_.allow_set_declarations = true;
  }
};

TEST_F(MutationTest, CollectAppendsAndReturnsWhatItAdded) {
  eval("Set(t, [1,2])");
  EXPECT_EQ(eval("Collect(t, {Value:3})"), "{Value:3}");
  EXPECT_EQ(eval("Collect(t, {Value:4}, [5,6])"), "Table({Value:4},{Value:5},{Value:6})");
  EXPECT_EQ(eval("Collect(t, 7)"), "{Value:7}");  // one scalar in, one record out
  EXPECT_EQ(eval("Concat(t, Value)"), "\"1234567\"");
}

TEST_F(MutationTest, CollectConvertsToColumnTypesAndFillsBlanks) {
  eval("Set(t, Table({a:1, b:\"x\"}))");
  EXPECT_EQ(eval("Collect(t, {a:Date(1900,1,1)})"), "{a:2,b:Blank()}");
  EXPECT_EQ(errors("Collect(t, {a:\"1\"})"),
            "Error 0-7: The function 'Collect' has some invalid arguments.|Error 11-18: The type "
            "of this argument 'a' does not match the expected type 'Number'. Found type 'Text'.");
  EXPECT_EQ(errors("Collect(t, {total:1})"),
            "Error 0-7: The function 'Collect' has some invalid arguments.|"
            "Error 11-20: The specified column 'total' does not exist.");
  // A name close enough to a column's to be a typo gets a hint.
  EXPECT_EQ(errors("Collect(t, {bb:1})"),
            "Error 0-7: The function 'Collect' has some invalid arguments.|"
            "Error 11-17: The specified column 'bb' does not exist. The column with the most "
            "similar name is 'b'.");
}

TEST_F(MutationTest, CopiesAreUnaffected) {
  eval("Set(a, [1,2])");
  eval("Set(b, a)");
  eval("Collect(a, {Value:3}); Remove(a, {Value:1})");
  EXPECT_EQ(eval("a"), "Table({Value:2},{Value:3})");
  EXPECT_EQ(eval("b"), "Table({Value:1},{Value:2})");
}

TEST_F(MutationTest, ClearAndClearCollect) {
  eval("Set(t, [1,2])");
  EXPECT_EQ(eval("ClearCollect(t, {Value:9})"), "{Value:9}");
  EXPECT_EQ(eval("t"), "Table({Value:9})");
  EXPECT_EQ(eval("Clear(t); CountRows(t)"), "0");
}

TEST_F(MutationTest, RemoveMatchesWholeRecordsOnceOrAll) {
  eval("Set(t, Table({a:1,b:1},{a:1,b:2},{a:1,b:1}))");
  EXPECT_EQ(eval("Remove(t, {a:1})"), "Error({Kind:ErrorKind.NotFound})");
  eval("Remove(t, {a:1,b:1})");
  EXPECT_EQ(eval("t"), "Table({a:1,b:2},{a:1,b:1})");
  eval("Collect(t, {a:1,b:2}); Remove(t, {a:1,b:2}, RemoveFlags.All)");
  EXPECT_EQ(eval("t"), "Table({a:1,b:1})");
  // A failing record removes nothing.
  EXPECT_EQ(eval("Remove(t, {a:1,b:1}, {a:5,b:5})"), "Error({Kind:ErrorKind.NotFound})");
  EXPECT_EQ(eval("CountRows(t)"), "1");
  EXPECT_EQ(errors("Remove(t, {a:1,b:1}, \"Al\")"),
            "Error 0-6: The function 'Remove' has some invalid arguments.|Error 21-25: If "
            "provided, last argument must be 'RemoveFlags.All'. Is there a typo?");
}

TEST_F(MutationTest, RemoveIfAndUpdateIfUseRowScope) {
  eval("Set(t, [1,2,3,4])");
  eval("RemoveIf(t, Value > 2)");
  EXPECT_EQ(eval("t"), "Table({Value:1},{Value:2})");
  eval("UpdateIf(t, Value = 2, {Value: Value * 10})");
  EXPECT_EQ(eval("t"), "Table({Value:1},{Value:20})");
  EXPECT_EQ(eval("RemoveIf(t, 1/(Value-1) > 0); t"), "Error({Kind:ErrorKind.Div0})");
}

TEST_F(MutationTest, PatchUpdatesMatchingRowOrCreatesOne) {
  eval("Set(t, Table({a:1,b:\"x\"},{a:2,b:\"y\"}))");
  EXPECT_EQ(eval("Patch(t, {a:2,b:\"y\"}, {b:\"z\"})"), "{a:2,b:\"z\"}");
  EXPECT_EQ(eval("Patch(t, First(t), {a:10})"), "{a:10,b:\"x\"}");
  EXPECT_EQ(eval("Patch(t, Defaults(t), {a:3})"), "{a:3,b:Blank()}");
  EXPECT_EQ(eval("t"), "Table({a:10,b:\"x\"},{a:2,b:\"z\"},{a:3,b:Blank()})");
  // A base that no row matches: the changes alone make the new row.
  EXPECT_EQ(eval("Patch(t, {a:99,b:\"q\"}, {a:1})"), "{a:1}");
  EXPECT_EQ(eval("Last(t)"), "{a:1,b:Blank()}");
  // Patch of a record merges and changes nothing.
  EXPECT_EQ(eval("Patch({a:1,b:2}, {b:3}, {c:4})"), "{a:1,b:3,c:4}");
}

TEST_F(MutationTest, DeepWritesThroughFieldsAndSelectedRows) {
  eval("Set(r, {a: {b: [1,2,3]}})");
  eval("Set(copy, r)");
  EXPECT_EQ(eval("Patch(r.a.b, {Value:2}, {Value:9})"), "{Value:9}");
  EXPECT_EQ(eval("r"), "{a:{b:Table({Value:1},{Value:9},{Value:3})}}");
  EXPECT_EQ(eval("copy"), "{a:{b:Table({Value:1},{Value:2},{Value:3})}}");
  eval("Set(n, [[1,2],[3,4]])");
  eval("Collect(Last(n).Value, {Value:5})");
  EXPECT_EQ(eval("n"),
            "Table({Value:Table({Value:1},{Value:2})},"
            "{Value:Table({Value:3},{Value:4},{Value:5})})");
}

TEST_F(MutationTest, OnlyPlacesCanBeChanged) {
  eval("Set(t, [1])");
  EXPECT_EQ(errors("Collect(FirstN(t, 1), {Value:2})"),
            "Error 0-7: The function 'Collect' has some invalid arguments.|"
            "Error 8-20: The value passed to the 'Collect' function cannot be changed.");
  engine_.declare("Fixed", Type::table({{"Value", Type::number()}}),
                  Value::table({}, Type::record({{"Value", Type::number()}})),
                  SymbolFlags{.can_set = false, .can_mutate = false});
  EXPECT_NE(errors("Clear(Fixed)").find("cannot be changed"), std::string::npos);
  // Outside a behavior formula.
  auto data_formula = engine_.check("Collect(t, {Value:1})");
  ASSERT_FALSE(data_formula.ok());
  EXPECT_NE(data_formula.diagnostics[0].message.find("Behavior function"), std::string::npos);
}

TEST_F(MutationTest, OnlySetDeclaresAVariable) {
  eval("Set(fresh, [1])");
  EXPECT_EQ(eval("fresh"), "Table({Value:1})");
  EXPECT_TRUE(reports("Collect(Unknown, {a:1})", "Name isn't valid. 'Unknown' isn't recognized."));
  EXPECT_TRUE(
      reports("ClearCollect(Unknown, [1])", "Name isn't valid. 'Unknown' isn't recognized."));
}

// A sealed record type (a system record such as `User`) keeps its columns.
class SealedRecordTest : public MutationTest {
 protected:
  SealedRecordTest() {
    Type user = Type::record({{"Email", Type::text()}, {"Name", Type::text()}}).as_sealed();
    engine_.declare("Sys", user,
                    Value::record({{"Email", Value::text("a@b.c")}, {"Name", Value::text("A")}}),
                    SymbolFlags{.can_set = false, .can_mutate = false});
  }
};

constexpr const char* kCantAdd =
    "Can't add columns to a system record or table of system records. Use ShowColumns to "
    "extract the specific columns you need first.";

TEST_F(SealedRecordTest, AddAndRenameColumnsRefuseSealedSources) {
  EXPECT_EQ(errors("AddColumns(Sys, \"x\", 1)"),
            "Error 0-10: The function 'AddColumns' has some invalid arguments.|"
            "Error 11-14: " +
                std::string(kCantAdd));
  EXPECT_TRUE(reports("RenameColumns([Sys], \"Name\", \"N\")",
                      "Can't rename columns of a system record or table of system records. Use "
                      "ShowColumns to extract the specific columns you need first."));
  // Through rows, DropColumns and unions with an empty record or Blank.
  for (const char* source : {"First([Sys])", "DropColumns(Sys, \"Name\")", "Table({}, Sys)",
                             "Table(Sys, Blank())", "With({a: Sys}, a)"})
    EXPECT_TRUE(reports("AddColumns(" + std::string(source) + ", \"x\", 1)", kCantAdd)) << source;
  // ShowColumns builds a fresh type; a sealed field does not seal its record.
  EXPECT_EQ(eval("AddColumns(ShowColumns(Sys, \"Email\"), \"x\", 1)"), "{Email:\"a@b.c\",x:1}");
  EXPECT_EQ(eval("AddColumns({c: Sys}, \"x\", 1).x"), "1");
  EXPECT_TRUE(reports("AddColumns(AddColumns({c: Sys}, \"x\", 1).c, \"y\", 1)", kCantAdd));
}

TEST_F(SealedRecordTest, UnionsOnlyWithTheSameColumns) {
  EXPECT_EQ(eval("CountRows(Table(Sys, Sys))"), "2");
  EXPECT_EQ(eval("CountRows([DropColumns(Sys, \"Name\"), DropColumns(Sys, \"Name\")])"), "2");
  constexpr const char* kIncompatible =
      "Incompatible type. The item you are trying to put into a table has a type that is not "
      "compatible with the table.";
  EXPECT_TRUE(reports("Table(Sys, {Email: \"x\"})", kIncompatible));
  EXPECT_TRUE(reports("[DropColumns(Sys, \"Name\"), DropColumns(Sys, \"Email\")]", kIncompatible));
}

TEST_F(SealedRecordTest, ErrorsOnADottedArgumentAreAtTheMember) {
  EXPECT_EQ(errors("AddColumns({c: Sys}.c, \"x\", 1)"),
            "Error 0-10: The function 'AddColumns' has some invalid arguments.|"
            "Error 19-21: " +
                std::string(kCantAdd));
}

// A data source that records what the mutation functions send it.
class FakeSource : public MutableTableSource {
 public:
  mutable std::vector<Value> stored;
  mutable int transactions = 0;
  Type row = Type::record({{"a", Type::number()}});

  std::vector<Value> rows() const override { return stored; }
  std::string name() const override { return "Fake"; }
  Value insert(const std::vector<Value>& records) const override {
    ++transactions;
    stored.insert(stored.end(), records.begin(), records.end());
    return Value::table(records, row);
  }
  Value update(const std::vector<std::pair<Value, Value>>& changes) const override {
    ++transactions;
    std::vector<Value> written;
    for (const auto& [old, updated] : changes)
      for (Value& r : stored)
        if (values_equal(r, old)) {
          r = updated;
          written.push_back(updated);
        }
    return Value::table(written, row);
  }
  Value remove(const std::vector<Value>& existing) const override {
    ++transactions;
    for (const Value& e : existing)
      std::erase_if(stored, [&](const Value& r) { return values_equal(r, e); });
    return Value::void_();
  }
};

TEST_F(MutationTest, DataSourcesReceiveOneTransactionPerChange) {
  auto source = std::make_shared<FakeSource>();
  source->stored = {Value::record({{"a", Value::number(1)}})};
  engine_.declare("Src", source->row.as_table(), source->fresh_value(source->row));
  EXPECT_EQ(eval("Collect(Src, {a:2}, {a:3})"), "Table({a:2},{a:3})");
  EXPECT_EQ(source->transactions, 1);
  EXPECT_EQ(eval("Patch(Src, {a:2}, {a:20})"), "{a:20}");
  eval("Remove(Src, {a:1})");
  EXPECT_EQ(eval("Src"), "Table({a:20},{a:3})");
  EXPECT_EQ(source->transactions, 3);
}

}  // namespace
}  // namespace canvasfx
