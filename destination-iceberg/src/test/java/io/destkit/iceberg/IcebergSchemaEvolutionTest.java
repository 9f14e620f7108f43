package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes through Iceberg's schema updates: a new property becomes a new optional column; a
 * type Iceberg can promote (int to long, a decimal's precision) is widened in the same schema
 * update as the adds, older values read in the new type; a type it cannot change in place (long to
 * string, string to long) is kept, new values converted into it, and those that cannot be are
 * nulled and recorded in {@code _airbyte_meta}, in appends and in dedupe alike.
 */
class IcebergSchemaEvolutionTest {
  private static final StreamDescriptor ITEMS = new StreamDescriptor("shop", "items");

  @TempDir Path tempDir;

  /** An object schema of these fields and JSON schema types ("date": a string of format date). */
  private static JsonNode schema(String... fieldsAndTypes) {
    ObjectNode properties = MessageCodec.MAPPER.createObjectNode();
    for (int i = 0; i < fieldsAndTypes.length; i += 2) {
      ObjectNode property = properties.putObject(fieldsAndTypes[i]);
      if (fieldsAndTypes[i + 1].equals("date")) {
        property.put("type", "string").put("format", "date");
      } else {
        property.put("type", fieldsAndTypes[i + 1]);
      }
    }
    return MessageCodec.MAPPER.createObjectNode().put("type", "object").set("properties", properties);
  }

  private ConnectorRun run(IcebergFixture fixture, ObjectNode stream, String... records) throws Exception {
    SyncInput input = new SyncInput();
    for (String record : records) {
      input.record(ITEMS, 1_700_000_000_000L, MessageCodec.MAPPER.readTree(record));
    }
    return ConnectorRun.write(new IcebergDestination(), fixture.config(), TestCatalogs.catalog(stream),
        input.complete(ITEMS).text(), tempDir);
  }

  private ConnectorRun run(IcebergFixture fixture, JsonNode schema, String... records) throws Exception {
    return run(fixture, TestCatalogs.stream(ITEMS.namespace(), ITEMS.name(), schema), records);
  }

  private ConnectorRun sync(IcebergFixture fixture, JsonNode schema, String... records) throws Exception {
    ConnectorRun run = run(fixture, schema, records);
    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isZero();
    return run;
  }

  private static List<Map<String, Object>> rowsById(IcebergFixture fixture) {
    return fixture.rows("shop", "items").stream()
        .sorted(Comparator.comparing(row -> ((Number) row.get("id")).longValue()))
        .toList();
  }

  /** Each row's {@code _airbyte_meta.changes} as "field change reason" texts. */
  private static List<String> changes(Map<String, Object> row) {
    List<String> texts = new ArrayList<>();
    for (Object change : (List<?>) ((Record) row.get(MetaColumns.META)).getField("changes")) {
      Record record = (Record) change;
      texts.add(record.getField("field") + " " + record.getField("change") + " " + record.getField("reason"));
    }
    return texts;
  }

  private static List<String> logs(ConnectorRun run) {
    return run.messages(MessageType.LOG).stream()
        .map(log -> log.json().path("log").path("level").asText() + " " + log.json().path("log").path("message").asText())
        .toList();
  }

  @Test
  void aNewPropertyBecomesANewColumnAndOlderRowsReadNull() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, schema("id", "integer"), "{\"id\":1}");

    sync(fixture, schema("id", "integer", "price", "number"), "{\"id\":2,\"price\":9.5}");

    Types.NestedField price = fixture.table("shop", "items").schema().findField("price");
    assertThat(price.isOptional()).isTrue();
    assertThat(price.type()).hasToString("decimal(38, 9)");
    assertThat(rowsById(fixture)).extracting(row -> row.get("id") + " " + row.get("price"))
        .containsExactly("1 null", "2 9.500000000");
  }

  @Test
  void narrowerTypesArePromotedInTheSchemaUpdateThatAddsColumnsAndOlderValuesReadWidened() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    // A table another writer made, of narrower types: int, and a decimal of the same scale.
    Schema narrow = new Schema(
        Types.NestedField.required(1, MetaColumns.RAW_ID, Types.StringType.get()),
        Types.NestedField.required(2, MetaColumns.EXTRACTED_AT, Types.TimestampType.withZone()),
        Types.NestedField.required(3, MetaColumns.META, IcebergTypes.META),
        Types.NestedField.optional(4, MetaColumns.GENERATION_ID, Types.LongType.get()),
        Types.NestedField.optional(5, "id", Types.IntegerType.get()),
        Types.NestedField.optional(6, "price", Types.DecimalType.of(12, 9)));
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      catalog.createNamespace(Namespace.of("shop"));
      Table table = catalog.buildTable(TableIdentifier.of(Namespace.of("shop"), "items"), narrow)
          .withPartitionSpec(PartitionSpec.unpartitioned()).withProperties(StreamTable.PROPERTIES).create();
      GenericRecord row = GenericRecord.create(table.schema());
      row.setField(MetaColumns.RAW_ID, "0190a0a0-0000-7000-8000-000000000001");
      row.setField(MetaColumns.EXTRACTED_AT, OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
      GenericRecord meta = GenericRecord.create(IcebergTypes.META);
      meta.setField("changes", List.of());
      row.setField(MetaColumns.META, meta);
      row.setField("id", 1);
      row.setField("price", new BigDecimal("123.250000000"));
      table.newAppend().appendFile(ParquetBatchWriter.write(table, List.of(row))).commit();
    }

    ConnectorRun run = sync(fixture, schema("id", "integer", "price", "number", "note", "string"),
        "{\"id\":5000000000,\"price\":12345678901234.5,\"note\":\"wide\"}");

    Table table = fixture.table("shop", "items");
    assertThat(table.schema().findType("id")).isEqualTo(Types.LongType.get());
    assertThat(table.schema().findType("price")).isEqualTo(Types.DecimalType.of(38, 9));
    assertThat(table.schema().findType("note")).isEqualTo(Types.StringType.get());
    assertThat(table.schemas()).as("the promotions and the add are one schema update").hasSize(2);
    assertThat(rowsById(fixture)).extracting(row -> row.get("id") + " " + row.get("price") + " " + row.get("note"))
        .containsExactly("1 123.250000000 null", "5000000000 12345678901234.500000000 wide");
    assertThat(rowsById(fixture).get(0).get("id")).isInstanceOf(Long.class);
    assertThat(logs(run)).contains("INFO Table shop.items: widened column id from int to long, column price from"
        + " decimal(12, 9) to decimal(38, 9) (an Iceberg type promotion: the data files are not rewritten, older"
        + " values read in the new type).");
  }

  @Test
  void aLongColumnWhoseFieldBecomesAStringKeepsItsTypeAndNullsAndRecordsTheValuesThatAreNotIntegers()
      throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, schema("id", "integer", "code", "integer"), "{\"id\":1,\"code\":7}");

    ConnectorRun changed = sync(fixture, schema("id", "integer", "code", "string"),
        "{\"id\":2,\"code\":\"12\"}", "{\"id\":3,\"code\":\"x7\"}", "{\"id\":4,\"code\":\" -3 \"}",
        "{\"id\":5,\"code\":null}");

    assertThat(fixture.table("shop", "items").schema().findType("code")).isEqualTo(Types.LongType.get());
    List<Map<String, Object>> rows = rowsById(fixture);
    assertThat(rows).extracting(row -> row.get("id") + " " + row.get("code"))
        .containsExactly("1 7", "2 12", "3 null", "4 -3", "5 null");
    assertThat(rows).extracting(IcebergSchemaEvolutionTest::changes).containsExactly(
        List.of(), List.of(), List.of("code NULLED DESTINATION_SERIALIZATION_ERROR"), List.of(), List.of());
    assertThat(logs(changed)).contains("WARN Table shop.items: column code keeps its type long, which Iceberg"
        + " cannot change to the stream's string in place; new values are written as long, and a value that"
        + " cannot be becomes NULL, recorded in _airbyte_meta.changes.");
  }

  @Test
  void aStringColumnWhoseFieldBecomesANumberKeepsItsTypeAndEveryValueAsText() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, schema("id", "integer", "code", "string", "day", "string"),
        "{\"id\":1,\"code\":\"a1\",\"day\":\"monday\"}");

    sync(fixture, schema("id", "integer", "code", "number", "day", "date"),
        "{\"id\":2,\"code\":42,\"day\":\"2024-02-29\"}", "{\"id\":3,\"code\":-0.125,\"day\":null}");

    Table table = fixture.table("shop", "items");
    assertThat(table.schema().findType("code")).isEqualTo(Types.StringType.get());
    assertThat(table.schema().findType("day")).isEqualTo(Types.StringType.get());
    assertThat(rowsById(fixture)).extracting(row -> row.get("id") + " " + row.get("code") + " " + row.get("day"))
        .containsExactly("1 a1 monday", "2 42 2024-02-29", "3 -0.125 null");
    assertThat(rowsById(fixture)).allSatisfy(row -> assertThat(changes(row)).isEmpty());
  }

  @Test
  void aDedupeIntoAColumnThatKeepsItsTypeUpsertsTheConvertedValues() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ObjectNode first = TestCatalogs.stream(ITEMS.namespace(), ITEMS.name(),
        schema("id", "integer", "updated", "integer", "code", "integer"));
    first.put("destination_sync_mode", "append_dedup");
    first.putArray("primary_key").addArray().add("id");
    first.putArray("cursor_field").add("updated");
    assertThat(run(fixture, first, "{\"id\":1,\"updated\":1,\"code\":7}", "{\"id\":2,\"updated\":1,\"code\":8}")
        .exitCode()).isZero();
    ObjectNode second = first.deepCopy();
    ((ObjectNode) second.path("stream").path("json_schema").path("properties").path("code")).put("type", "string");

    ConnectorRun run = run(fixture, second, "{\"id\":1,\"updated\":2,\"code\":\"70\"}",
        "{\"id\":2,\"updated\":2,\"code\":\"eighty\"}", "{\"id\":3,\"updated\":1,\"code\":\"9\"}");

    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isZero();
    List<Map<String, Object>> rows = rowsById(fixture);
    assertThat(rows).extracting(row -> row.get("id") + " " + row.get("updated") + " " + row.get("code"))
        .containsExactly("1 2 70", "2 2 null", "3 1 9");
    assertThat(changes(rows.get(1))).containsExactly("code NULLED DESTINATION_SERIALIZATION_ERROR");
  }
}
