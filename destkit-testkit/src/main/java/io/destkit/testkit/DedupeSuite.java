package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dedupe: one row per primary key, newest cursor wins (ties by extraction time), over old and new
 * rows together; after Airbyte's incrementalDedup, largeDedupSync, incrementalDedupIdenticalName,
 * incrementalDedupChangeCursor and the SQL generator's incremental-dedupe fixture.
 */
public abstract class DedupeSuite<C> extends BasicFunctionalitySuite<C> {
  /** sync1_messages copies in the large sync (Airbyte uses 25,000; fewer keep the suite fast). */
  private static final int LARGE_SYNC_COPIES = 2_000;

  private static final JsonNode KEYED_SCHEMA = json("{\"type\":\"object\",\"properties\":{"
      + "\"id\":{\"type\":\"string\"},\"version\":{\"type\":\"integer\"},\"value\":{\"type\":\"string\"}}}");

  /** A composite key whose parts may be NULL: an integer and a string. */
  private static final JsonNode TWO_PART_KEY_SCHEMA = json("{\"type\":\"object\",\"properties\":{"
      + "\"id\":{\"type\":[\"null\",\"integer\"]},\"part\":{\"type\":[\"null\",\"string\"]},"
      + "\"version\":{\"type\":\"integer\"},\"value\":{\"type\":\"string\"}}}");

  /** Rows of {@link #TWO_PART_KEY_SCHEMA} that a second sync does not touch, so it merges into a table with data. */
  private static final int UNTOUCHED_ROWS = 300;

  private static ObjectNode twoPartKeyed(long emittedAt, Long id, String part, int version, String value) {
    ObjectNode data = json("{}");
    if (id != null) {
      data.put("id", id);
    }
    if (part != null) {
      data.put("part", part);
    }
    data.put("version", version).put("value", value);
    return data.put("_airbyte_extracted_at", emittedAt).put("_airbyte_generation_id", 0);
  }

  private static List<ObjectNode> untouchedRows() {
    List<ObjectNode> rows = new ArrayList<>();
    for (long i = 1000; i < 1000 + UNTOUCHED_ROWS; i++) {
      rows.add(twoPartKeyed(1000, i, i % 3 == 0 ? null : "p" + (i % 5), 1, "untouched " + i));
    }
    return rows;
  }

  private static ObjectNode datDedupe(String namespace, long generation) {
    return dedupe(generations(datStream(namespace, "dedup_users"), generation, 0), "updated_at", "id1", "id2");
  }

  private static ObjectNode keyed(long emittedAt, String id, Integer version, String value) {
    ObjectNode data = json("{}").put("id", id).put("value", value);
    if (version != null) {
      data.put("version", version);
    }
    return data.put("_airbyte_extracted_at", emittedAt).put("_airbyte_generation_id", 0);
  }

  private static JsonNode dataOf(ObjectNode expected) {
    ObjectNode data = expected.deepCopy();
    data.remove(List.of("_airbyte_extracted_at", "_airbyte_generation_id"));
    return data;
  }

  private static SyncInput keyedInput(StreamDescriptor stream, ObjectNode... rows) {
    SyncInput input = new SyncInput();
    for (ObjectNode row : rows) {
      input.record(stream, row.path("_airbyte_extracted_at").asLong(), dataOf(row));
    }
    return input.complete(stream);
  }

  @Test
  void aCompositeKeyKeepsTheNewestCursorAndAHardDeleteRemovesTheKey() throws Exception {
    ObjectNode stream = datDedupe(null, 42);
    sync(catalog(stream), completeSync(stream, dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(stream), Fixtures.withGeneration(dat("sync1_expectedrecords_dedup_final.jsonl"), 42));

    sync(catalog(stream), completeSync(stream, dat("sync2_messages.jsonl")));
    assertFinalRows(catalog(stream),
        Fixtures.withGeneration(dat("sync2_expectedrecords_incremental_dedup_final.jsonl"), 42));
  }

  @Test
  void aLargeSyncOfRepeatedRecordsKeepsOneRowPerKey() throws Exception {
    ObjectNode stream = datDedupe(null, 43);
    StreamDescriptor descriptor = descriptor(stream);
    SyncInput input = new SyncInput();
    List<ObjectNode> messages = dat("sync1_messages.jsonl");
    for (int i = 0; i < LARGE_SYNC_COPIES; i++) {
      input.messages(descriptor, messages);
    }
    input.state(descriptor, json("{\"done\":true}")).complete(descriptor);

    ConnectorRun run = sync(catalog(stream), input);

    assertThat(recordCounts(run)).containsExactly((double) LARGE_SYNC_COPIES * messages.size());
    assertFinalRows(catalog(stream), Fixtures.withGeneration(dat("sync1_expectedrecords_dedup_final.jsonl"), 43));
  }

  @Test
  void streamsOfTheSameNameInTwoNamespacesAreDedupedApart() throws Exception {
    ObjectNode first = datDedupe(uniqueName("destkit_dedupe_1"), 43);
    ObjectNode second = datDedupe(uniqueName("destkit_dedupe_2"), 43);
    ObjectNode catalog = catalog(first, second);
    sync(catalog, new SyncInput()
        .messages(descriptor(first), dat("sync1_messages.jsonl"))
        .messages(descriptor(second), dat("sync1_messages2.jsonl"))
        .complete(descriptor(first), descriptor(second)));
    assertFinalRows(catalog, 0, Fixtures.withGeneration(dat("sync1_expectedrecords_dedup_final.jsonl"), 43));
    assertFinalRows(catalog, 1, dat("sync1_expectedrecords_dedup_final2.jsonl"));

    sync(catalog, new SyncInput()
        .messages(descriptor(first), dat("sync2_messages.jsonl"))
        .messages(descriptor(second), dat("sync2_messages2.jsonl"))
        .complete(descriptor(first), descriptor(second)));
    assertFinalRows(catalog, 0,
        Fixtures.withGeneration(dat("sync2_expectedrecords_incremental_dedup_final.jsonl"), 43));
    assertFinalRows(catalog, 1, dat("sync2_expectedrecords_incremental_dedup_final2.jsonl"));
  }

  @Test
  void aNewCursorFieldWinsOverRowsThatHaveNone() throws Exception {
    assumeBehavior(TestTarget.Behavior.DROP_REMOVED_COLUMNS);
    // Airbyte's incrementalDedupChangeCursor: sync 1 has cursor old_cursor and no updated_at.
    ObjectNode oldSchema = Vectors.json(DAT + "schema.json").deepCopy();
    ObjectNode properties = (ObjectNode) oldSchema.get("properties");
    properties.remove("updated_at");
    properties.set("old_cursor", json("{\"type\":\"integer\"}"));
    // Airbyte's vectors expect old_cursor dropped, which the kit does when asked to.
    JsonNode config = target().dropRemovedColumnsConfig(configJson());
    ObjectNode first = dedupe(generations(stream(null, "cursor_change", oldSchema), 43, 0), "old_cursor", "id1", "id2");
    sync(config, catalog(first), completeSync(first, dat("sync1_cursorchange_messages.jsonl")));
    assertFinalRows(catalog(first), dat("sync1_cursorchange_expectedrecords_dedup_final.jsonl"));

    ObjectNode second = dedupe(generations(datStream(null, "cursor_change"), 43, 0), "updated_at", "id1", "id2");
    sync(config, catalog(second), completeSync(second, dat("sync2_messages.jsonl")));
    assertFinalRows(catalog(second), dat("sync2_cursorchange_expectedrecords_incremental_dedup_final.jsonl"));
  }

  @Test
  void theLatestCursorWinsEvenWhenOneOfItsValuesIsInvalid() throws Exception {
    ObjectNode stream = dedupe(generations(sqlGeneratorStream(null, "safe_cast"), 42, 0), "updated_at", "id1", "id2");
    List<ObjectNode> records = Fixtures.recordsOfRawRows(Fixtures.concat(
        Fixtures.jsonLines(SQLGENERATOR + "incrementaldedup_inputrecords.jsonl"),
        Fixtures.jsonLines(SQLGENERATOR + "safe_cast/incrementaldedup_inputrecords.jsonl")));
    sync(catalog(stream), completeSync(stream, records));

    // Deliberate difference: a value that does not fit its type is reported as
    // DESTINATION_SERIALIZATION_ERROR (design §4, as Airbyte's direct-load destinations do), not
    // typing-deduping's DESTINATION_TYPECAST_ERROR.
    List<ObjectNode> expected = Fixtures.edited(
        Fixtures.withGeneration(Fixtures.jsonLines(SQLGENERATOR + "incrementaldedup_expectedrecords_final.jsonl"), 42),
        row -> row.findParents("reason").forEach(change -> ((ObjectNode) change).put("reason",
            change.path("reason").asText().replace("DESTINATION_TYPECAST_ERROR", "DESTINATION_SERIALIZATION_ERROR"))));
    assertFinalRows(catalog(stream), expected);
  }

  @Test
  void aStringKeyKeepsTheNewestVersionAcrossSyncsAndIgnoresAnOlderOne() throws Exception {
    ObjectNode stream = dedupe(stream(null, "keyed", KEYED_SCHEMA), "version", "id");
    StreamDescriptor descriptor = descriptor(stream);
    sync(catalog(stream), keyedInput(descriptor,
        keyed(1000, "a", 1, "a1"), keyed(1000, "b", 1, "b1"), keyed(1000, "a", 3, "a3"), keyed(1000, "a", 2, "a2")));
    sync(catalog(stream), keyedInput(descriptor, keyed(2000, "a", 2, "a2 late"), keyed(2000, "b", 2, "b2")));

    assertFinalRows(catalog(stream), List.of(keyed(1000, "a", 3, "a3"), keyed(2000, "b", 2, "b2")));
  }

  @Test
  void versionsTiedOnCursorAndExtractionTimeResolveInArrivalOrder() throws Exception {
    ObjectNode stream = dedupe(stream(null, "keyed", KEYED_SCHEMA), "version", "id");
    StreamDescriptor descriptor = descriptor(stream);
    List<ObjectNode> versions = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      versions.add(keyed(1000, "a", 1, String.format("arrived %03d", i)));
    }
    sync(catalog(stream), keyedInput(descriptor, versions.toArray(ObjectNode[]::new)));
    assertFinalRows(catalog(stream), List.of(keyed(1000, "a", 1, "arrived 499")));

    sync(catalog(stream), keyedInput(descriptor, keyed(1000, "a", 1, "next sync")));
    assertFinalRows(catalog(stream), List.of(keyed(1000, "a", 1, "next sync")));
  }

  @Test
  void withoutACursorTheLatestExtractedRecordWins() throws Exception {
    ObjectNode stream = dedupe(stream(null, "keyed", KEYED_SCHEMA), null, "id");
    StreamDescriptor descriptor = descriptor(stream);
    sync(catalog(stream), keyedInput(descriptor,
        keyed(1000, "a", null, "first"), keyed(3000, "a", null, "latest"), keyed(2000, "a", null, "middle"),
        keyed(1000, "b", null, "b")));
    sync(catalog(stream), keyedInput(descriptor, keyed(4000, "b", null, "b again")));

    assertFinalRows(catalog(stream), List.of(keyed(3000, "a", null, "latest"), keyed(4000, "b", null, "b again")));
  }

  @Test
  void nullKeyComponentsCompareEqual() throws Exception {
    ObjectNode stream = datDedupe(null, 0);
    sync(catalog(stream), completeSync(stream, dat("sync_null_pk.jsonl")));
    sync(catalog(stream), completeSync(stream, dat("sync_null_pk.jsonl").subList(0, 1)));

    List<Map<String, String>> rows = finalRows(catalog(stream), 0);
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row).containsEntry("id1", "1").doesNotContainKey("id2");
      assertThat(row).containsEntry("updated_at", "2000-01-03T00:00:00Z");
    });
  }

  /**
   * NULL key parts match each other, in the stored rows as in the incoming ones, and nothing else:
   * not the empty string, not 0 (what a database may stand NULL in with for its join).
   */
  @Test
  void keysWithNullPartsCollapseIntoTheStoredRowsOnASecondSync() throws Exception {
    ObjectNode stream = dedupe(stream(null, "two_part_key", TWO_PART_KEY_SCHEMA), "version", "id", "part");
    StreamDescriptor descriptor = descriptor(stream);
    List<ObjectNode> first = new ArrayList<>(untouchedRows());
    first.addAll(List.of(
        twoPartKeyed(1000, 1L, null, 1, "1, null"), twoPartKeyed(1000, 1L, "", 1, "1, empty"),
        twoPartKeyed(1000, null, "x", 1, "null, x"), twoPartKeyed(1000, 0L, "x", 1, "0, x"),
        twoPartKeyed(1000, null, null, 1, "null, null"), twoPartKeyed(1000, 0L, "", 1, "0, empty")));
    sync(catalog(stream), keyedInput(descriptor, first.toArray(ObjectNode[]::new)));

    sync(catalog(stream), keyedInput(descriptor,
        twoPartKeyed(2000, 1L, null, 2, "1, null updated"), twoPartKeyed(2000, null, "x", 2, "null, x updated"),
        twoPartKeyed(2000, null, null, 2, "null, null updated"), twoPartKeyed(2000, null, "", 1, "null, empty new")));

    List<ObjectNode> expected = new ArrayList<>(untouchedRows());
    expected.addAll(List.of(
        twoPartKeyed(2000, 1L, null, 2, "1, null updated"), twoPartKeyed(1000, 1L, "", 1, "1, empty"),
        twoPartKeyed(2000, null, "x", 2, "null, x updated"), twoPartKeyed(1000, 0L, "x", 1, "0, x"),
        twoPartKeyed(2000, null, null, 2, "null, null updated"), twoPartKeyed(1000, 0L, "", 1, "0, empty"),
        twoPartKeyed(2000, null, "", 1, "null, empty new")));
    assertFinalRows(catalog(stream), expected);
  }

  @Test
  void aSecondSyncKeepsTheStoredVersionsThatAreNewer() throws Exception {
    ObjectNode stream = dedupe(stream(null, "two_part_key", TWO_PART_KEY_SCHEMA), "version", "id", "part");
    StreamDescriptor descriptor = descriptor(stream);
    List<ObjectNode> first = new ArrayList<>(untouchedRows());
    first.addAll(List.of(
        twoPartKeyed(1000, 1L, null, 5, "1, null v5"), twoPartKeyed(1000, 2L, "p", 5, "2, p v5"),
        twoPartKeyed(1000, 3L, "p", 5, "3, p v5")));
    sync(catalog(stream), keyedInput(descriptor, first.toArray(ObjectNode[]::new)));

    // Extracted later but with older cursors: the stored rows stay; a newer cursor still wins.
    sync(catalog(stream), keyedInput(descriptor,
        twoPartKeyed(2000, 1L, null, 4, "1, null v4"), twoPartKeyed(2000, 2L, "p", 3, "2, p v3"),
        twoPartKeyed(2000, 3L, "p", 6, "3, p v6"), twoPartKeyed(2000, 1004L, "p4", 0, "untouched, older")));

    List<ObjectNode> expected = new ArrayList<>(untouchedRows());
    expected.addAll(List.of(
        twoPartKeyed(1000, 1L, null, 5, "1, null v5"), twoPartKeyed(1000, 2L, "p", 5, "2, p v5"),
        twoPartKeyed(2000, 3L, "p", 6, "3, p v6")));
    assertFinalRows(catalog(stream), expected);
  }

  /** A key column's type change evolves the table (whatever the database built on the key) and keeps deduping. */
  @Test
  void aKeyColumnThatChangesTypeKeepsDeduping() throws Exception {
    assumeBehavior(TestTarget.Behavior.COLUMN_TYPE_CHANGE);
    ObjectNode integerKey = dedupe(stream(null, "retyped_key", TWO_PART_KEY_SCHEMA), "version", "id", "part");
    StreamDescriptor descriptor = descriptor(integerKey);
    sync(catalog(integerKey), keyedInput(descriptor,
        twoPartKeyed(1000, 1L, null, 1, "one"), twoPartKeyed(1000, 2L, "p", 1, "two")));

    ObjectNode stringSchema = TWO_PART_KEY_SCHEMA.deepCopy();
    ((ObjectNode) stringSchema.path("properties").path("id")).putArray("type").add("null").add("string");
    ObjectNode stringKey = dedupe(stream(null, "retyped_key", stringSchema), "version", "id", "part");
    SyncInput input = new SyncInput();
    input.record(descriptor, 2000, json("{\"id\":\"1\",\"version\":2,\"value\":\"one again\"}"));
    input.record(descriptor, 2000, json("{\"id\":\"x\",\"part\":\"p\",\"version\":1,\"value\":\"x\"}"));
    sync(catalog(stringKey), input.complete(descriptor));

    assertThat(finalRows(catalog(stringKey), 0))
        .extracting(row -> row.get("id") + "/" + row.get("part") + "/" + row.get("value"))
        .containsExactlyInAnyOrder("1/null/one again", "2/p/two", "x/p/x");
  }

  @Test
  void aPrimaryKeyChangeAppliesTheNewKeyFromThenOn() throws Exception {
    ObjectNode byId1 = dedupe(datStream(null, "key_change"), "updated_at", "id1");
    StreamDescriptor descriptor = descriptor(byId1);
    sync(catalog(byId1), completeSync(byId1, dat("sync1_messages.jsonl")));
    // One row per id1: the newest of (1,200), (1,201) is Bob; then Charlie and id1 = 3.
    assertThat(column(catalog(byId1), 0, "name")).containsExactlyInAnyOrder("Bob", "Charlie", dat("sync1_messages.jsonl")
        .get(4).path("record").path("data").path("name").asText());

    ObjectNode byBoth = dedupe(datStream(null, "key_change"), "updated_at", "id1", "id2");
    sync(catalog(byBoth), new SyncInput().messages(descriptor, dat("sync2_messages.jsonl").subList(0, 1))
        .complete(descriptor));
    // Alice's (1,200) is a new key: added beside Bob's (1,201).
    assertThat(column(catalog(byBoth), 0, "name")).hasSize(4).contains("Alice", "Bob", "Charlie");

    sync(catalog(byId1), new SyncInput().messages(descriptor, dat("sync2_messages.jsonl").subList(1, 2))
        .complete(descriptor));
    // Back to id1 alone: Bob's newer version replaces both rows of id1 = 1.
    assertThat(finalRows(catalog(byId1), 0)).filteredOn(row -> "1".equals(row.get("id1")))
        .singleElement().satisfies(row -> assertThat(row).containsEntry("name", "Bob")
            .containsEntry("updated_at", "2000-01-02T00:00:00Z"));
  }

  @Test
  void switchingBetweenAppendAndDedupeKeepsEachModesSemantics() throws Exception {
    ObjectNode appended = append(datStream(null, "switching"), "updated_at");
    sync(catalog(appended), completeSync(appended, dat("sync1_messages.jsonl")));

    ObjectNode deduped = dedupe(datStream(null, "switching"), "updated_at", "id1", "id2");
    sync(catalog(deduped), completeSync(deduped, dat("sync2_messages.jsonl")));
    // Both of Alice's appended rows give way to her newer version; Bob is deleted.
    List<ObjectNode> dedupedRows =
        Fixtures.withGeneration(dat("sync2_expectedrecords_incremental_dedup_final.jsonl"), 0);
    assertFinalRows(catalog(deduped), dedupedRows);

    sync(catalog(appended), completeSync(appended, dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(appended), Fixtures.concat(
        dedupedRows, Fixtures.withGeneration(dat("sync1_expectedrecords_nondedup_final.jsonl"), 0)));
  }
}
