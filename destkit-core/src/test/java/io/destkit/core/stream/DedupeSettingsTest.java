package io.destkit.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stream's sync mode, primary key and cursor are checked when the catalog is read. */
class DedupeSettingsTest {
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
      + "\"a\":{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"integer\"}}},\"updated_at\":{\"type\":\"integer\"}}}";

  /** A configured stream {@code shop.orders} of {@link #SCHEMA}. */
  private static ObjectNode stream(String mode) {
    try {
      ObjectNode configured = MessageCodec.MAPPER.createObjectNode();
      configured.putObject("stream").put("name", "orders").put("namespace", "shop")
          .set("json_schema", MessageCodec.MAPPER.readTree(SCHEMA));
      return configured.put("sync_mode", "incremental").put("destination_sync_mode", mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode dedupe(List<List<String>> primaryKey, List<String> cursor) {
    ObjectNode configured = stream("append_dedup");
    ArrayNode key = configured.putArray("primary_key");
    primaryKey.forEach(path -> path.forEach(key.addArray()::add));
    ArrayNode cursorField = configured.putArray("cursor_field");
    cursor.forEach(cursorField::add);
    return configured;
  }

  private static DestinationStream read(ObjectNode configured) {
    ObjectNode catalog = MessageCodec.MAPPER.createObjectNode();
    catalog.putArray("streams").add(configured);
    return DestinationCatalog.from(ConfiguredCatalog.fromJson(catalog)).get(0);
  }

  @Test
  void aTopLevelKeyAndCursorOfTheSchemaAreAccepted() {
    DestinationStream stream = read(dedupe(List.of(List.of("id")), List.of("updated_at")));

    assertThat(stream.importType()).isEqualTo(new ImportType.Dedupe(List.of(List.of("id")), List.of("updated_at")));
  }

  @Test
  void aDedupeWithoutCursorIsAccepted() {
    assertThat(read(dedupe(List.of(List.of("id")), List.of())).importType())
        .isEqualTo(new ImportType.Dedupe(List.of(List.of("id")), List.of()));
  }

  @Test
  void aCursorThatIsNotInTheSchemaIsRefused() {
    assertThatThrownBy(() -> read(dedupe(List.of(List.of("id")), List.of("modified"))))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessage("Stream 'shop.orders': the cursor field 'modified' (cursor_field) is not in the stream's schema."
            + " Use a top-level field the schema declares.");
  }

  @Test
  void aNestedCursorIsRefused() {
    assertThatThrownBy(() -> read(dedupe(List.of(List.of("id")), List.of("a", "b"))))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageStartingWith("Stream 'shop.orders': the cursor field 'a.b' (cursor_field) is a nested path");
  }

  @Test
  void aNestedPrimaryKeyIsRefused() {
    assertThatThrownBy(() -> read(dedupe(List.of(List.of("id"), List.of("a", "b")), List.of("updated_at"))))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageStartingWith("Stream 'shop.orders': the primary key field 'a.b' (primary_key) is a nested path");
  }

  @Test
  void aPrimaryKeyThatIsNotInTheSchemaIsRefused() {
    assertThatThrownBy(() -> read(dedupe(List.of(List.of("sku")), List.of("updated_at"))))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageStartingWith("Stream 'shop.orders': the primary key field 'sku' (primary_key) is not in the stream's schema.");
  }

  @Test
  void anEmptyPrimaryKeyPathIsRefused() {
    assertThatThrownBy(() -> read(dedupe(List.of(List.of()), List.of())))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessage("Stream 'shop.orders': primary_key has an empty field path.");
  }

  @Test
  void aDedupeWithoutPrimaryKeyIsRefused() {
    assertThatThrownBy(() -> read(dedupe(List.of(), List.of("updated_at"))))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessage("Stream 'shop.orders' uses append_dedup but has no primary_key in the catalog.");
  }

  @Test
  void theUpdateAndSoftDeleteSyncModesAreRefused() {
    for (String mode : List.of("update", "soft_delete")) {
      assertThatThrownBy(() -> read(stream(mode)))
          .as(mode)
          .isInstanceOf(ConfigErrorException.class)
          .hasMessage("Stream 'shop.orders': destination_sync_mode '" + mode + "' is not supported."
              + " Use append, overwrite or append_dedup.");
    }
  }

  @Test
  void aRefreshKeepingSomeOlderGenerationsIsRefusedNamingTheStreamAndBothIds() {
    ObjectNode configured = stream("append").put("generation_id", 5).put("minimum_generation_id", 3);

    assertThatThrownBy(() -> read(configured))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("shop.orders")
        .hasMessageContaining("minimum_generation_id 3")
        .hasMessageContaining("generation_id 5");
  }

  @Test
  void minimumGenerationZeroOrEqualToTheGenerationIsAccepted() {
    assertThat(read(stream("append").put("generation_id", 5).put("minimum_generation_id", 0)).minimumGenerationId())
        .isZero();
    assertThat(read(stream("overwrite").put("generation_id", 5).put("minimum_generation_id", 5)).minimumGenerationId())
        .isEqualTo(5);
  }

  @Test
  void appendStreamsKeepTheirKeyAndCursorUnchecked() {
    // The source uses them for incremental reads; an append destination never does.
    ObjectNode configured = stream("append");
    configured.putArray("cursor_field").add("a").add("b");
    configured.putArray("primary_key").addArray().add("missing");

    assertThat(read(configured).importType()).isEqualTo(new ImportType.Append());
  }
}
