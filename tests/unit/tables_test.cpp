// Unit tests of the tables and records family (stdlib/tables*.cpp).
#include <gtest/gtest.h>

#include "canvasfx/engine.h"
#include "canvasfx/stdlib.h"
#include "stdlib_fixture.h"

namespace canvasfx {
namespace {

class TablesTest : public StdlibTest {};

TEST_F(TablesTest, FilterKeepsMatchingRowsAndBlankRows) {
  EXPECT_EQ(eval("Filter([1,4,2,7], Value > 2)"), "Table({Value:4},{Value:7})");
  EXPECT_EQ(eval("Filter([1,2,3], Value > 1, Value < 3)"), "Table({Value:2})");
  EXPECT_EQ(eval("Filter(Table({a:1},If(1<0,{a:3}),{a:4}), IsBlank(a) Or a > 1)"),
            "Table(Blank(),{a:4})");
  EXPECT_EQ(eval("Filter([1,2,3] As X, X.Value > 2)"), "Table({Value:3})");
  // A failing condition makes that row an Error; a failing table is the result.
  EXPECT_EQ(eval("Filter([1,0], 1/Value > 0)"), "Table({Value:1},Error({Kind:ErrorKind.Div0}))");
  EXPECT_EQ(eval("Filter(If(1/0 > 0, [1]), true)"), "Error({Kind:ErrorKind.Div0})");
}

TEST_F(TablesTest, LookUpReturnsFirstMatchOrReduction) {
  EXPECT_EQ(eval("LookUp([1,2,3], Value >= 2)"), "{Value:2}");
  EXPECT_EQ(eval("LookUp([1,2,3], Value >= 2, Value * 10)"), "20");
  EXPECT_EQ(eval("LookUp([1,2,3], Value > 5)"), "Blank()");
  EXPECT_NE(errors("LookUp([1, 2, 3], \"string\")").find("Expected boolean"), std::string::npos);
  EXPECT_EQ(errors("LookUp(true, true)"),
            "Error 0-6: The function 'LookUp' has some invalid arguments.|Error 7-11: Invalid "
            "argument type.");
}

TEST_F(TablesTest, FirstLastAndNVariants) {
  EXPECT_EQ(eval("First([30,20])"), "{Value:30}");
  EXPECT_EQ(eval("Last([30,20])"), "{Value:20}");
  EXPECT_EQ(eval("First(Filter([1], false))"), "Blank()");
  EXPECT_EQ(eval("FirstN([1,2,3], 2)"), "Table({Value:1},{Value:2})");
  EXPECT_EQ(eval("LastN([1,2,3], 2)"), "Table({Value:2},{Value:3})");
  EXPECT_EQ(eval("LastN([1,2,3])"), "Table({Value:3})");
  EXPECT_EQ(eval("FirstN([1,2,3], -1)"), "Table()");
  EXPECT_EQ(eval("FirstN([1,2,3], 10)"), "Table({Value:1},{Value:2},{Value:3})");
  EXPECT_EQ(eval("Index([10,20,30], 2)"), "{Value:20}");
  EXPECT_EQ(eval("Index([10,20,30], 4)"), "Error({Kind:ErrorKind.InvalidArgument})");
}

TEST_F(TablesTest, FirstNRequiresCountWithFeature) {
  engine_.features().first_last_n_requires_second_arguments = true;
  EXPECT_EQ(errors("FirstN([1, 2])"),
            "Error 0-14: Invalid number of arguments: received 1, expected 2.|Error 0-6: The "
            "function 'FirstN' has some invalid arguments.");
}

TEST_F(TablesTest, ForAllWrapsScalarsAndCombinesErrors) {
  EXPECT_EQ(eval("ForAll([1,2], Value * 2)"), "Table({Value:2},{Value:4})");
  EXPECT_EQ(eval("ForAll([1,2], {b: Value})"), "Table({b:1},{b:2})");
  EXPECT_EQ(eval("ForAll([1,2,3], If(Value <> 2, {a:Value}))"), "Table({a:1},Blank(),{a:3})");
  EXPECT_EQ(eval("ForAll([1,0], 1/Value)"), "Error({Kind:ErrorKind.Div0})");
}

TEST_F(TablesTest, DistinctKeepsFirstOccurrences) {
  EXPECT_EQ(eval("Distinct([3,1,3,2,1], Value)"), "Table({Value:3},{Value:1},{Value:2})");
  EXPECT_EQ(eval("Distinct([\"a\",Blank(),\"a\",Blank()], Value)"),
            "Table({Value:\"a\"},{Value:Blank()})");
}

TEST_F(TablesTest, SequenceAndShuffle) {
  EXPECT_EQ(eval("Sequence(3)"), "Table({Value:1},{Value:2},{Value:3})");
  EXPECT_EQ(eval("Sequence(3, 10, -5)"), "Table({Value:10},{Value:5},{Value:0})");
  EXPECT_EQ(eval("Sequence(0.9)"), "Table()");
  engine_.set_random([] { return 0.0; });
  EXPECT_EQ(eval("Sort(Shuffle([3,1,2]), Value)"), "Table({Value:1},{Value:2},{Value:3})");
}

TEST_F(TablesTest, SortIsStableCultureAwareAndBlanksLast) {
  EXPECT_EQ(eval("Sort([3,Blank(),1], Value)"), "Table({Value:1},{Value:3},{Value:Blank()})");
  EXPECT_EQ(eval("Sort([3,Blank(),1], Value, SortOrder.Descending)"),
            "Table({Value:3},{Value:1},{Value:Blank()})");
  EXPECT_EQ(eval("Sort([\"b\",\"B\",\"a\"], Value)"),
            "Table({Value:\"a\"},{Value:\"b\"},{Value:\"B\"})");
  EXPECT_EQ(eval("Sort(Table({a:1,b:1},{a:0,b:2},{a:1,b:3}), a)"),
            "Table({a:0,b:2},{a:1,b:1},{a:1,b:3})");
  EXPECT_EQ(eval("Sort([1,0], 1/Value)"), "Error({Kind:ErrorKind.Div0})");
}

TEST_F(TablesTest, SortByColumns) {
  EXPECT_EQ(eval("SortByColumns(Table({a:2,b:1},{a:1,b:2},{a:2,b:0}), \"a\", SortOrder.Ascending, "
                 "\"b\", SortOrder.Descending)"),
            "Table({a:1,b:2},{a:2,b:1},{a:2,b:0})");
  // By a list of values: listed first in list order, the rest after, in order.
  EXPECT_EQ(eval("SortByColumns([\"x\",\"b\",\"a\",\"y\"], \"Value\", [\"a\",\"b\"])"),
            "Table({Value:\"a\"},{Value:\"b\"},{Value:\"x\"},{Value:\"y\"})");
  EXPECT_EQ(eval("SortByColumns([1], If(1>0, \"nope\"))"),
            "Error({Kind:ErrorKind.InvalidFunctionUsage})");
}

TEST_F(TablesTest, ShapingTablesAndRecords) {
  EXPECT_EQ(eval("AddColumns([1,2], \"d\", Value * 2)"), "Table({Value:1,d:2},{Value:2,d:4})");
  EXPECT_EQ(eval("AddColumns({a:1}, \"b\", a + 1)"), "{a:1,b:2}");
  EXPECT_EQ(eval("DropColumns(Table({a:1,b:2}), \"b\")"), "Table({a:1})");
  EXPECT_EQ(eval("ShowColumns({a:1,b:2,c:3}, \"c\", \"a\")"), "{a:1,c:3}");
  EXPECT_EQ(eval("RenameColumns([1,2], \"Value\", \"N\")"), "Table({N:1},{N:2})");
  EXPECT_EQ(eval("RenameColumns(If(1<0, {a:1}), \"a\", \"b\")"), "Blank()");
}

TEST_F(TablesTest, ShapingDiagnostics) {
  EXPECT_EQ(errors("AddColumns([1], \"Value\", 1)"),
            "Error 0-10: The function 'AddColumns' has some invalid arguments.|Warning 16-23: A "
            "column named 'Value' already exists.");
  EXPECT_EQ(errors("DropColumns(Table({a:1,b:2}), \"a\", \"a\")"),
            "Error 0-11: The function 'DropColumns' has some invalid arguments.|Error 35-38: The "
            "specified column 'a' does not exist. The column with the most similar name is 'b'.");
  EXPECT_EQ(errors("RenameColumns({a:1,b:2}, \"a\", \"b\")"),
            "Error 0-13: The function 'RenameColumns' has some invalid arguments.|Error 30-33: A "
            "column named 'b' already exists.");
  EXPECT_EQ(errors("ShowColumns([1], 5)"),
            "Error 0-11: The function 'ShowColumns' has some invalid arguments.|Error 17-18: "
            "Argument '5' is invalid, expected a text literal.");
}

TEST_F(TablesTest, ColumnNamesAsIdentifiers) {
  engine_.features().support_column_names_as_identifiers = true;
  EXPECT_EQ(eval("AddColumns([1,2], sq, Value * Value)"), "Table({Value:1,sq:1},{Value:2,sq:4})");
  EXPECT_EQ(eval("ShowColumns(Table({a:1,b:2}), b)"), "Table({b:2})");
  EXPECT_EQ(errors("DropColumns([1], 3)"),
            "Error 0-11: The function 'DropColumns' has some invalid arguments.|Error 17-18: "
            "Expected identifier name");
}

TEST_F(TablesTest, SearchMatchesAnyColumnIgnoringCase) {
  EXPECT_EQ(eval("Search(Table({a:\"Xy\",b:\"q\"},{a:\"z\",b:\"xY\"},{a:\"n\",b:\"m\"}), \"xy\", "
                 "\"a\", \"b\")"),
            "Table({a:\"Xy\",b:\"q\"},{a:\"z\",b:\"xY\"})");
  EXPECT_EQ(eval("Search([\"a\",\"b\"], \"\", \"Value\")"), "Table({Value:\"a\"},{Value:\"b\"})");
}

TEST_F(TablesTest, SummarizeGroupsInOrderOfAppearance) {
  engine_.features().support_column_names_as_identifiers = true;
  EXPECT_EQ(eval("Summarize(Table({k:\"b\",v:1},{k:\"a\",v:2},{k:\"b\",v:3}), k, "
                 "Last(ThisGroup).v As l, First(ThisGroup).v As f)"),
            "Table({f:1,k:\"b\",l:3},{f:2,k:\"a\",l:2})");
  EXPECT_NE(errors("Summarize(Table({a:1}) As T, a)").find("Scoping the data source"),
            std::string::npos);
}

TEST_F(TablesTest, JoinKindsAndRenames) {
  const std::string tables =
      "Join([{a:1,b:1},{a:2,b:2}] As L, [{a:1,c:9},{a:1,c:8},{a:3,c:7}] As R, ";
  EXPECT_EQ(eval(tables + "L.a = R.a, JoinType.Inner, R.c As c)"),
            "Table({a:1,b:1,c:9},{a:1,b:1,c:8})");
  EXPECT_EQ(eval(tables + "L.a = R.a, JoinType.Left, R.c As c, L.b As k)"),
            "Table({a:1,c:9,k:1},{a:1,c:8,k:1},{a:2,c:Blank(),k:2})");
  EXPECT_EQ(eval(tables + "L.a = R.a, JoinType.Right, R.c As c)"),
            "Table({a:1,b:1,c:9},{a:1,b:1,c:8},{a:Blank(),b:Blank(),c:7})");
  EXPECT_EQ(eval(tables + "L.a = R.a, JoinType.Full, R.a As ra)"),
            "Table({a:1,b:1,ra:1},{a:1,b:1,ra:1},{a:2,b:2,ra:Blank()},{a:Blank(),b:Blank(),ra:3})");
  // A predicate error is an Error row; a Blank table a Blank result.
  EXPECT_EQ(eval("Join([1,2], [0], 1/RightRecord.Value = 1, JoinType.Inner, "
                 "RightRecord.Value As R)"),
            "Table(Error({Kind:ErrorKind.Div0}),Error({Kind:ErrorKind.Div0}))");
  EXPECT_EQ(eval("Join(If(false,[1]), [1], true, JoinType.Inner, RightRecord.Value As R)"),
            "Blank()");
  EXPECT_NE(errors("Join([{a:1}], [{b:1}], true, JoinType.Inner, LeftRecord.a As b)")
                .find("At least one 'RightRecord' column must be declared"),
            std::string::npos);
  EXPECT_NE(errors("Join([{a:1}], [{b:1}], true, JoinType.Inner, RightRecord.b As a)")
                .find("'RightRecord.b As a' can not be added/renamed"),
            std::string::npos);
}

}  // namespace
}  // namespace canvasfx
