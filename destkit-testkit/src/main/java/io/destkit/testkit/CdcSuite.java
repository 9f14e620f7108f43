package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.StreamDescriptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * CDC deletes in dedupe streams (schema with {@code _ab_cdc_deleted_at}): a delete takes part in
 * the ordering like any version; hard deletes remove the key, soft deletes keep the tombstone.
 * After the "dat" vectors and the SQL generator's cdcupdate and cdcordering fixtures.
 */
public abstract class CdcSuite<C> extends BasicFunctionalitySuite<C> {

  private static ObjectNode cdcStream() {
    return dedupe(sqlGeneratorStream(null, "cdc_users"), "updated_at", "id1", "id2");
  }

  /** The raw rows of an SQL-generator fixture as records, those already loaded or the others. */
  private static List<ObjectNode> rawRecords(String file, boolean loaded) {
    return Fixtures.recordsOfRawRows(Fixtures.jsonLines(SQLGENERATOR + file).stream()
        .filter(row -> row.hasNonNull("_airbyte_loaded_at") == loaded).toList());
  }

  private static ObjectNode record(long emittedAt, String data) {
    ObjectNode message = json("{\"type\":\"RECORD\",\"record\":{}}");
    ((ObjectNode) message.get("record")).put("emitted_at", emittedAt).set("data", json(data));
    return message;
  }

  private static String upsert(int id, String updatedAt, String value) {
    return "{\"id1\":" + id + ",\"id2\":100,\"updated_at\":\"" + updatedAt + "\",\"string\":\"" + value + "\"}";
  }

  private static String delete(int id, String updatedAt) {
    return "{\"id1\":" + id + ",\"id2\":100,\"updated_at\":\"" + updatedAt
        + "\",\"_ab_cdc_deleted_at\":\"2023-06-01T00:00:00Z\"}";
  }

  /** id1 to string of each final row. */
  private Map<String, String> valuesById(ObjectNode catalog) throws Exception {
    Map<String, String> values = new TreeMap<>();
    finalRows(catalog, 0).forEach(row -> values.put(row.get("id1"), row.getOrDefault("string", "<null>")));
    return values;
  }

  @Test
  void aSoftDeleteKeepsTheNewestVersionTombstoneIncluded() throws Exception {
    ObjectNode stream = dedupe(generations(datStream(null, "soft_users"), 42, 0), "updated_at", "id1", "id2");
    sync(softDeleteConfig(), catalog(stream), completeSync(stream, dat("sync1_messages.jsonl")));
    sync(softDeleteConfig(), catalog(stream), completeSync(stream, dat("sync2_messages.jsonl")));

    ObjectNode bobsTombstone = json("{\"_airbyte_extracted_at\":2000,\"_airbyte_meta\":{\"changes\":[]},"
        + "\"id1\":1,\"id2\":201,\"updated_at\":\"2000-01-02T00:01:00Z\",\"_ab_cdc_deleted_at\":\"1970-01-01T00:00:00Z\"}");
    assertFinalRows(catalog(stream), Fixtures.withGeneration(Fixtures.concat(
        dat("sync2_expectedrecords_incremental_dedup_final.jsonl"), List.of(bobsTombstone)), 42));
  }

  @Test
  void deletesApplyInCursorOrderAndANewerInsertBringsADeletedRowBack() throws Exception {
    // The SQL generator's cdcupdate fixture: its loaded rows are sync 1, the others sync 2.
    ObjectNode stream = cdcStream();
    sync(catalog(stream), completeSync(stream, rawRecords("cdcupdate_inputrecords_raw.jsonl", true)));
    // The zombie (id1 0) arrives deleted: never inserted.
    assertThat(valuesById(catalog(stream)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("1", "spooky ghost", "5", "will be deleted", "6", "should be untouched"));

    sync(catalog(stream), completeSync(stream, rawRecords("cdcupdate_inputrecords_raw.jsonl", false)));
    assertThat(valuesById(catalog(stream))).containsExactlyInAnyOrderEntriesOf(Map.of(
        "0", "zombie_returned", "2", "alice2", "3", "bob", "4", "charlie",
        "5", "will be deleted", "6", "should be untouched"));
  }

  @Test
  void anOlderDeleteArrivingLaterIsIgnored() throws Exception {
    // cdcordering_insertafterdelete: a loaded insert (cursor 02:00), then a late delete (cursor 00:00).
    ObjectNode stream = cdcStream();
    sync(catalog(stream), completeSync(stream, rawRecords("cdcordering_insertafterdelete_inputrecords_raw.jsonl", true)));
    sync(catalog(stream), completeSync(stream, rawRecords("cdcordering_insertafterdelete_inputrecords_raw.jsonl", false)));

    assertThat(finalRows(catalog(stream), 0)).singleElement().satisfies(row -> assertThat(row)
        .containsEntry("string", "alice").containsEntry("updated_at", "2023-01-01T02:00:00Z")
        .doesNotContainKey("_ab_cdc_deleted_at"));
  }

  @Test
  void anOlderInsertInTheSyncOfADeleteIsIgnored() throws Exception {
    // cdcordering_updateafterdelete, both records in one sync: the delete (cursor 01:00) wins.
    ObjectNode stream = cdcStream();
    List<ObjectNode> records = Fixtures.recordsOfRawRows(
        Fixtures.jsonLines(SQLGENERATOR + "cdcordering_updateafterdelete_inputrecords.jsonl"));
    sync(catalog(stream), completeSync(stream, records));

    assertFinalRows(catalog(stream), List.of());
  }

  @Test
  void aSoftDeletedTombstoneOutlivesAnOlderInsertArrivingLater() throws Exception {
    // cdcordering_updateafterdelete across two syncs, with soft deletes.
    // Deliberate difference (a limitation): with hard deletes the key is gone after the first sync
    // and, without Airbyte's raw table to re-read, nothing remembers the delete, so the late older
    // insert would come back. Airbyte's typing-deduping keeps the final table empty.
    ObjectNode stream = cdcStream();
    List<ObjectNode> records = Fixtures.recordsOfRawRows(
        Fixtures.jsonLines(SQLGENERATOR + "cdcordering_updateafterdelete_inputrecords.jsonl"));
    sync(softDeleteConfig(), catalog(stream), completeSync(stream, records.subList(0, 1)));
    sync(softDeleteConfig(), catalog(stream), completeSync(stream, records.subList(1, 2)));

    assertThat(finalRows(catalog(stream), 0)).singleElement().satisfies(row -> assertThat(row)
        .containsEntry("updated_at", "2023-01-01T01:00:00Z").containsKey("_ab_cdc_deleted_at")
        .doesNotContainKey("string"));
  }

  @Test
  void anInsertAndADeleteOfOneKeyInOneSyncLeaveNothing() throws Exception {
    ObjectNode stream = cdcStream();
    sync(catalog(stream), completeSync(stream, List.of(
        record(1000, upsert(1, "2023-01-01T00:00:00Z", "kept")),
        record(1000, upsert(2, "2023-01-01T00:00:00Z", "inserted then deleted")),
        record(1000, delete(2, "2023-01-01T01:00:00Z")))));

    assertThat(valuesById(catalog(stream))).containsExactlyInAnyOrderEntriesOf(Map.of("1", "kept"));
  }

  @Test
  void deletingAMissingKeyChangesNothing() throws Exception {
    ObjectNode stream = cdcStream();
    sync(catalog(stream), completeSync(stream, List.of(record(1000, upsert(1, "2023-01-01T00:00:00Z", "kept")))));
    sync(catalog(stream), completeSync(stream, List.of(record(2000, delete(99, "2023-01-02T00:00:00Z")))));

    assertThat(valuesById(catalog(stream))).containsExactlyInAnyOrderEntriesOf(Map.of("1", "kept"));
  }

  @Test
  void aDeleteThenANewerInsertInLaterSyncsBringsTheRowBack() throws Exception {
    ObjectNode stream = cdcStream();
    StreamDescriptor descriptor = descriptor(stream);
    sync(catalog(stream), completeSync(stream, List.of(record(1000, upsert(1, "2023-01-01T00:00:00Z", "v1")))));
    sync(catalog(stream), completeSync(stream, List.of(record(2000, delete(1, "2023-01-02T00:00:00Z")))));
    assertThat(valuesById(catalog(stream))).isEmpty();

    sync(catalog(stream), new SyncInput()
        .messages(descriptor, List.of(record(3000, upsert(1, "2023-01-03T00:00:00Z", "v3")))).complete(descriptor));
    assertThat(valuesById(catalog(stream))).containsExactlyInAnyOrderEntriesOf(Map.of("1", "v3"));
  }
}
