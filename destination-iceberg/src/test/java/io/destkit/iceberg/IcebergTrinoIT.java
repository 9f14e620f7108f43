package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.EveryAirbyteType;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Trino (476, its Iceberg connector on the same JDBC catalog and warehouse) reads every
 * table the destination writes, with the rows the destination's own tests read back with Iceberg's
 * reader: appends, a truncate refresh (old rows until the stream's complete end), dedupe with
 * equality deletes, CDC hard and soft deletes, a new column, and every type. One server for the
 * class; each test writes a namespace of its own.
 */
class IcebergTrinoIT {
  private static final long EMITTED_AT = 1_700_000_000_123L;

  @TempDir static Path classDirectory;
  private static IcebergFixture fixture;
  private static TrinoServer trino;

  @TempDir Path tempDir;

  @BeforeAll
  static void startTrino() {
    fixture = new IcebergFixture(classDirectory);
    JsonNode catalog = fixture.config().path("catalog_type");
    Map<String, String> iceberg = new LinkedHashMap<>();
    iceberg.put("connector.name", "iceberg");
    iceberg.put("iceberg.catalog.type", "jdbc");
    iceberg.put("iceberg.jdbc-catalog.catalog-name", catalog.path("catalog_name").asText());
    iceberg.put("iceberg.jdbc-catalog.driver-class", "org.postgresql.Driver");
    iceberg.put("iceberg.jdbc-catalog.connection-url", catalog.path("jdbc_url").asText());
    iceberg.put("iceberg.jdbc-catalog.connection-user", catalog.path("username").asText());
    iceberg.put("iceberg.jdbc-catalog.connection-password", catalog.path("password").asText());
    iceberg.put("iceberg.jdbc-catalog.default-warehouse-dir", fixture.warehouse.toUri().toString());
    iceberg.put("iceberg.jdbc-catalog.schema-version", "V1");
    // Table locations are absolute file: URIs, resolved under the local file system's root.
    iceberg.put("fs.native-local.enabled", "true");
    iceberg.put("local.location", "/");
    trino = TrinoServer.start(iceberg);
    System.out.printf("Trino started in %.1f s; %s%n", trino.startTime().toMillis() / 1000.0, trino.memory());
  }

  @AfterAll
  static void stopTrino() {
    if (trino != null) {
      System.out.println("Trino at the end: " + trino.memory());
      trino.close();
    }
  }

  @Test
  void trinoReadsBothAppendsWithTheirGenerationsAndMeta() {
    StreamDescriptor users = new StreamDescriptor("trino_append", "Users");
    sync(fixture.config(), usersCatalog(users, 1, 1, 0), new SyncInput()
        .record(users, EMITTED_AT, IcebergAppendTest.user(1, "Ada"))
        .record(users, EMITTED_AT, IcebergAppendTest.user(2, "Grace"))
        .complete(users));
    String select = "SELECT id, name, _airbyte_generation_id, _airbyte_meta.sync_id, cardinality(_airbyte_meta.changes)"
        + " FROM iceberg.trino_append.users ORDER BY id, name";
    assertThat(trino.rows(select)).containsExactly("1 Ada 1 1 0", "2 Grace 1 1 0");

    sync(fixture.config(), usersCatalog(users, 2, 2, 0), new SyncInput()
        .record(users, EMITTED_AT + 10, IcebergAppendTest.user(2, "Grace H."))
        .record(users, EMITTED_AT + 10, IcebergAppendTest.user(3, "Edsger"))
        .complete(users));

    assertThat(trino.rows(select))
        .containsExactly("1 Ada 1 1 0", "2 Grace 1 1 0", "2 Grace H. 2 2 0", "3 Edsger 2 2 0");
    assertThat(trino.rows("SELECT count(*), count(DISTINCT _airbyte_raw_id), min(CAST(_airbyte_extracted_at AS varchar))"
        + " FROM iceberg.trino_append.users")).containsExactly("4 4 2023-11-14 22:13:20.123000 UTC");
  }

  @Test
  void trinoSeesTheOldRowsUntilTheRefreshCompletesAndThenOnlyTheNewGeneration() throws Exception {
    StreamDescriptor users = new StreamDescriptor("trino_refresh", "Users");
    sync(fixture.config(), usersCatalog(users, 1, 41, 0), new SyncInput()
        .record(users, EMITTED_AT, IcebergAppendTest.user(1, "old 1"))
        .record(users, EMITTED_AT, IcebergAppendTest.user(2, "old 2"))
        .record(users, EMITTED_AT, IcebergAppendTest.user(3, "old 3"))
        .complete(users));
    String select = "SELECT id, name, _airbyte_generation_id FROM iceberg.trino_refresh.users ORDER BY id";

    try (FedSync refresh = new FedSync(new IcebergDestination(), fixture.config(), usersCatalog(users, 2, 42, 42),
        tempDir)) {
      refresh.send(new SyncInput()
          .record(users, EMITTED_AT, IcebergAppendTest.user(4, "new 4"))
          .record(users, EMITTED_AT, IcebergAppendTest.user(5, "new 5"))
          .state(users, MessageCodec.MAPPER.createObjectNode().put("position", 5)));
      refresh.awaitState();
      assertThat(trino.rows(select)).as("while the refresh runs, its records committed and their STATE printed")
          .containsExactly("1 old 1 41", "2 old 2 41", "3 old 3 41");

      refresh.send(new SyncInput().complete(users));
      assertThat(refresh.finish()).as("exit code; stderr: %s", refresh.stderr()).isZero();
    }

    assertThat(trino.rows(select)).containsExactly("4 new 4 42", "5 new 5 42");
  }

  @Test
  void trinoAppliesTheEqualityDeletesOfDedupeSoTheNewestCursorWinsAndAKeyUpdatedTwiceShowsOnce() {
    StreamDescriptor orders = new StreamDescriptor("trino_dedupe", "orders");
    sync(fixture.config(), ordersCatalog(orders, 1), orders(orders, 1000,
        IcebergDedupeTest.order(1L, "eu", 1L, "first"), IcebergDedupeTest.order(2L, "eu", 5L, "stored newer")));
    sync(fixture.config(), ordersCatalog(orders, 2), orders(orders, 2000,
        IcebergDedupeTest.order(1L, "eu", 2L, "updated"), IcebergDedupeTest.order(2L, "eu", 3L, "older cursor"),
        IcebergDedupeTest.order(3L, "us", 1L, "new")));
    String select = "SELECT id, note, updated FROM iceberg.trino_dedupe.orders ORDER BY id";
    assertThat(trino.rows(select)).containsExactly("1 updated 2", "2 stored newer 5", "3 new 1");

    sync(fixture.config(), ordersCatalog(orders, 3), orders(orders, 3000,
        IcebergDedupeTest.order(1L, "eu", 3L, "updated again")));

    assertThat(trino.rows(select)).containsExactly("1 updated again 3", "2 stored newer 5", "3 new 1");
    assertThat(trino.rows("SELECT count(*) FROM iceberg.trino_dedupe.\"orders$files\" WHERE content = 2"))
        .as("equality delete files Trino applies").allSatisfy(count -> assertThat(Long.parseLong(count)).isPositive());
  }

  /**
   * The compaction path the README gives: Trino's {@code optimize} rewrites the data files with the
   * equality deletes applied, and the destination's next dedupe sync goes on from the compacted table.
   */
  @Test
  void aTableTrinoCompactedKeepsItsRowsAndTheNextDedupeSyncGoesOnFromIt() {
    StreamDescriptor orders = new StreamDescriptor("trino_compact", "orders");
    sync(fixture.config(), ordersCatalog(orders, 1), orders(orders, 1000,
        IcebergDedupeTest.order(1L, "eu", 1L, "first"), IcebergDedupeTest.order(2L, "eu", 1L, "second")));
    sync(fixture.config(), ordersCatalog(orders, 2), orders(orders, 2000,
        IcebergDedupeTest.order(1L, "eu", 2L, "updated"), IcebergDedupeTest.order(3L, "us", 1L, "third")));
    sync(fixture.config(), ordersCatalog(orders, 3), orders(orders, 3000,
        IcebergDedupeTest.order(2L, "eu", 2L, "updated too")));
    String select = "SELECT id, note, updated FROM iceberg.trino_compact.orders ORDER BY id";
    String dataFiles = "SELECT count(*) FROM iceberg.trino_compact.\"orders$files\" WHERE content = 0";
    long before = Long.parseLong(trino.rows(dataFiles).get(0));

    trino.execute("ALTER TABLE iceberg.trino_compact.orders EXECUTE optimize");

    assertThat(trino.rows(select)).containsExactly("1 updated 2", "2 updated too 2", "3 third 1");
    assertThat(Long.parseLong(trino.rows(dataFiles).get(0))).as("data files after optimize (%d before)", before)
        .isLessThan(before);

    sync(fixture.config(), ordersCatalog(orders, 4), orders(orders, 4000,
        IcebergDedupeTest.order(3L, "us", 2L, "updated after compaction"), IcebergDedupeTest.order(4L, "us", 1L, "new")));

    assertThat(trino.rows(select))
        .containsExactly("1 updated 2", "2 updated too 2", "3 updated after compaction 2", "4 new 1");
  }

  @Test
  void trinoDoesNotSeeKeysACdcHardDeleteRemoved() {
    StreamDescriptor orders = new StreamDescriptor("trino_cdc_hard", "orders");
    sync(fixture.config(), ordersCatalog(orders, 1), orders(orders, 1000,
        IcebergDedupeTest.order(1L, "eu", 1L, "one"), IcebergDedupeTest.order(2L, "eu", 5L, "two")));

    sync(fixture.config(), ordersCatalog(orders, 2), orders(orders, 2000,
        IcebergDedupeTest.deleted(1, "eu", 2), IcebergDedupeTest.deleted(2, "eu", 4),
        IcebergDedupeTest.deleted(9, "eu", 1), IcebergDedupeTest.order(3L, "eu", 1L, "three"),
        IcebergDedupeTest.deleted(3, "eu", 2)));

    assertThat(trino.rows("SELECT id, note, _ab_cdc_deleted_at FROM iceberg.trino_cdc_hard.orders ORDER BY id"))
        .as("1 deleted; 2's delete is older; 9 was missing; 3 inserted and deleted").containsExactly("2 two null");
  }

  @Test
  void trinoReadsTheTombstoneOfACdcSoftDelete() {
    StreamDescriptor orders = new StreamDescriptor("trino_cdc_soft", "orders");
    ObjectNode soft = fixture.config().put("cdc_deletion_mode", "Soft delete");
    sync(soft, ordersCatalog(orders, 1), orders(orders, 1000,
        IcebergDedupeTest.order(1L, "eu", 1L, "one"), IcebergDedupeTest.order(2L, "eu", 5L, "two")));

    sync(soft, ordersCatalog(orders, 2), orders(orders, 2000,
        IcebergDedupeTest.deleted(1, "eu", 2), IcebergDedupeTest.deleted(2, "eu", 4)));

    assertThat(trino.rows("SELECT id, note, _ab_cdc_deleted_at FROM iceberg.trino_cdc_soft.orders ORDER BY id"))
        .as("1's tombstone is newest; 2's delete is older")
        .containsExactly("1 deleted 2024-01-01T00:00:00Z", "2 two null");
  }

  @Test
  void trinoReadsANewColumnAsNullInOlderRows() throws Exception {
    StreamDescriptor items = new StreamDescriptor("trino_schema", "items");
    sync(fixture.config(), TestCatalogs.catalog(TestCatalogs.stream(items.namespace(), items.name(),
        schema("id", "integer"))), new SyncInput().record(items, EMITTED_AT, json("{\"id\":1}")).complete(items));

    sync(fixture.config(), TestCatalogs.catalog(TestCatalogs.stream(items.namespace(), items.name(),
        schema("id", "integer", "price", "number"))),
        new SyncInput().record(items, EMITTED_AT, json("{\"id\":2,\"price\":9.5}")).complete(items));

    assertThat(trino.rows("SELECT id, price FROM iceberg.trino_schema.items ORDER BY id"))
        .containsExactly("1 null", "2 9.500000000");
    assertThat(columnTypes("trino_schema", "items")).containsEntry("price", "decimal(38,9)");
  }

  @Test
  void trinoReadsEveryTypeAsItsOwnTypeWithTheValuesSent() {
    StreamDescriptor types = new StreamDescriptor("trino_types", "every_type");
    ObjectNode nulls = MessageCodec.MAPPER.createObjectNode();
    EveryAirbyteType.schema().path("properties").fieldNames().forEachRemaining(nulls::putNull);
    ObjectNode extremes = MessageCodec.MAPPER.createObjectNode()
        .put("string", "")
        .put("integer", Long.MIN_VALUE)
        .put("number", new BigDecimal("-99999999999999999999999999999.999999999"))
        .put("timestamp_with_timezone", "0001-01-01T00:00:00Z")
        .put("date", "9999-12-31");
    ObjectNode wrong = MessageCodec.MAPPER.createObjectNode()
        .put("string", "kept")
        .put("integer", "not a number")
        .put("boolean", "maybe")
        .put("date", "2024-02-30")
        .put("timestamp_with_timezone", "yesterday");
    sync(fixture.config(), TestCatalogs.catalog(TestCatalogs.stream(types.namespace(), types.name(),
        EveryAirbyteType.schema())), new SyncInput()
        .record(types, EMITTED_AT, EveryAirbyteType.record())
        .record(types, EMITTED_AT, nulls)
        .record(types, EMITTED_AT, extremes)
        .record(types, EMITTED_AT, wrong)
        .complete(types));

    assertThat(columnTypes("trino_types", "every_type")).containsExactlyEntriesOf(expectedTypes());
    String table = "iceberg.trino_types.every_type";
    Map<String, String> full = single("trino_types", "every_type", "\"string\" LIKE 'text%'");
    assertThat(full).containsAllEntriesOf(Map.ofEntries(
        Map.entry("string", "text with ünïcode and \"quotes\""),
        Map.entry("boolean", "true"),
        Map.entry("integer", "9223372036854775807"),
        Map.entry("number", "12345.678900000"),
        Map.entry("date", "2024-02-29"),
        Map.entry("timestamp_with_timezone", "2024-02-29 10:34:56.789000 UTC"),
        Map.entry("timestamp_without_timezone", "2024-02-29 12:34:56.789000"),
        Map.entry("time_with_timezone", "12:34:56.000000+02:00"),
        Map.entry("time_without_timezone", "12:34:56.000000"),
        Map.entry("_airbyte_extracted_at", "2023-11-14 22:13:20.123000 UTC"),
        Map.entry("_airbyte_generation_id", "0")));
    assertThat(json(full.get("_airbyte_meta"))).isEqualTo(json("{\"sync_id\":0,\"changes\":[]}"));
    assertThat(json(full.get("object"))).isEqualTo(json("{\"name\":\"nested\"}"));
    assertThat(json(full.get("object_with_empty_schema"))).isEqualTo(json("{\"any\":1}"));
    assertThat(json(full.get("object_without_schema"))).isEqualTo(json("{\"a\":[1,2]}"));
    assertThat(json(full.get("array"))).isEqualTo(json("[1,2,3]"));
    assertThat(json(full.get("array_without_schema"))).isEqualTo(json("[\"a\",1,null]"));
    assertThat(json(full.get("union"))).isEqualTo(json("\"either\""));
    assertThat(json(full.get("unknown"))).isEqualTo(json("{\"anything\":true}"));
    assertThat(trino.rows("SELECT json_extract_scalar(\"object\", '$.name'), json_array_length(json_parse(\"array\")),"
        + " \"timestamp_with_timezone\" = from_iso8601_timestamp('2024-02-29T12:34:56.789+02:00')"
        + " FROM " + table + " WHERE \"string\" LIKE 'text%'"))
        .as("Trino's own JSON functions parse the JSON strings; the instant compares as one")
        .containsExactly("nested 3 true");

    Map<String, String> extreme = single("trino_types", "every_type", "\"string\" = ''");
    assertThat(extreme).containsAllEntriesOf(Map.of(
        "integer", "-9223372036854775808",
        "number", "-99999999999999999999999999999.999999999",
        "timestamp_with_timezone", "0001-01-01 00:00:00.000000 UTC",
        "date", "9999-12-31"));
    Map<String, String> nullRow = single("trino_types", "every_type", "\"string\" IS NULL");
    EveryAirbyteType.schema().path("properties").fieldNames()
        .forEachRemaining(field -> assertThat(nullRow.get(field)).as(field).isNull());
    assertThat(trino.rows("SELECT c.field, c.change, c.reason FROM " + table
        + " CROSS JOIN UNNEST(_airbyte_meta.changes) AS c (field, change, reason) WHERE \"string\" = 'kept' ORDER BY 1"))
        .containsExactly(
            "boolean NULLED DESTINATION_SERIALIZATION_ERROR",
            "date NULLED DESTINATION_SERIALIZATION_ERROR",
            "integer NULLED DESTINATION_SERIALIZATION_ERROR",
            "timestamp_with_timezone NULLED DESTINATION_SERIALIZATION_ERROR");
    assertThat(single("trino_types", "every_type", "\"string\" = 'kept'"))
        .containsEntry("integer", null).containsEntry("boolean", null);
  }

  /** The Trino type of each column of the table written from {@link EveryAirbyteType}, in order. */
  private static Map<String, String> expectedTypes() {
    Map<String, String> types = new LinkedHashMap<>();
    types.put("_airbyte_raw_id", "varchar");
    types.put("_airbyte_extracted_at", "timestamp(6) with time zone");
    types.put("_airbyte_meta", "row(sync_id bigint, changes array(row(field varchar, change varchar, reason varchar)))");
    types.put("_airbyte_generation_id", "bigint");
    types.put("string", "varchar");
    types.put("boolean", "boolean");
    types.put("integer", "bigint");
    types.put("number", "decimal(38,9)");
    types.put("date", "date");
    types.put("timestamp_with_timezone", "timestamp(6) with time zone");
    types.put("timestamp_without_timezone", "timestamp(6)");
    types.put("time_with_timezone", "varchar");
    types.put("time_without_timezone", "time(6)");
    for (String json : List.of("object", "object_with_empty_schema", "object_without_schema", "array",
        "array_without_schema", "union", "unknown")) {
      types.put(json, "varchar");
    }
    return types;
  }

  /**
   * Each column of the one row of {@code schema.table} matching {@code where}, as Trino's text of the
   * value: {@code CAST(... AS varchar)}, or the JSON of a row or an array; NULL as null.
   */
  private static Map<String, String> single(String schema, String table, String where) {
    StringBuilder select = new StringBuilder("SELECT ");
    columnTypes(schema, table).forEach((column, type) -> {
      String quoted = "\"" + column + "\"";
      select.append(select.length() > 7 ? ", " : "")
          .append(type.startsWith("row") || type.startsWith("array")
              ? "json_format(CAST(" + quoted + " AS json))" : "CAST(" + quoted + " AS varchar)")
          .append(" AS ").append(quoted);
    });
    String sql = select + " FROM iceberg." + schema + "." + table + " WHERE " + where;
    List<Map<String, String>> rows = trino.query(sql);
    assertThat(rows).as("rows of %s", sql).hasSize(1);
    return rows.get(0);
  }

  private static Map<String, String> columnTypes(String schema, String table) {
    Map<String, String> types = new LinkedHashMap<>();
    for (Map<String, String> row : trino.query("SELECT column_name, data_type FROM iceberg.information_schema.columns"
        + " WHERE table_schema = '" + schema + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
      types.put(row.get("column_name"), row.get("data_type"));
    }
    return types;
  }

  private static ObjectNode usersCatalog(StreamDescriptor users, long syncId, long generation, long minimumGeneration) {
    return TestCatalogs.catalog(TestCatalogs.stream(users.namespace(), users.name(), IcebergAppendTest.schema())
        .put("sync_id", syncId).put("generation_id", generation).put("minimum_generation_id", minimumGeneration));
  }

  /** A dedupe stream keyed on {@code id} with cursor {@code updated}, as {@link IcebergDedupeTest} writes. */
  private static ObjectNode ordersCatalog(StreamDescriptor orders, long generation) {
    ObjectNode stream = TestCatalogs.stream(orders.namespace(), orders.name(), IcebergDedupeTest.schema())
        .put("destination_sync_mode", "append_dedup")
        .put("sync_id", generation).put("generation_id", generation).put("minimum_generation_id", 0);
    stream.putArray("primary_key").addArray().add("id");
    stream.putArray("cursor_field").add("updated");
    return TestCatalogs.catalog(stream);
  }

  private static SyncInput orders(StreamDescriptor orders, long emittedAt, ObjectNode... records) {
    SyncInput input = new SyncInput();
    for (ObjectNode record : records) {
      input.record(orders, emittedAt, record);
    }
    return input.state(orders, MessageCodec.MAPPER.createObjectNode().put("position", records.length)).complete(orders);
  }

  private void sync(ObjectNode config, ObjectNode catalog, SyncInput input) {
    ConnectorRun run = ConnectorRun.write(new IcebergDestination(), config, catalog, input.text(), tempDir);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
  }

  private static JsonNode schema(String... fieldsAndTypes) {
    ObjectNode properties = MessageCodec.MAPPER.createObjectNode();
    for (int i = 0; i < fieldsAndTypes.length; i += 2) {
      properties.putObject(fieldsAndTypes[i]).put("type", fieldsAndTypes[i + 1]);
    }
    return MessageCodec.MAPPER.createObjectNode().put("type", "object").set("properties", properties);
  }

  private static JsonNode json(String text) {
    try {
      return MessageCodec.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
