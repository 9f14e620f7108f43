package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.Row;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.FieldType;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TableStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQL primitives of {@code destkit-sql} ({@link TableOperations}) with the destination's
 * dialect and bulk loader, against its real database.
 */
public abstract class TableOperationsSuite<C> extends DatabaseSuite<C> {
  private static final long GENERATION_ID = 5;
  private static final long SYNC_ID = 9;

  private TestDatabase database;
  private TableOperations operations;
  private final List<String> namespaces = new ArrayList<>();

  @BeforeEach
  void openTheDatabase() throws Exception {
    database = openDatabase(config());
    operations = database.operations();
  }

  @AfterEach
  void dropTheNamespacesAndClose() throws Exception {
    try (TestDatabase closing = database) {
      for (String namespace : namespaces) {
        closing.operations().dropNamespace(namespace);
      }
    }
  }

  /** A namespace no other test uses, dropped after the test. */
  private String namespace(String prefix) {
    String namespace = uniqueName(prefix);
    namespaces.add(namespace);
    return namespace;
  }

  /** The tables of a stream with a field of every Airbyte type, named by the destination's rules. */
  private StreamTables everyTypeStream(String namespace) {
    JsonNode stream =
        TestCatalogs.stream(namespace, "every_type", EveryAirbyteType.schema())
            .put("generation_id", GENERATION_ID)
            .put("sync_id", SYNC_ID);
    return TableCatalog.build(
            TestCatalogs.destinationCatalog(TestCatalogs.catalog(stream)), destination().namingPolicy(config()))
        .get(0);
  }

  private StreamTables createdEveryTypeTable() throws Exception {
    StreamTables tables = everyTypeStream(namespace("destkit_ops"));
    operations.createNamespace(tables.finalTable().namespace());
    operations.createTable(tables.finalTable(), tables.columns(), false);
    return tables;
  }

  private Row everyTypeRow(List<ColumnDef> columns) {
    return TestRows.row(columns, EveryAirbyteType.record(), 1_700_000_000_123L, destination().valueLimits());
  }

  private static List<String> metaThen(List<ColumnDef> columns) {
    return Stream.concat(MetaColumns.ALL.stream(), columns.stream().map(ColumnDef::name)).toList();
  }

  @Test
  void connectsToTheDatabase() throws Exception {
    try (Connection connection = operations.connections().open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT 1")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void createsANamespaceAndCreatingItAgainIsHarmless() throws Exception {
    String namespace = namespace("destkit_ns");
    operations.createNamespace(namespace);
    operations.createNamespace(namespace);
    assertThat(database.namespaceExists(namespace)).isTrue();
  }

  @Test
  void dropsANamespaceWithItsTablesAndDroppingItAgainIsHarmless() throws Exception {
    StreamTables tables = createdEveryTypeTable();
    operations.dropNamespace(tables.finalTable().namespace());
    operations.dropNamespace(tables.finalTable().namespace());
    assertThat(database.namespaceExists(tables.finalTable().namespace())).isFalse();
    assertThat(operations.tableExists(tables.finalTable())).isFalse();
  }

  @Test
  void theStreamFixtureHasAColumnOfEveryAirbyteType() {
    List<Class<?>> types =
        everyTypeStream("any").columns().stream().<Class<?>>map(column -> column.type().getClass()).toList();
    assertThat(types).containsExactlyInAnyOrder(AirbyteType.class.getPermittedSubclasses());
  }

  @Test
  void createsATableWithTheMetaColumnsFirstThenTheUserColumnsInOrder() throws Exception {
    StreamTables tables = createdEveryTypeTable();
    assertThat(operations.columns(tables.finalTable()).keySet())
        .containsExactlyElementsOf(metaThen(tables.columns()));
  }

  @Test
  void tableExistsOnlyBetweenCreateAndDrop() throws Exception {
    StreamTables tables = everyTypeStream(namespace("destkit_ops"));
    operations.createNamespace(tables.finalTable().namespace());
    assertThat(operations.tableExists(tables.finalTable())).isFalse();
    operations.createTable(tables.finalTable(), tables.columns(), false);
    assertThat(operations.tableExists(tables.finalTable())).isTrue();
    operations.dropTable(tables.finalTable());
    assertThat(operations.tableExists(tables.finalTable())).isFalse();
    operations.dropTable(tables.finalTable());
  }

  @Test
  void creatingAnExistingTableWithoutReplaceKeepsItsRows() throws Exception {
    StreamTables tables = createdEveryTypeTable();
    database.load(tables.finalTable(), tables.columns(), tables.stream(), TestRows.batch(everyTypeRow(tables.columns())));
    operations.createTable(tables.finalTable(), tables.columns(), false);
    assertThat(operations.countRows(tables.finalTable())).isEqualTo(1);
  }

  @Test
  void replacingATableEmptiesIt() throws Exception {
    StreamTables tables = createdEveryTypeTable();
    database.load(tables.finalTable(), tables.columns(), tables.stream(), TestRows.batch(everyTypeRow(tables.columns())));
    operations.createTable(tables.finalTable(), tables.columns(), true);
    assertThat(operations.countRows(tables.finalTable())).isZero();
    assertThat(operations.columns(tables.finalTable()).keySet())
        .containsExactlyElementsOf(metaThen(tables.columns()));
  }

  @Test
  void countsTheRowsTheBulkLoaderWroteWithEveryColumnFilled() throws Exception {
    StreamTables tables = createdEveryTypeTable();
    Row[] rows = {everyTypeRow(tables.columns()), everyTypeRow(tables.columns()), everyTypeRow(tables.columns())};
    database.load(tables.finalTable(), tables.columns(), tables.stream(), TestRows.batch(rows));

    assertThat(operations.countRows(tables.finalTable())).isEqualTo(3);
    List<TableRow> stored = database.rows(tables.finalTable());
    assertThat(stored).extracting(TableRow::rawId)
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(rows).map(Row::rawId).toList());
    for (TableRow row : stored) {
      assertThat(row.values()).as("user columns of a row written from a full record")
          .containsOnlyKeys(tables.columns().stream().map(ColumnDef::name).toArray(String[]::new))
          .doesNotContainValue(null);
    }
  }

  @Test
  void theGenerationIdOfAnEmptyTableIsEmpty() throws Exception {
    StreamTables tables = createdEveryTypeTable();
    assertThat(operations.generationId(tables.finalTable())).isEmpty();
  }

  @Test
  void theGenerationIdOfAWrittenTableIsTheStreamsGenerationId() throws Exception {
    StreamTables tables = createdEveryTypeTable();
    database.load(tables.finalTable(), tables.columns(), tables.stream(), TestRows.batch(everyTypeRow(tables.columns())));
    assertThat(operations.generationId(tables.finalTable())).hasValue(GENERATION_ID);
  }

  /** The status reads whether there are rows (one row), also when the rows carry no generation id. */
  @Test
  void theStatusTellsAnEmptyTableFromOneWhoseRowsHaveNoGeneration() throws Exception {
    StreamTables tables = createdEveryTypeTable();
    assertThat(operations.hasRows(tables.finalTable())).isFalse();
    assertThat(operations.status(tables.finalTable())).isEqualTo(new TableStatus(true, true, OptionalLong.empty()));

    database.load(tables.finalTable(), tables.columns(), tables.stream(), TestRows.batch(everyTypeRow(tables.columns())));
    operations.execute("UPDATE " + operations.dialect().qualified(tables.finalTable()) + " SET "
        + operations.dialect().quote(MetaColumns.GENERATION_ID) + " = NULL");
    assertThat(operations.hasRows(tables.finalTable())).isTrue();
    assertThat(operations.status(tables.finalTable())).isEqualTo(new TableStatus(true, false, OptionalLong.empty()));
    assertThat(operations.status(new TableName(tables.finalTable().namespace(), "missing"))).isEqualTo(TableStatus.MISSING);
  }

  @Test
  void addMissingColumnsAddsOnlyTheColumnsTheTableLacks() throws Exception {
    StreamTables tables = everyTypeStream(namespace("destkit_ops"));
    List<ColumnDef> all = tables.columns();
    List<ColumnDef> firstTwo = all.subList(0, 2);
    List<ColumnDef> fromSecond = all.subList(1, all.size());
    operations.createNamespace(tables.finalTable().namespace());
    operations.createTable(tables.finalTable(), firstTwo, false);
    database.load(tables.finalTable(), firstTwo, tables.stream(), TestRows.batch(everyTypeRow(firstTwo)));

    List<String> columns = operations.addMissingColumns(tables.finalTable(), fromSecond);

    assertThat(columns).containsExactlyElementsOf(metaThen(all));
    assertThat(operations.columns(tables.finalTable()).keySet()).containsExactlyElementsOf(columns);
    assertThat(operations.addMissingColumns(tables.finalTable(), all)).containsExactlyElementsOf(columns);
    assertThat(operations.countRows(tables.finalTable())).isEqualTo(1);
  }

  @Test
  void identifiersWithQuotesSpacesAndUpperCaseRoundTrip() throws Exception {
    String namespace = "Dest\"Kit\" Schema " + uniqueName("X");
    namespaces.add(namespace);
    TableName table = new TableName(namespace, "Mixed Case \"Table\"");
    ColumnDef column = new ColumnDef("Field \"One\"", "Column \"One\" Here", AirbyteType.STRING, true);
    DestinationStream stream =
        new DestinationStream(
            new StreamDescriptor(namespace, table.name()), AirbyteType.UNKNOWN,
            Map.of(column.sourceName(), new FieldType(column.type(), true)), false,
            new ImportType.Append(), GENERATION_ID, 0, SYNC_ID);
    JsonNode data = MessageCodec.MAPPER.createObjectNode().put("Field \"One\"", "it's \"quoted\"");

    operations.createNamespace(namespace);
    operations.createTable(table, List.of(column), false);
    assertThat(operations.tableExists(table)).isTrue();
    assertThat(operations.columns(table).keySet()).containsExactlyElementsOf(metaThen(List.of(column)));
    database.load(table, List.of(column), stream,
        TestRows.batch(TestRows.row(List.of(column), data, 1L, destination().valueLimits())));

    assertThat(operations.countRows(table)).isEqualTo(1);
    assertThat(operations.generationId(table)).hasValue(GENERATION_ID);
    assertThat(database.rows(table)).singleElement()
        .satisfies(row -> assertThat(row.values()).containsEntry(column.name(), "it's \"quoted\""));
    operations.dropTable(table);
    assertThat(operations.tableExists(table)).isFalse();
  }
}
