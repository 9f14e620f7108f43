package io.destkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfiguredCatalogTest {
  private static final String FAROS = "real-sources/faros-example/";

  private static ConfiguredCatalog catalog(String json) {
    return ConfiguredCatalog.fromJson(Fixtures.tree(json));
  }

  @Test
  void aCatalogWithAllFieldsIsReadAsGiven() {
    ConfiguredCatalog catalog =
        ConfiguredCatalog.fromJson(
            Fixtures.vector("airbyte/standard_destination_test/problematic_types_configured_catalog.json"));

    assertThat(catalog.streams()).hasSize(1);
    ConfiguredStream stream = catalog.streams().get(0);
    assertThat(stream.descriptor()).isEqualTo(new StreamDescriptor(null, "problematic_types"));
    assertThat(stream.incremental()).isFalse();
    assertThat(stream.destinationSyncMode()).isEqualTo(DestinationSyncMode.OVERWRITE);
    assertThat(stream.cursorField()).isEmpty();
    assertThat(stream.primaryKey()).isEmpty();
    assertThat(stream.generationId()).isEqualTo(10);
    assertThat(stream.minimumGenerationId()).isEqualTo(10);
    assertThat(stream.syncId()).isEqualTo(999);
    assertThat(stream.jsonSchema().path("properties").has("schematized_object")).isTrue();
  }

  @Test
  void generationFieldsMissingFromAnOlderCatalogDefaultToZero() {
    ConfiguredStream stream =
        ConfiguredCatalog.fromJson(Fixtures.vector(FAROS + "full_configured_catalog.json")).streams().get(0);

    assertThat(stream.generationId()).isZero();
    assertThat(stream.minimumGenerationId()).isZero();
    assertThat(stream.syncId()).isZero();
  }

  @Test
  void obsoleteAndSourceSideKeysOfARealCatalogAreIgnored() {
    ConfiguredStream full =
        ConfiguredCatalog.fromJson(Fixtures.vector(FAROS + "full_configured_catalog.json")).streams().get(0);

    assertThat(full.descriptor()).isEqualTo(new StreamDescriptor(null, "builds"));
    assertThat(full.destinationSyncMode()).isEqualTo(DestinationSyncMode.OVERWRITE);
    assertThat(full.incremental()).isFalse();
    // source_defined_primary_key is what the source offers, not what the user configured
    assertThat(full.primaryKey()).isEmpty();
    assertThat(full.cursorField()).isEmpty();
    assertThat(full.jsonSchema().isObject()).isTrue();
    assertThat(full.jsonSchema().isEmpty()).isTrue();
  }

  @Test
  void anIncrementalCatalogGivesItsCursor() {
    ConfiguredStream stream =
        ConfiguredCatalog.fromJson(Fixtures.vector(FAROS + "incremental_configured_catalog.json"))
            .streams()
            .get(0);

    assertThat(stream.incremental()).isTrue();
    assertThat(stream.destinationSyncMode()).isEqualTo(DestinationSyncMode.APPEND);
    assertThat(stream.cursorField()).containsExactly("updated_at");
  }

  @Test
  void aDedupCatalogGivesItsCompositePrimaryKeyAndGeneration() {
    ConfiguredStream stream =
        ConfiguredCatalog.fromJson(Fixtures.vector(FAROS + "dedup_configured_catalog.json")).streams().get(0);

    assertThat(stream.destinationSyncMode()).isEqualTo(DestinationSyncMode.APPEND_DEDUP);
    assertThat(stream.primaryKey()).containsExactly(List.of("uid"), List.of("source"));
    assertThat(stream.cursorField()).containsExactly("updated_at");
    assertThat(stream.generationId()).isEqualTo(1);
    assertThat(stream.minimumGenerationId()).isZero();
    assertThat(stream.syncId()).isEqualTo(1);
  }

  @Test
  void aMissingNullOrNonStringNamespaceIsNull() {
    ConfiguredCatalog catalog =
        catalog(
            "{\"streams\":["
                + "{\"stream\":{\"name\":\"a\"},\"destination_sync_mode\":\"append\"},"
                + "{\"stream\":{\"name\":\"b\",\"namespace\":null},\"destination_sync_mode\":\"append\"},"
                + "{\"stream\":{\"name\":\"c\",\"namespace\":\"sales\"},\"destination_sync_mode\":\"append\"}]}");

    assertThat(catalog.streams())
        .extracting(ConfiguredStream::descriptor)
        .containsExactly(
            new StreamDescriptor(null, "a"), new StreamDescriptor(null, "b"), new StreamDescriptor("sales", "c"));
  }

  @Test
  void streamsKeepTheCatalogOrder() {
    ConfiguredCatalog catalog =
        catalog(
            "{\"streams\":[{\"stream\":{\"name\":\"z\"}},{\"stream\":{\"name\":\"a\"}},{\"stream\":{\"name\":\"m\"}}]}");

    assertThat(catalog.streams()).extracting(s -> s.descriptor().name()).containsExactly("z", "a", "m");
  }

  @Test
  void aMissingSyncModeIsFullRefreshAppendAndAMissingSchemaIsEmpty() {
    ConfiguredStream stream = catalog("{\"streams\":[{\"stream\":{\"name\":\"a\"}}]}").streams().get(0);

    assertThat(stream.incremental()).isFalse();
    assertThat(stream.destinationSyncMode()).isEqualTo(DestinationSyncMode.APPEND);
    assertThat(stream.jsonSchema().isObject()).isTrue();
    assertThat(stream.jsonSchema().isEmpty()).isTrue();
  }

  @Test
  void everyDestinationSyncModeOfTheProtocolIsRead() {
    for (DestinationSyncMode mode : DestinationSyncMode.values()) {
      ConfiguredStream stream =
          catalog("{\"streams\":[{\"stream\":{\"name\":\"a\"},\"destination_sync_mode\":\"" + mode.wireName() + "\"}]}")
              .streams()
              .get(0);
      assertThat(stream.destinationSyncMode()).isEqualTo(mode);
    }
  }

  @Test
  void aCursorGivenAsOneStringIsAOneElementPath() {
    ConfiguredStream stream =
        catalog("{\"streams\":[{\"stream\":{\"name\":\"a\"},\"cursor_field\":\"updated_at\"}]}").streams().get(0);

    assertThat(stream.cursorField()).containsExactly("updated_at");
  }

  @Test
  void aNestedPrimaryKeyPathIsKeptWhole() {
    ConfiguredStream stream =
        catalog("{\"streams\":[{\"stream\":{\"name\":\"a\"},\"primary_key\":[[\"org\",\"id\"],[\"n\"]]}]}")
            .streams()
            .get(0);

    assertThat(stream.primaryKey()).containsExactly(List.of("org", "id"), List.of("n"));
  }

  @Test
  void unknownFieldsAnywhereAreIgnored() {
    ConfiguredCatalog catalog =
        catalog(
            "{\"x\":1,\"streams\":[{\"stream\":{\"name\":\"a\",\"is_file_based\":false,\"x\":{}},"
                + "\"include_files\":true,\"destination_object_name\":\"t\",\"x\":[]}]}");

    assertThat(catalog.streams()).hasSize(1);
  }

  @Test
  void aCatalogWithoutStreamsArrayIsAnError() {
    assertThatThrownBy(() -> catalog("{\"streams\":{}}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("'streams' must be an array");
    assertThatThrownBy(() -> catalog("{}")).isInstanceOf(ProtocolException.class);
  }

  @Test
  void aStreamWithoutStreamObjectIsAnErrorNamingItsIndex() {
    assertThatThrownBy(() -> catalog("{\"streams\":[{\"stream\":{\"name\":\"a\"}},{\"sync_mode\":\"incremental\"}]}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("streams[1]")
        .hasMessageContaining("'stream' must be an object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"name\":\"\"}", "{\"name\":42}", "{\"name\":null}"})
  void aStreamWithoutANameIsAnErrorNamingItsIndex(String stream) {
    assertThatThrownBy(
            () -> catalog("{\"streams\":[{\"stream\":{\"name\":\"a\"}},{\"stream\":{\"name\":\"b\"}},{\"stream\":"
                + stream + "}]}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("streams[2]")
        .hasMessageContaining("stream.name");
  }

  @Test
  void anUnknownDestinationSyncModeIsAnErrorNamingTheStreamAndTheMode() {
    assertThatThrownBy(
            () -> catalog("{\"streams\":[{\"stream\":{\"name\":\"users\"},\"destination_sync_mode\":\"upsert\"}]}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("streams[0]")
        .hasMessageContaining("users")
        .hasMessageContaining("'upsert'");
  }
}
