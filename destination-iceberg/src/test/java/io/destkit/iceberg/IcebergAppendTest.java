package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Append syncs: one table per stream, the meta columns, a second sync adding to the first. */
class IcebergAppendTest {
  private static final StreamDescriptor USERS = new StreamDescriptor("shop", "Users");
  private static final long EMITTED_AT = 1_700_000_000_123L;

  @TempDir Path tempDir;

  static JsonNode schema() {
    return MessageCodec.MAPPER.createObjectNode().put("type", "object").set("properties",
        MessageCodec.MAPPER.createObjectNode()
            .<ObjectNode>set("id", MessageCodec.MAPPER.createObjectNode().put("type", "integer"))
            .set("Name", MessageCodec.MAPPER.createObjectNode().put("type", "string")));
  }

  static ObjectNode catalog(long syncId, long generation, long minimumGeneration) {
    return TestCatalogs.catalog(TestCatalogs.stream(USERS.namespace(), USERS.name(), schema())
        .put("sync_id", syncId).put("generation_id", generation).put("minimum_generation_id", minimumGeneration));
  }

  static ObjectNode user(long id, String name) {
    return MessageCodec.MAPPER.createObjectNode().put("id", id).put("Name", name);
  }

  private ConnectorRun sync(IcebergFixture fixture, ObjectNode catalog, SyncInput input) {
    ConnectorRun run = ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog, input.text(), tempDir);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    return run;
  }

  @Test
  void aFirstSyncCreatesTheTableWithTheMetaColumnsAndEveryRecord() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    SyncInput input = new SyncInput()
        .record(USERS, EMITTED_AT, user(1, "Ada"))
        .record(USERS, EMITTED_AT, user(2, "Grace"))
        .state(USERS, MessageCodec.MAPPER.createObjectNode().put("cursor", 2))
        .record(USERS, EMITTED_AT + 1, user(3, "Edsger"))
        .state(USERS, MessageCodec.MAPPER.createObjectNode().put("cursor", 3))
        .complete(USERS);

    ConnectorRun run = sync(fixture, catalog(7, 1, 0), input);

    assertThat(IcebergFixture.recordCounts(run)).containsExactly(2L, 1L);
    Table table = fixture.table("shop", "users");
    assertThat(table.schema().columns()).extracting(field -> field.name() + " " + field.type().typeId())
        .containsExactly(
            "_airbyte_raw_id STRING", "_airbyte_extracted_at TIMESTAMP", "_airbyte_meta STRUCT",
            "_airbyte_generation_id LONG", "id LONG", "name STRING");
    assertThat(table.schema().findField("_airbyte_extracted_at").type()).hasToString("timestamptz");
    org.apache.iceberg.types.Types.StructType meta = table.schema().findField("_airbyte_meta").type().asStructType();
    assertThat(meta.fields()).extracting(field -> field.name() + " " + field.type().typeId())
        .containsExactly("sync_id LONG", "changes LIST");
    assertThat(meta.field("changes").type().asListType().elementType().asStructType().fields())
        .extracting(field -> field.name() + " " + field.type())
        .containsExactly("field string", "change string", "reason string");
    List<Map<String, Object>> rows = sorted(fixture.rows("shop", "users"));
    assertThat(rows).extracting(row -> row.get("id")).containsExactly(1L, 2L, 3L);
    assertThat(rows).extracting(row -> row.get("name")).containsExactly("Ada", "Grace", "Edsger");
    Map<String, Object> first = rows.get(0);
    assertThat(UUID.fromString((String) first.get("_airbyte_raw_id")).version()).isEqualTo(7);
    assertThat(first.get("_airbyte_extracted_at"))
        .isEqualTo(OffsetDateTime.ofInstant(Instant.ofEpochMilli(EMITTED_AT), ZoneOffset.UTC));
    assertThat(first.get("_airbyte_generation_id")).isEqualTo(1L);
    Record firstMeta = (Record) first.get("_airbyte_meta");
    assertThat(firstMeta.getField("sync_id")).isEqualTo(7L);
    assertThat((List<?>) firstMeta.getField("changes")).isEmpty();
    assertThat(rows).extracting(row -> row.get("_airbyte_raw_id")).doesNotHaveDuplicates();
  }

  @Test
  void dataFilesAreZstdParquet() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 0, 0), new SyncInput().record(USERS, EMITTED_AT, user(1, "Ada")).complete(USERS));

    Table table = fixture.table("shop", "users");
    List<DataFile> files = new java.util.ArrayList<>();
    table.newScan().planFiles().forEach(task -> files.add(task.file()));
    assertThat(files).isNotEmpty().allSatisfy(file -> {
      assertThat(file.format()).isEqualTo(FileFormat.PARQUET);
      assertThat(file.location()).startsWith(LocalFileIO.location(fixture.warehouse) + "/shop/users/data/");
    });
    try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
        new org.apache.parquet.io.LocalInputFile(LocalFileIO.path(files.get(0).location())))) {
      assertThat(reader.getFooter().getBlocks()).isNotEmpty().allSatisfy(block ->
          assertThat(block.getColumns()).allSatisfy(column ->
              assertThat(column.getCodec()).isEqualTo(org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD)));
    }
  }

  @Test
  void aSecondSyncAppendsToTheRowsOfTheFirst() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 1, 0), new SyncInput()
        .record(USERS, EMITTED_AT, user(1, "Ada"))
        .record(USERS, EMITTED_AT, user(2, "Grace"))
        .complete(USERS));
    long firstSnapshot = fixture.table("shop", "users").currentSnapshot().snapshotId();

    ConnectorRun second = sync(fixture, catalog(2, 2, 0), new SyncInput()
        .record(USERS, EMITTED_AT + 10, user(2, "Grace H."))
        .record(USERS, EMITTED_AT + 10, user(3, "Edsger"))
        .state(USERS, MessageCodec.MAPPER.createObjectNode().put("cursor", 3))
        .complete(USERS));

    assertThat(IcebergFixture.recordCounts(second)).containsExactly(2L);
    List<Map<String, Object>> rows = sorted(fixture.rows("shop", "users"));
    assertThat(rows).extracting(row -> row.get("id") + " " + row.get("name") + " " + row.get("_airbyte_generation_id"))
        .containsExactly("1 Ada 1", "2 Grace 1", "2 Grace H. 2", "3 Edsger 2");
    assertThat(rows).extracting(row -> ((Record) row.get("_airbyte_meta")).getField("sync_id"))
        .containsExactly(1L, 1L, 2L, 2L);
    Table table = fixture.table("shop", "users");
    assertThat(table.currentSnapshot().parentId()).isNotNull();
    assertThat(table.snapshot(firstSnapshot)).as("the first sync's snapshot is kept").isNotNull();
  }

  @Test
  void aStreamWithoutNamespaceGoesToTheConfiguredNamespace() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    StreamDescriptor plain = new StreamDescriptor(null, "Events");
    ObjectNode catalog = TestCatalogs.catalog(TestCatalogs.stream(null, "Events", schema()));

    sync(fixture, catalog, new SyncInput().record(plain, EMITTED_AT, user(9, "x")).complete(plain));

    assertThat(fixture.rows("public", "events")).extracting(row -> row.get("id")).containsExactly(9L);
  }

  static List<Map<String, Object>> sorted(List<Map<String, Object>> rows) {
    return rows.stream()
        .sorted(Comparator.<Map<String, Object>, Long>comparing(row -> (Long) row.get("id"))
            .thenComparing(row -> String.valueOf(row.get("name"))))
        .toList();
  }
}
