package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.catalog.TableName;
import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.ChangeSink;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.Coercers;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import io.destkit.sql.AppendStreamLoader;
import io.destkit.sql.TableOperations;
import io.destkit.sql.TargetLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The destination against the real PostgreSQL server of the testkit ({@code PostgresServer}, from
 * Maven-distributed binaries, no Docker): the check's probe, and COPY of every type written and read
 * back. The check's failures are in {@link PostgresCheckTest}.
 */
@Timeout(120)
class PostgresCopyLoaderIT {
  @TempDir Path temp;

  private static String unique(String prefix) {
    return prefix + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  private static PostgresConfig config(ObjectNode json) {
    PostgresDestination destination = new PostgresDestination();
    destination.specification().validate(json);
    return destination.bindConfig(json);
  }

  private static PostgresConfig writer(String schema) {
    return config(PostgresTarget.config(DEFAULT_DATABASE, schema));
  }

  private static Connection superuserConnection() throws SQLException {
    return PostgresTarget.server().superuserConnection(DEFAULT_DATABASE);
  }

  private static JsonNode resource(String name) {
    try (InputStream in = PostgresCopyLoaderIT.class.getResourceAsStream("/it/" + name)) {
      return MessageCodec.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> lines(String name) {
    try (InputStream in = PostgresCopyLoaderIT.class.getResourceAsStream("/it/" + name)) {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
        lines.add(MessageCodec.MAPPER.readTree(line));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh table for the every-type stream, in its own schema. */
  private record EveryType(PostgresDatabase database, TableOperations operations, StreamTables tables)
      implements AutoCloseable {
    static EveryType create(PostgresConfig config) throws SQLException {
      DestinationCatalog catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(resource("every_type_catalog.json")));
      StreamTables tables = TableCatalog.build(catalog, new PostgresDestination().namingPolicy(config)).get(0);
      PostgresDatabase database = PostgresDatabase.open(config);
      PostgresDialect dialect = new PostgresDialect(config.dropCascade());
      TableOperations operations = new TableOperations(database, dialect);
      operations.createNamespace(tables.finalTable().namespace());
      return new EveryType(database, operations, tables);
    }

    AppendStreamLoader loader(CopyFormat format) throws SQLException {
      AppendStreamLoader loader = new AppendStreamLoader(
          operations, new PostgresCopyLoader((PostgresDialect) operations.dialect(), format), tables);
      loader.start();
      return loader;
    }

    /** Rows from the record data of the messages file, coerced as the pipeline does, PostgreSQL's limits applied. */
    List<Row> rows() throws IOException {
      List<Row> rows = new ArrayList<>();
      PostgresValueLimits limits = new PostgresValueLimits();
      for (JsonNode message : lines("every_type_messages.jsonl")) {
        if (!message.path("type").asText().equals("RECORD")) {
          continue;
        }
        JsonNode data = message.path("record").path("data");
        Object[] values = new Object[tables.columns().size()];
        for (int i = 0; i < values.length; i++) {
          ColumnDef column = tables.columns().get(i);
          JsonNode value = data.get(column.sourceName());
          if (value != null && !value.isNull()) {
            try (JsonParser parser = MessageCodec.MAPPER.getFactory().createParser(MessageCodec.encode(value))) {
              parser.nextToken();
              values[i] = Coercers.forType(column.type(), limits).read(parser, ChangeSink.IGNORE);
            } catch (CoercionFailure nulled) {
              values[i] = null;
            }
          }
        }
        UUID id = UUID.randomUUID();
        rows.add(new Row(id.getMostSignificantBits(), id.getLeastSignificantBits(),
            message.path("record").path("emitted_at").asLong(), null, values));
      }
      return rows;
    }

    /** Every row as text, ordered by extracted_at, read in UTC: meta columns by name, user columns as PostgreSQL prints them. */
    List<Map<String, String>> read() throws SQLException {
      List<Map<String, String>> rows = new ArrayList<>();
      try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
        statement.execute("SET TimeZone = 'UTC'");
        try (ResultSet result = statement.executeQuery(
            "SELECT * FROM " + operations.dialect().qualified(tables.finalTable()) + " ORDER BY _airbyte_extracted_at")) {
          while (result.next()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
              row.put(result.getMetaData().getColumnLabel(i), result.getString(i));
            }
            rows.add(row);
          }
        }
      }
      return rows;
    }

    @Override
    public void close() {
      database.close();
    }
  }

  private static List<Map<String, String>> userColumns(List<Map<String, String>> rows) {
    List<Map<String, String>> result = new ArrayList<>();
    for (Map<String, String> row : rows) {
      Map<String, String> user = new LinkedHashMap<>(row);
      user.keySet().removeIf(column -> column.startsWith("_airbyte_"));
      result.add(user);
    }
    return result;
  }

  private static List<Map<String, String>> expectedRows() {
    List<Map<String, String>> rows = new ArrayList<>();
    for (JsonNode line : lines("every_type_expected.jsonl")) {
      Map<String, String> row = new LinkedHashMap<>();
      line.properties().forEach(field -> row.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText()));
      rows.add(row);
    }
    return rows;
  }

  @Test
  void checkCreatesTheSchemaAndLeavesNoProbeTable() throws Exception {
    String schema = unique("checked");
    new PostgresDestination().check(writer(schema));
    try (Connection connection = superuserConnection();
        Statement statement = connection.createStatement();
        ResultSet tables = statement.executeQuery(
            "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'),"
                + " (SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema + "')")) {
      tables.next();
      assertThat(tables.getInt(1)).isEqualTo(1);
      assertThat(tables.getInt(2)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(CopyFormat.class)
  void aBatchWithEveryTypeIsCopiedAndReadBack(CopyFormat format) throws Exception {
    try (EveryType table = EveryType.create(writer(unique("copy")))) {
      assertThat(table.tables().finalTable().name()).isEqualTo("Every_Type");
      List<Row> rows = table.rows();
      table.loader(format).write(new RecordBatch(0, 1, rows, 0));
      // Every column of the table has a binary encoding: the binary load does not fall back to text.
      TargetLayout layout = TargetLayout.of(
          List.copyOf(table.operations().columns(table.tables().finalTable()).keySet()), table.tables().columns());
      assertThat(CopyBinaryEncoder.kinds(layout, (PostgresDialect) table.operations().dialect())).isNotNull();

      List<Map<String, String>> read = table.read();
      assertThat(userColumns(read)).containsExactlyElementsOf(expectedRows());
      Map<String, String> first = read.get(0);
      assertThat(first.get("_airbyte_raw_id")).isEqualTo(rows.get(0).rawId().toString());
      assertThat(first.get("_airbyte_extracted_at")).isEqualTo("2024-02-29 12:34:56.789+00");
      assertThat(MessageCodec.MAPPER.readTree(first.get("_airbyte_meta")))
          .isEqualTo(MessageCodec.MAPPER.readTree("{\"sync_id\":42,\"changes\":[]}"));
      assertThat(first.get("_airbyte_generation_id")).isEqualTo("7");
    }
  }

  @ParameterizedTest
  @EnumSource(CopyFormat.class)
  void severalBatchesLoadAtOnceOnSeparateConnections(CopyFormat format) throws Exception {
    try (EveryType table = EveryType.create(writer(unique("parallel")))) {
      AppendStreamLoader loader = table.loader(format);
      List<Row> rows = table.rows();
      List<CompletableFuture<Void>> flushes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        List<Row> batch = new ArrayList<>();
        for (int k = 0; k < 250; k++) {
          batch.add(rows.get(k % rows.size()));
        }
        flushes.add(CompletableFuture.runAsync(() -> {
          try {
            loader.write(new RecordBatch(0, 1, batch, 0));
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      flushes.forEach(CompletableFuture::join);
      assertThat(table.operations().countRows(table.tables().finalTable())).isEqualTo(1000);
    }
  }

  @ParameterizedTest
  @EnumSource(CopyFormat.class)
  void aFailedCopyIsCancelledRolledBackAndTheConnectionsStayUsable(CopyFormat format) throws Exception {
    try (EveryType table = EveryType.create(writer(unique("failed")))) {
      AppendStreamLoader loader = table.loader(format);
      List<Row> good = table.rows();
      Object[] values = good.get(0).values().clone();
      values[0] = "NUL \u0000 that bypassed the limits";
      List<Row> bad = new ArrayList<>(good);
      bad.add(new Row(1, 2, 3, null, values));
      for (int attempt = 0; attempt < PostgresDatabase.SMALL_POOL + 1; attempt++) {
        assertThatThrownBy(() -> loader.write(new RecordBatch(0, 1, bad, 0)))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("U+0000");
      }
      assertThat(table.operations().countRows(table.tables().finalTable())).isZero();
      loader.write(new RecordBatch(0, 1, good, 0));
      assertThat(table.operations().countRows(table.tables().finalTable())).isEqualTo(good.size());
    }
  }

  @ParameterizedTest
  @EnumSource(CopyFormat.class)
  void replacingATableDropsAndCreatesIt(CopyFormat format) throws Exception {
    try (EveryType table = EveryType.create(writer(unique("replace")))) {
      table.loader(format).write(new RecordBatch(0, 1, table.rows(), 0));
      TableName name = table.tables().finalTable();
      table.operations().createTable(name, table.tables().columns(), true);
      assertThat(table.operations().countRows(name)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(CopyFormat.class)
  void aSyncWritesEveryTypeAndRecordsWhatWasChanged(CopyFormat format) throws Exception {
    String previous = System.getProperty(CopyFormat.PROPERTY);
    System.setProperty(CopyFormat.PROPERTY, format.name().toLowerCase(java.util.Locale.ROOT));
    try {
      aSyncWritesEveryTypeAndRecordsWhatWasChanged();
    } finally {
      if (previous == null) {
        System.clearProperty(CopyFormat.PROPERTY);
      } else {
        System.setProperty(CopyFormat.PROPERTY, previous);
      }
    }
  }

  private void aSyncWritesEveryTypeAndRecordsWhatWasChanged() throws Exception {
    String schema = unique("sync");
    Path config = temp.resolve("config.json");
    Path catalog = temp.resolve("catalog.json");
    Files.writeString(config, PostgresTarget.config(DEFAULT_DATABASE, schema).toString());
    Files.writeString(catalog, resource("every_type_catalog.json").toString());
    byte[] messages;
    try (InputStream in = getClass().getResourceAsStream("/it/every_type_messages.jsonl")) {
      messages = in.readAllBytes();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new DestinationRunner<>(new PostgresDestination(), new ByteArrayInputStream(messages),
            new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), PipelineSettings.defaults())
        .run(new String[] {"--write", "--config", config.toString(), "--catalog", catalog.toString()});

    assertThat(code).as(out.toString(UTF_8) + err.toString(UTF_8)).isZero();
    assertThat(out.toString(UTF_8)).contains("\"type\":\"STATE\"").contains("\"recordCount\":4");
    try (Connection connection = superuserConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      List<Map<String, String>> rows = new ArrayList<>();
      List<String> metas = new ArrayList<>();
      try (ResultSet result = statement.executeQuery(
          "SELECT * FROM \"" + schema + "\".\"Every_Type\" ORDER BY _airbyte_extracted_at")) {
        while (result.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
            row.put(result.getMetaData().getColumnLabel(i), result.getString(i));
          }
          metas.add(row.get("_airbyte_meta"));
          rows.add(row);
        }
      }
      assertThat(userColumns(rows)).containsExactlyElementsOf(expectedRows());
      assertThat(MessageCodec.MAPPER.readTree(metas.get(3))).isEqualTo(MessageCodec.MAPPER.readTree("""
          {"sync_id": 42, "changes": [
            {"field": "string", "change": "TRUNCATED", "reason": "DESTINATION_SERIALIZATION_ERROR"},
            {"field": "unknown", "change": "TRUNCATED", "reason": "DESTINATION_SERIALIZATION_ERROR"},
            {"field": "time_with_timezone", "change": "NULLED", "reason": "DESTINATION_FIELD_SIZE_LIMITATION"}]}
          """));
      assertThat(MessageCodec.MAPPER.readTree(metas.get(0)).path("changes")).isEmpty();
    }
  }
  /** Runs one write with the writer's config; returns stdout, failing the test on a non-zero exit. */
  private String sync(String schema, String catalogJson, String... messages) throws Exception {
    Path config = Files.createTempFile(temp, "config", ".json");
    Path catalog = Files.createTempFile(temp, "catalog", ".json");
    Files.writeString(config, PostgresTarget.config(DEFAULT_DATABASE, schema).toString());
    Files.writeString(catalog, catalogJson);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new DestinationRunner<>(new PostgresDestination(),
            new ByteArrayInputStream((String.join("\n", messages) + "\n").getBytes(UTF_8)),
            new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), PipelineSettings.defaults())
        .run(new String[] {"--write", "--config", config.toString(), "--catalog", catalog.toString()});
    assertThat(code).as(out.toString(UTF_8) + err.toString(UTF_8)).isZero();
    return out.toString(UTF_8);
  }

  private static String catalog(String mode, String idType, long generation, long minimumGeneration) {
    return """
        {"streams": [{"stream": {"name": "items", "json_schema": {"type": "object", "properties": {
            "id": {"type": "%s"}, "v": {"type": "string"}, "updated": {"type": "integer"}}},
          "supported_sync_modes": ["full_refresh", "incremental"]},
          "sync_mode": "incremental", "destination_sync_mode": "%s", "primary_key": [["id"]], "cursor_field": ["updated"],
          "generation_id": %d, "minimum_generation_id": %d, "sync_id": 1}]}
        """.formatted(idType, mode, generation, minimumGeneration);
  }

  private static String item(String id, String v, int updated) {
    return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"items\",\"emitted_at\":" + (1000 + updated)
        + ",\"data\":{\"id\":" + id + ",\"v\":\"" + v + "\",\"updated\":" + updated + "}}}";
  }

  private static final String ITEMS_COMPLETE =
      "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1,\"stream_status\":"
          + "{\"stream_descriptor\":{\"name\":\"items\"},\"status\":\"COMPLETE\"}}}";

  /** The rows of a table as "col=value" lists, ordered by its first user column. */
  private static List<String> select(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = superuserConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          row.append(i > 1 ? " " : "").append(result.getMetaData().getColumnLabel(i)).append('=').append(result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  @Test
  void aChangedColumnTypeIsCastSafelyValuesThatDoNotFitBecomeNull() throws Exception {
    String schema = unique("evolve");
    sync(schema, catalog("append", "string", 1, 0), item("\"1\"", "a", 1), item("\"x\"", "b", 2), ITEMS_COMPLETE);
    sync(schema, catalog("append", "integer", 1, 0), item("3", "c", 3), ITEMS_COMPLETE);
    assertThat(select("SELECT id, v FROM \"" + schema + "\".items ORDER BY v"))
        .containsExactly("id=1 v=a", "id=null v=b", "id=3 v=c");
    assertThat(select("SELECT data_type FROM information_schema.columns WHERE table_schema = '" + schema
            + "' AND table_name = 'items' AND column_name = 'id'"))
        .containsExactly("data_type=bigint");
  }

  @Test
  void aTruncateRefreshReplacesTheTableWithTheTempTableFromTheRawSchema() throws Exception {
    String schema = unique("refresh");
    sync(schema, catalog("overwrite", "integer", 1, 1), item("1", "old", 1), item("2", "old", 2), ITEMS_COMPLETE);
    sync(schema, catalog("overwrite", "integer", 2, 2), item("3", "new", 3), ITEMS_COMPLETE);
    assertThat(select("SELECT id, v, _airbyte_generation_id FROM \"" + schema + "\".items ORDER BY id"))
        .containsExactly("id=3 v=new _airbyte_generation_id=2");
    assertThat(select("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'airbyte_internal'"
            + " AND table_name LIKE '" + schema + "%'"))
        .containsExactly("count=0");
  }

  @Test
  void dedupeKeepsTheNewestVersionOfEachKey() throws Exception {
    String schema = unique("dedupe");
    sync(schema, catalog("append_dedup", "integer", 1, 0), item("1", "first", 1), item("2", "two", 2),
        item("1", "newest", 5), item("1", "older", 3), ITEMS_COMPLETE);
    sync(schema, catalog("append_dedup", "integer", 1, 0), item("2", "stale", 1), item("3", "three", 1), ITEMS_COMPLETE);
    assertThat(select("SELECT id, v FROM \"" + schema + "\".items ORDER BY id"))
        .containsExactly("id=1 v=newest", "id=2 v=two", "id=3 v=three");
  }
}
