package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.catalog.TableName;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.WriteContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The start of a {@code --write} over a real catalog with awkward names (the public edge-case
 * catalog): setup plus every loader's start gives each stream a final table with legal names.
 */
public abstract class WriteInitSuite<C> extends DatabaseSuite<C> {
  private static final String EDGE_CASE_CATALOG = "airbyte/standard_destination_test/edge_case_catalog.json";
  private static final String LEGAL = "[A-Za-z0-9_]+";

  /** Runs what {@code --write} runs before reading input: setup, then create and start each loader. */
  private TableCatalog initialise(C config) throws Exception {
    DestinationCatalog catalog =
        TestCatalogs.destinationCatalog(TestCatalogs.configureAll(Vectors.json(EDGE_CASE_CATALOG)));
    TableCatalog tables = TableCatalog.build(catalog, destination().namingPolicy(config));
    try (DestinationWriter writer = destination().createWriter(config, tables, WriteContext.of(PipelineSettings.defaults()))) {
      writer.setup();
      for (StreamTables table : tables.tables()) {
        writer.createStreamLoader(table).start();
      }
    }
    return tables;
  }

  /** Each final table's columns as the database lists them. */
  private Map<TableName, List<String>> columnsOf(C config, TableCatalog tables) throws Exception {
    Map<TableName, List<String>> columns = new LinkedHashMap<>();
    try (TestDatabase database = openDatabase(config)) {
      for (StreamTables table : tables.tables()) {
        columns.put(table.finalTable(), List.copyOf(database.operations().columns(table.finalTable()).keySet()));
      }
    }
    return columns;
  }

  @Test
  void everyStreamGetsAFinalTableWithTheMetaColumnsFirstThenOneColumnPerField() throws Exception {
    C config = config();
    TableCatalog tables = initialise(config);
    Map<TableName, List<String>> columns = columnsOf(config, tables);
    for (StreamTables table : tables.tables()) {
      assertThat(table.columns()).as("columns of %s", table.stream().descriptor())
          .hasSize(table.stream().fields().size());
      assertThat(columns.get(table.finalTable())).as("table of %s", table.stream().descriptor())
          .containsExactlyElementsOf(
              Stream.concat(MetaColumns.ALL.stream(), table.columns().stream().map(ColumnDef::name)).toList());
    }
  }

  @Test
  void tableAndColumnNamesAreLegalAndDistinctIdentifiers() throws Exception {
    C config = config();
    IdentifierRules rules = destination().namingPolicy(config).rules();
    TableCatalog tables = initialise(config);
    assertThat(tables.tables()).extracting(StreamTables::finalTable).doesNotHaveDuplicates();
    for (StreamTables table : tables.tables()) {
      List<String> names = Stream.concat(
              Stream.of(table.finalTable().namespace(), table.finalTable().name()),
              table.columns().stream().map(ColumnDef::name))
          .toList();
      assertThat(names).as("names of %s", table.stream().descriptor())
          .allMatch(name -> name.matches(LEGAL) && rules.sanitize(name).equals(name));
      assertThat(table.columns()).extracting(ColumnDef::name).doesNotHaveDuplicates();
    }
  }

  @Test
  void aStreamNameWithSpecialCharactersGetsALegalTable() throws Exception {
    C config = config();
    TableCatalog tables = initialise(config);
    StreamTables special = tables.tables().stream()
        .filter(table -> table.stream().descriptor().name().equals("stream-with:spécial:character_names"))
        .findFirst()
        .orElseThrow();
    assertThat(special.finalTable().name()).matches(LEGAL);
    assertThat(special.columns()).singleElement().satisfies(column -> {
      assertThat(column.sourceName()).isEqualTo("field_with_spécial_character");
      assertThat(column.name()).matches(LEGAL);
    });
    assertThat(columnsOf(config, tables).get(special.finalTable())).contains(special.columns().get(0).name());
  }

  @Test
  void initialisingTwiceKeepsTheSameEmptyTables() throws Exception {
    C config = config();
    TableCatalog first = initialise(config);
    Map<TableName, List<String>> columnsAfterFirst = columnsOf(config, first);
    TableCatalog second = initialise(config);

    assertThat(columnsOf(config, second)).isEqualTo(columnsAfterFirst);
    try (TestDatabase database = openDatabase(config)) {
      for (StreamTables table : second.tables()) {
        assertThat(database.operations().countRows(table.finalTable())).isZero();
      }
    }
  }
}
