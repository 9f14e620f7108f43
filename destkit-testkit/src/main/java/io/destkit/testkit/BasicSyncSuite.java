package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Full syncs of the plain cases: records and states, namespaces, awkward names, no data, a stream
 * without columns, many streams.
 */
public abstract class BasicSyncSuite<C> extends BasicFunctionalitySuite<C> {
  private static final JsonNode USERS_SCHEMA =
      json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}}");

  private static ObjectNode user(long id, String name, long emittedAt) {
    return json("{\"_airbyte_extracted_at\":" + emittedAt + ",\"_airbyte_generation_id\":0,\"id\":" + id
        + ",\"name\":\"" + name + "\"}");
  }

  @Test
  void everyRecordIsWrittenAndEachStateIsEchoedWithItsRecordCount() throws Exception {
    ObjectNode users = stream(null, "users", USERS_SCHEMA);
    StreamDescriptor stream = descriptor(users);
    SyncInput input = new SyncInput()
        .record(stream, 1000, json("{\"id\":1,\"name\":\"Ann\"}"))
        .record(stream, 1001, json("{\"id\":2,\"name\":\"Bob\"}"))
        .record(stream, 1002, json("{\"id\":3,\"name\":\"Cy\"}"))
        .state(stream, json("{\"cursor\":3}"))
        .record(stream, 1003, json("{\"id\":4,\"name\":\"Di\"}"))
        .record(stream, 1004, json("{\"id\":5,\"name\":\"Ed\"}"))
        .state(stream, json("{\"cursor\":5}"))
        .complete(stream);

    ConnectorRun run = sync(catalog(users), input);

    assertThat(recordCounts(run)).containsExactly(3.0, 2.0);
    assertThat(run.messages(MessageType.STATE))
        .extracting(state -> state.json().path("state").path("stream").path("stream_state").path("cursor").asInt())
        .containsExactly(3, 5);
    assertFinalRows(catalog(users), List.of(
        user(1, "Ann", 1000), user(2, "Bob", 1001), user(3, "Cy", 1002), user(4, "Di", 1003), user(5, "Ed", 1004)));
  }

  @Test
  void incrementalAppendKeepsEveryRecordOfEverySyncDeletesIncluded() throws Exception {
    // Airbyte's incrementalAppend: the CDC delete of sync 2 is an ordinary row in append mode.
    ObjectNode stream = append(datStream(null, "append_users"), "updated_at");
    sync(catalog(stream), completeSync(stream, dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(stream), Fixtures.withGeneration(dat("sync1_expectedrecords_nondedup_final.jsonl"), 0));

    sync(catalog(stream), completeSync(stream, dat("sync2_messages.jsonl")));
    assertFinalRows(catalog(stream),
        Fixtures.withGeneration(dat("sync2_expectedrecords_fullrefresh_append_final.jsonl"), 0));
  }

  @Test
  void streamsOfTheSameNameInTwoNamespacesGetTablesOfTheirOwn() throws Exception {
    ObjectNode first = generations(datStream(uniqueName("destkit_ns_1"), "users"), 43, 0);
    ObjectNode second = generations(datStream(uniqueName("destkit_ns_2"), "users"), 43, 0);
    ObjectNode catalog = catalog(first, second);
    SyncInput input = new SyncInput()
        .messages(descriptor(first), dat("sync1_messages.jsonl"))
        .messages(descriptor(second), dat("sync1_messages2.jsonl"))
        .complete(descriptor(first), descriptor(second));

    sync(catalog, input);

    assertThat(tables(catalog, 0).finalTable()).isNotEqualTo(tables(catalog, 1).finalTable());
    assertFinalRows(catalog, 0, Fixtures.withGeneration(dat("sync1_expectedrecords_nondedup_final.jsonl"), 43));
    assertFinalRows(catalog, 1, Fixtures.withGeneration(dat("sync1_expectedrecords_dedup_final2.jsonl"), 43));
  }

  @Test
  void aStreamWithoutNamespaceIsWrittenToTheConfiguredDefaultNamespace() throws Exception {
    ObjectNode users = stream(null, "users", USERS_SCHEMA);
    sync(catalog(users), new SyncInput().record(descriptor(users), 1000, json("{\"id\":1,\"name\":\"Ann\"}"))
        .complete(descriptor(users)));

    String defaultNamespace = destination().namingPolicy(destination().bindConfig(configJson())).defaultNamespace();
    assertThat(tables(catalog(users), 0).finalTable().namespace()).isEqualTo(defaultNamespace);
    assertFinalRows(catalog(users), List.of(user(1, "Ann", 1000)));
  }

  @Test
  void streamNamespaceAndFieldNamesWithSpacesQuotesAndUnicodeWorkAsDedupeKeys() throws Exception {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{"
        + "\"Id With Space\":{\"type\":\"integer\"},"
        + "\"key \\\"quoted\\\" 'x'\":{\"type\":\"string\"},"
        + "\"cursor ü\":{\"type\":\"integer\"},"
        + "\"ünïcödé 日本 value\":{\"type\":\"string\"},"
        + "\"a b\":{\"type\":\"string\"},"
        + "\"a_b\":{\"type\":\"string\"}}}");
    ObjectNode funky = dedupe(
        stream(uniqueName("Ns \"Quoted\" 'Apos' Ünï"), "Stream \"Quoted\" 'Apos' with spaces ünïcödé 日本", schema),
        "cursor ü", "Id With Space", "key \"quoted\" 'x'");
    StreamDescriptor stream = descriptor(funky);
    ObjectNode catalog = catalog(funky);
    String first = "{\"Id With Space\":1,\"key \\\"quoted\\\" 'x'\":\"k\\\"1\",\"cursor ü\":1,"
        + "\"ünïcödé 日本 value\":\"one ü\",\"a b\":\"space\",\"a_b\":\"underscore\"}";
    String firstUpdated = first.replace("\"cursor ü\":1", "\"cursor ü\":2").replace("one ü", "one v2 ü");
    String second = "{\"Id With Space\":2,\"key \\\"quoted\\\" 'x'\":\"k'2\",\"cursor ü\":1,\"ünïcödé 日本 value\":\"two\"}";
    sync(catalog, new SyncInput()
        .record(stream, 1000, json(first)).record(stream, 1000, json(firstUpdated)).record(stream, 1000, json(second))
        .complete(stream));
    String secondUpdated = second.replace("\"cursor ü\":1", "\"cursor ü\":5").replace("two", "two v2");
    sync(catalog, new SyncInput().record(stream, 2000, json(secondUpdated)).complete(stream));

    assertFinalRows(catalog, List.of(
        json(firstUpdated).put("_airbyte_extracted_at", 1000).put("_airbyte_generation_id", 0),
        json(secondUpdated).put("_airbyte_extracted_at", 2000).put("_airbyte_generation_id", 0)));
  }

  @Test
  void aSyncWithoutRecordsCreatesAnEmptyTableAndEchoesItsState() throws Exception {
    ObjectNode users = stream(null, "users", USERS_SCHEMA);
    ConnectorRun run = sync(catalog(users),
        new SyncInput().state(descriptor(users), json("{\"cursor\":0}")).complete(descriptor(users)));

    assertThat(recordCounts(run)).containsExactly(0.0);
    StreamTables tables = tables(catalog(users), 0);
    assertThat(finalTableExists(tables)).isTrue();
    assertThat(rows(tables)).isEmpty();
  }

  @Test
  void anAppendSyncEndingWithoutStreamStatusFailsButKeepsTheRecordsItCommitted() throws Exception {
    ObjectNode users = stream(null, "users", USERS_SCHEMA);
    StreamDescriptor stream = descriptor(users);
    ConnectorRun run = failedSync(catalog(users), new SyncInput()
        .record(stream, 1000, json("{\"id\":1,\"name\":\"Ann\"}"))
        .state(stream, json("{\"cursor\":1}")));

    assertThat(recordCounts(run)).containsExactly(1.0);
    assertFinalRows(catalog(users), List.of(user(1, "Ann", 1000)));
  }

  @Test
  void aStreamWithNoColumnsKeepsEachRecordWhole() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(carriesText(),
        "a stream whose schema declares no properties has no positional values: the platform sends it as JSON");
    // Deliberate difference: Airbyte writes only the meta columns for a schema without properties
    // (the data is lost); the kit keeps each record whole in one JSON column, _airbyte_data.
    ObjectNode empty = stream(null, "no_columns", json("{\"type\":\"object\",\"properties\":{}}"));
    StreamDescriptor stream = descriptor(empty);
    sync(catalog(empty), new SyncInput()
        .record(stream, 1000, json("{}"))
        .record(stream, 2000, json("{\"anything\":[1,\"two\"]}"))
        .complete(stream));

    assertFinalRows(catalog(empty), List.of(
        json("{\"_airbyte_extracted_at\":1000,\"_airbyte_generation_id\":0,\"_airbyte_data\":{}}"),
        json("{\"_airbyte_extracted_at\":2000,\"_airbyte_generation_id\":0,\"_airbyte_data\":{\"anything\":[1,\"two\"]}}")));
  }

  @Test
  void fiftyRefreshedStreamsAreAllFinalisedAndTheSyncCompletes() throws Exception {
    // Airbyte's testManyStreamsCompletion, with a prior generation so that every stream swaps.
    List<ObjectNode> first = new ArrayList<>();
    List<ObjectNode> second = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      first.add(overwrite(generations(stream(null, String.format("stream_%02d", i), USERS_SCHEMA), 42, 42)));
      second.add(overwrite(generations(stream(null, String.format("stream_%02d", i), USERS_SCHEMA), 43, 43)));
    }
    sync(catalog(first.toArray(JsonNode[]::new)), inputOfManyStreams(first, 1));
    sync(catalog(second.toArray(JsonNode[]::new)), inputOfManyStreams(second, 2));

    ObjectNode catalog = catalog(second.toArray(JsonNode[]::new));
    try (TableReader reader = tableReader()) {
      for (int i = 0; i < second.size(); i++) {
        assertThat(reader.rows(tables(catalog, i).finalTable()))
            .as("rows of stream %d", i)
            .hasSize(2)
            .allSatisfy(row -> assertThat(row.generationId()).hasValue(43));
      }
    }
  }

  private static SyncInput inputOfManyStreams(List<ObjectNode> streams, int recordsEach) {
    SyncInput input = new SyncInput();
    for (ObjectNode configured : streams) {
      for (int r = 0; r < recordsEach; r++) {
        input.record(descriptor(configured), 1000 + r, json("{\"id\":" + r + ",\"name\":\"n\"}"));
      }
    }
    streams.forEach(configured -> input.complete(descriptor(configured)));
    return input;
  }
}
