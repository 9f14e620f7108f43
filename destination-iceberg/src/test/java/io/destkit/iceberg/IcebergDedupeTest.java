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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dedupe with equality deletes: one row per primary key, the newest cursor winning across stored
 * and incoming rows, ties broken by extracted at, null cursors losing; keys compare null-safely;
 * CDC deletes remove their key.
 */
class IcebergDedupeTest {
  private static final StreamDescriptor ORDERS = new StreamDescriptor("shop", "orders");

  @TempDir Path tempDir;

  static JsonNode schema() {
    ObjectNode properties = MessageCodec.MAPPER.createObjectNode();
    properties.putObject("id").put("type", "integer");
    properties.putObject("region").put("type", "string");
    properties.putObject("updated").put("type", "integer");
    properties.putObject("note").put("type", "string");
    properties.putObject("_ab_cdc_deleted_at").put("type", "string");
    return MessageCodec.MAPPER.createObjectNode().put("type", "object").set("properties", properties);
  }

  private static ObjectNode catalog(long generation, long minimumGeneration, String... key) {
    ObjectNode stream = TestCatalogs.stream(ORDERS.namespace(), ORDERS.name(), schema())
        .put("destination_sync_mode", "append_dedup")
        .put("generation_id", generation).put("minimum_generation_id", minimumGeneration);
    var primaryKey = stream.putArray("primary_key");
    for (String field : key) {
      primaryKey.addArray().add(field);
    }
    stream.putArray("cursor_field").add("updated");
    return TestCatalogs.catalog(stream);
  }

  static ObjectNode order(Long id, String region, Long updated, String note) {
    ObjectNode order = MessageCodec.MAPPER.createObjectNode();
    if (id == null) {
      order.putNull("id");
    } else {
      order.put("id", id);
    }
    order.put("region", region);
    if (updated == null) {
      order.putNull("updated");
    } else {
      order.put("updated", updated);
    }
    return order.put("note", note);
  }

  static ObjectNode deleted(long id, String region, long updated) {
    return order(id, region, updated, "deleted").put("_ab_cdc_deleted_at", "2024-01-01T00:00:00Z");
  }

  private ConnectorRun sync(IcebergFixture fixture, ObjectNode catalog, long emittedAt, ObjectNode... records) {
    SyncInput input = new SyncInput();
    for (ObjectNode record : records) {
      input.record(ORDERS, emittedAt, record);
    }
    input.state(ORDERS, MessageCodec.MAPPER.createObjectNode().put("position", records.length)).complete(ORDERS);
    ConnectorRun run = ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog, input.text(), tempDir);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    return run;
  }

  /** Each row readers see as "id note", sorted. */
  private static List<String> visible(IcebergFixture fixture) {
    List<String> rows = new ArrayList<>();
    for (Map<String, Object> row : fixture.rows("shop", "orders")) {
      rows.add(row.get("id") + " " + row.get("note"));
    }
    rows.sort(null);
    return rows;
  }

  @Test
  void theNewestCursorWinsAcrossStoredAndIncomingRows() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 0, "id"), 1000, order(1L, "eu", 1L, "first"), order(2L, "eu", 5L, "stored newer"));

    sync(fixture, catalog(2, 0, "id"), 2000, order(1L, "eu", 2L, "updated"), order(2L, "eu", 3L, "older cursor"),
        order(3L, "us", 1L, "new"));

    assertThat(visible(fixture)).containsExactly("1 updated", "2 stored newer", "3 new");
    Table table = fixture.table("shop", "orders");
    List<FileContent> deletes = new ArrayList<>();
    table.newScan().planFiles().forEach(task -> task.deletes().forEach(delete -> deletes.add(delete.content())));
    assertThat(deletes).as("the replaced row is deleted by key (merge-on-read)").contains(FileContent.EQUALITY_DELETES);
  }

  @Test
  void withinASyncTheNewestVersionOfEachKeyIsKeptTiesGoToTheLaterExtractedAndNullCursorsLose() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    SyncInput input = new SyncInput()
        .record(ORDERS, 1000, order(1L, "eu", 7L, "cursor 7"))
        .record(ORDERS, 1000, order(1L, "eu", 9L, "cursor 9"))
        .record(ORDERS, 1000, order(1L, "eu", 8L, "cursor 8"))
        .record(ORDERS, 1000, order(2L, "eu", 4L, "extracted earlier"))
        .record(ORDERS, 3000, order(2L, "eu", 4L, "extracted later"))
        .record(ORDERS, 9000, order(3L, "eu", null, "null cursor"))
        .record(ORDERS, 1000, order(3L, "eu", 1L, "cursor 1"))
        .complete(ORDERS);

    ConnectorRun run = ConnectorRun.write(
        new IcebergDestination(), fixture.config(), catalog(1, 0, "id"), input.text(), tempDir);

    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isZero();
    assertThat(visible(fixture)).containsExactly("1 cursor 9", "2 extracted later", "3 cursor 1");
  }

  @Test
  void keysCompareNullSafely() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 0, "id", "region"), 1000, order(1L, null, 1L, "a"), order(null, "eu", 1L, "b"));

    sync(fixture, catalog(2, 0, "id", "region"), 2000, order(1L, null, 2L, "a2"), order(null, "eu", 2L, "b2"));

    assertThat(visible(fixture)).containsExactly("1 a2", "null b2");
  }

  @Test
  void aCdcDeleteRemovesItsKeyAndAnOlderDeleteIsIgnored() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 0, "id"), 1000, order(1L, "eu", 1L, "one"), order(2L, "eu", 5L, "two"));

    sync(fixture, catalog(2, 0, "id"), 2000, deleted(1, "eu", 2), deleted(2, "eu", 4), deleted(9, "eu", 1),
        order(3L, "eu", 1L, "three"), deleted(3, "eu", 2));

    assertThat(visible(fixture)).as("1 deleted; 2's delete is older; 9 was missing; 3 inserted and deleted")
        .containsExactly("2 two");
  }

  @Test
  void aSoftDeleteKeepsTheNewestVersionTombstoneIncluded() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 0, "id"), 1000, order(1L, "eu", 1L, "one"), order(2L, "eu", 5L, "two"));
    ObjectNode softConfig = fixture.config().put("cdc_deletion_mode", "Soft delete");
    SyncInput input = new SyncInput()
        .record(ORDERS, 2000, deleted(1, "eu", 2))
        .record(ORDERS, 2000, deleted(2, "eu", 4))
        .complete(ORDERS);

    ConnectorRun run = ConnectorRun.write(new IcebergDestination(), softConfig, catalog(2, 0, "id"), input.text(), tempDir);

    assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isZero();
    assertThat(visible(fixture)).as("1's tombstone is newest; 2's delete is older").containsExactly("1 deleted", "2 two");
  }

  @Test
  void aDedupeRefreshReplacesTheTableWithTheNewGenerationDeduplicated() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 0, "id"), 1000, order(1L, "eu", 1L, "old"), order(2L, "eu", 1L, "old"));

    sync(fixture, catalog(2, 2, "id"), 2000, order(2L, "eu", 1L, "new"), order(2L, "eu", 3L, "newest"),
        order(4L, "eu", 1L, "new"));

    assertThat(visible(fixture)).containsExactly("2 newest", "4 new");
    assertThat(fixture.rows("shop", "orders")).allSatisfy(row -> assertThat(row.get("_airbyte_generation_id")).isEqualTo(2L));
  }

  @Test
  void aDedupeAfterACancelledDedupeRefreshKeepsTheRowsTheRefreshCommitted() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 0, "id"), 1000, order(1L, "eu", 1L, "old"), order(2L, "eu", 1L, "old"));
    SyncInput cancelled = new SyncInput()
        .record(ORDERS, 2000, order(2L, "eu", 3L, "refresh"))
        .record(ORDERS, 2000, order(5L, "eu", 3L, "refresh"))
        .state(ORDERS, MessageCodec.MAPPER.createObjectNode().put("position", 2))
        .status("INCOMPLETE", ORDERS);
    ConnectorRun cut = ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog(2, 2, "id"),
        cancelled.text(), tempDir);
    assertThat(cut.messages(MessageType.STATE)).hasSize(1);
    assertThat(visible(fixture)).containsExactly("1 old", "2 old");

    sync(fixture, catalog(2, 0, "id"), 3000, order(5L, "eu", 9L, "resumed"));

    assertThat(visible(fixture)).containsExactly("1 old", "2 refresh", "5 resumed");
    assertThat(fixture.table("shop", "orders").refs().keySet()).containsExactly("main");
  }

  @Test
  void aDedupeStreamWithoutPrimaryKeyIsAConfigErrorNamingTheStream() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    ConnectorRun run = ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog(1, 0),
        new SyncInput().record(ORDERS, 1000, order(1L, "eu", 1L, "x")).complete(ORDERS).text(), tempDir);

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode error = run.messages(MessageType.TRACE).get(0).json().path("trace").path("error");
    assertThat(error.path("failure_type").asText()).isEqualTo("config_error");
    assertThat(error.path("message").asText()).contains("shop", "orders", "primary_key");
  }
}
