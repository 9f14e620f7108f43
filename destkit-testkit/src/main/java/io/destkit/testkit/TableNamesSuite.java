package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.StreamTables;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streams whose names look like another stream's temp table keep their own table: a temp table is
 * never a final table, so no sync evolves, copies or drops another stream's rows.
 */
public abstract class TableNamesSuite<C> extends BasicFunctionalitySuite<C> {
  private static final JsonNode SCHEMA =
      json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}}");

  private enum Mode { DEDUPE, APPEND_TRUNCATE, DEDUPE_TRUNCATE }

  @Test
  void streamsNamedLikeATempTableKeepTheirRowsThroughTwoDedupeSyncs() throws Exception {
    syncTwiceAndCompare(Mode.DEDUPE);
  }

  @Test
  void streamsNamedLikeATempTableKeepTheirRowsThroughTwoTruncateRefreshes() throws Exception {
    syncTwiceAndCompare(Mode.APPEND_TRUNCATE);
  }

  @Test
  void streamsNamedLikeATempTableKeepTheirRowsThroughTwoDedupeTruncateRefreshes() throws Exception {
    syncTwiceAndCompare(Mode.DEDUPE_TRUNCATE);
  }

  /**
   * {@code users} and the streams named as its temp table was named before temp names were
   * reserved: {@code users_airbyte_tmp} beside it and, when temp tables have a namespace of their
   * own, {@code <namespace>_users_airbyte_tmp} there.
   */
  private List<StreamDescriptor> streams() {
    NamingPolicy policy = destination().namingPolicy(destination().bindConfig(configJson()));
    List<StreamDescriptor> streams = new ArrayList<>();
    streams.add(new StreamDescriptor(null, "users"));
    streams.add(new StreamDescriptor(null, "users_airbyte_tmp"));
    if (policy.tempNamespace() != null) {
      streams.add(new StreamDescriptor(policy.tempNamespace(), policy.defaultNamespace() + "_users_airbyte_tmp"));
    }
    return streams;
  }

  private void syncTwiceAndCompare(Mode mode) throws Exception {
    List<StreamDescriptor> streams = streams();
    ObjectNode first = catalog(streams, mode, 1);
    sync(first, input(streams, 1000, List.of(1, 2), "one"));
    for (int i = 0; i < streams.size(); i++) {
      assertFinalRows(first, i, List.of(row(1, streams.get(i), "one", 1000, mode, 1),
          row(2, streams.get(i), "one", 1000, mode, 1)));
    }

    ObjectNode second = catalog(streams, mode, 2);
    ConnectorRun run = sync(second, input(streams, 2000, List.of(2, 3), "two"));
    assertThat(run.messages(MessageType.STATE)).hasSize(streams.size());
    for (int i = 0; i < streams.size(); i++) {
      StreamDescriptor stream = streams.get(i);
      List<ObjectNode> expected = new ArrayList<>();
      if (mode == Mode.DEDUPE) {
        expected.add(row(1, stream, "one", 1000, mode, 2));
      }
      expected.add(row(2, stream, "two", 2000, mode, 2));
      expected.add(row(3, stream, "two", 2000, mode, 2));
      assertFinalRows(second, i, expected);
    }
    try (TableReader reader = tableReader()) {
      for (int i = 0; i < streams.size(); i++) {
        StreamTables tables = tables(second, i);
        assertThat(reader.tableExists(tables.tempTable())).as("temp table of %s", tables.finalTable())
            .isFalse();
      }
    }
  }

  private static ObjectNode catalog(List<StreamDescriptor> streams, Mode mode, long sync) {
    List<JsonNode> configured = new ArrayList<>();
    for (StreamDescriptor descriptor : streams) {
      ObjectNode stream = stream(descriptor.namespace(), descriptor.name(), SCHEMA);
      configured.add(switch (mode) {
        case DEDUPE -> dedupe(stream, null, "id");
        case APPEND_TRUNCATE -> overwrite(generations(stream, sync, sync));
        case DEDUPE_TRUNCATE -> dedupe(generations(stream, sync, sync), null, "id");
      });
    }
    return catalog(configured.toArray(JsonNode[]::new));
  }

  /** For each stream, a record per id named after the stream, a state and COMPLETE. */
  private static SyncInput input(List<StreamDescriptor> streams, long emittedAt, List<Integer> ids, String sync) {
    SyncInput input = new SyncInput();
    for (StreamDescriptor stream : streams) {
      for (int id : ids) {
        input.record(stream, emittedAt, json("{}").put("id", id).put("name", name(stream, sync)));
      }
      input.state(stream, json("{}").put("sync", sync));
    }
    streams.forEach(input::complete);
    return input;
  }

  private static String name(StreamDescriptor stream, String sync) {
    return stream + " " + sync;
  }

  private static ObjectNode row(long id, StreamDescriptor stream, String sync, long emittedAt, Mode mode, long syncNumber) {
    long generation = mode == Mode.DEDUPE ? 0 : syncNumber;
    return json("{}").put("_airbyte_extracted_at", emittedAt).put("_airbyte_generation_id", generation)
        .put("id", id).put("name", name(stream, sync));
  }
}
