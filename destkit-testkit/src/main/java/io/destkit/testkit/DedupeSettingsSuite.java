package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.StreamTables;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Dedupe settings the kit cannot honour are refused before anything is created, and source fields
 * named like the kit's helper columns dedupe like any other.
 */
public abstract class DedupeSettingsSuite<C> extends BasicFunctionalitySuite<C> {
  private static final JsonNode SCHEMA = json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
      + "\"address\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}},"
      + "\"updated_at\":{\"type\":\"integer\"}}}");

  /** A refused setting: how to make the stream, and what the message must name besides the stream. */
  private record Refused(String what, UnaryOperator<ObjectNode> configure, String field) {}

  private static final List<Refused> REFUSED = List.of(
      new Refused("cursor not in the schema", s -> dedupe(s, "modified_at", "id"), "'modified_at'"),
      new Refused("nested cursor", s -> {
        dedupe(s, null, "id").putArray("cursor_field").add("address").add("city");
        return s;
      }, "'address.city'"),
      new Refused("nested primary key", s -> {
        dedupe(s, "updated_at").putArray("primary_key").addArray().add("address").add("city");
        return s;
      }, "'address.city'"),
      new Refused("primary key not in the schema", s -> dedupe(s, "updated_at", "sku"), "'sku'"),
      new Refused("update mode", s -> s.put("destination_sync_mode", "update"), "destination_sync_mode 'update'"),
      new Refused("soft_delete mode", s -> s.put("destination_sync_mode", "soft_delete"),
          "destination_sync_mode 'soft_delete'"));

  @Test
  void unsupportedDedupeSettingsFailTheSyncWithAConfigErrorBeforeAnyTableIsCreated() throws Exception {
    for (Refused refused : REFUSED) {
      String namespace = uniqueName("destkit_refused");
      ObjectNode good = stream(namespace, "accepted", SCHEMA);
      ObjectNode bad = refused.configure().apply(stream(namespace, "refused", SCHEMA));
      StreamDescriptor goodStream = descriptor(good);
      SyncInput input = new SyncInput()
          .record(goodStream, 1000, json("{\"id\":1}"))
          .record(descriptor(bad), 1000, json("{\"id\":1}"))
          .complete(goodStream, descriptor(bad));

      ConnectorRun run = failedSync(catalog(good, bad), input);

      JsonNode error = run.single(MessageType.TRACE).json().path("trace").path("error");
      assertThat(error.path("failure_type").asText()).as(refused.what()).isEqualTo("config_error");
      assertThat(error.path("message").asText()).as(refused.what())
          .contains("'" + namespace + ".refused'").contains(refused.field());
      StreamTables goodTables = tables(catalog(good), 0);
      try (TableReader reader = tableReader()) {
        assertThat(reader.namespaceExists(namespace)).as(refused.what()).isFalse();
        assertThat(reader.tableExists(goodTables.finalTable())).as(refused.what()).isFalse();
      }
    }
  }

  @Test
  void aFieldNamedLikeTheDedupeRowNumberIsStoredAndDedupedLikeAnyOther() throws Exception {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
        + "\"_airbyte_row_number\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}}");
    ObjectNode stream = dedupe(stream(null, "ranked", schema), "_airbyte_row_number", "id");
    StreamDescriptor descriptor = descriptor(stream);
    sync(catalog(stream), new SyncInput()
        .record(descriptor, 1000, json("{\"id\":1,\"_airbyte_row_number\":5,\"name\":\"a5\"}"))
        .record(descriptor, 1000, json("{\"id\":1,\"_airbyte_row_number\":9,\"name\":\"a9\"}"))
        .record(descriptor, 1000, json("{\"id\":1,\"_airbyte_row_number\":7,\"name\":\"a7\"}"))
        .record(descriptor, 1000, json("{\"id\":2,\"_airbyte_row_number\":1,\"name\":\"b1\"}"))
        .complete(descriptor));
    sync(catalog(stream), new SyncInput()
        .record(descriptor, 2000, json("{\"id\":1,\"_airbyte_row_number\":8,\"name\":\"a8 late\"}"))
        .record(descriptor, 2000, json("{\"id\":2,\"_airbyte_row_number\":2,\"name\":\"b2\"}"))
        .complete(descriptor));

    assertThat(tables(catalog(stream), 0).columns()).extracting(column -> column.name())
        .doesNotContain("_airbyte_row_number");
    assertFinalRows(catalog(stream), List.of(
        json("{\"_airbyte_extracted_at\":1000,\"_airbyte_generation_id\":0,\"id\":1,\"_airbyte_row_number\":9,"
            + "\"name\":\"a9\"}"),
        json("{\"_airbyte_extracted_at\":2000,\"_airbyte_generation_id\":0,\"id\":2,\"_airbyte_row_number\":2,"
            + "\"name\":\"b2\"}")));
  }
}
