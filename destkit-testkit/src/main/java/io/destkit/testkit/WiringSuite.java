package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.write.Row;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.WriteContext;
import io.destkit.core.write.StreamLoader;
import io.destkit.protocol.MessageCodec;
import io.destkit.sql.AppendStreamLoader;
import io.destkit.sql.AppendTruncateStreamLoader;
import io.destkit.sql.DedupeStreamLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The destination's parts wired together as a {@code --write} wires them: its writer's setup, the
 * loader it picks for each stream, and one batch going through that loader into the table.
 */
public abstract class WiringSuite<C> extends DatabaseSuite<C> {
  private static final long GENERATION_ID = 7;
  private static final long SYNC_ID = 42;
  private static final long EXTRACTED_AT_MILLIS = 1_700_000_000_123L;

  private static ObjectNode usersStream(String namespace, String name) {
    JsonNode schema =
        json("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}}");
    return TestCatalogs.stream(namespace, name, schema).put("generation_id", GENERATION_ID).put("sync_id", SYNC_ID);
  }

  private static JsonNode json(String text) {
    try {
      return MessageCodec.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TableCatalog tables(C config, JsonNode... streams) {
    return TableCatalog.build(
        TestCatalogs.destinationCatalog(TestCatalogs.catalog(streams)), destination().namingPolicy(config));
  }

  @Test
  void setupCreatesTheNamespaceOfEveryStream() throws Exception {
    C config = config();
    TableCatalog tables = tables(config, usersStream(null, "users"), usersStream(uniqueName("destkit_wiring"), "users"));
    try (DestinationWriter writer = destination().createWriter(config, tables, WriteContext.of(PipelineSettings.defaults()));
        TestDatabase database = openDatabase(config)) {
      String ownNamespace = tables.get(1).finalTable().namespace();
      assertThat(database.namespaceExists(ownNamespace)).as("namespace %s before setup", ownNamespace).isFalse();
      writer.setup();
      for (StreamTables table : tables.tables()) {
        assertThat(database.namespaceExists(table.finalTable().namespace()))
            .as("namespace of %s", table.stream().descriptor()).isTrue();
      }
    }
  }

  @Test
  void anAppendLoaderCreatesItsTableAtStart() throws Exception {
    C config = config();
    TableCatalog tables = tables(config, usersStream(uniqueName("destkit_wiring"), "users"));
    StreamTables users = tables.get(0);
    try (DestinationWriter writer = destination().createWriter(config, tables, WriteContext.of(PipelineSettings.defaults()));
        TestDatabase database = openDatabase(config)) {
      writer.setup();
      StreamLoader loader = writer.createStreamLoader(users);
      assertThat(database.operations().tableExists(users.finalTable())).as("table before start").isFalse();
      loader.start();
      assertThat(database.operations().columns(users.finalTable()).keySet())
          .containsExactlyElementsOf(
              Stream.concat(MetaColumns.ALL.stream(), users.columns().stream().map(ColumnDef::name)).toList());
    }
  }

  @Test
  void aWrittenBatchIsReadableWithItsMetaAndGenerationId() throws Exception {
    C config = config();
    TableCatalog tables = tables(config, usersStream(uniqueName("destkit_wiring"), "users"));
    StreamTables users = tables.get(0);
    JsonNode data = MessageCodec.MAPPER.createObjectNode().put("id", 1).put("name", "Ada");
    Row row = TestRows.row(users.columns(), data, EXTRACTED_AT_MILLIS, destination().valueLimits());
    try (DestinationWriter writer = destination().createWriter(config, tables, WriteContext.of(PipelineSettings.defaults()))) {
      writer.setup();
      StreamLoader loader = writer.createStreamLoader(users);
      loader.start();
      loader.write(TestRows.batch(row));
      loader.close(true);
    }

    try (TestDatabase database = openDatabase(config)) {
      assertThat(database.rows(users.finalTable())).singleElement().satisfies(stored -> {
        assertThat(stored.rawId()).isEqualTo(row.rawId());
        assertThat(stored.extractedAt()).isEqualTo(Instant.ofEpochMilli(EXTRACTED_AT_MILLIS));
        assertThat(stored.meta()).isEqualTo(json("{\"sync_id\":" + SYNC_ID + ",\"changes\":[]}"));
        assertThat(stored.generationId()).hasValue(GENERATION_ID);
        assertThat(stored.values())
            .containsEntry(users.columns().get(0).name(), "1")
            .containsEntry(users.columns().get(1).name(), "Ada")
            .hasSize(2);
      });
    }
  }

  @Test
  void anAppendStreamGetsAnAppendLoaderThatStarts() throws Exception {
    assertThat(startedLoader(usersStream(null, "appended_accounts"))).isExactlyInstanceOf(AppendStreamLoader.class);
  }

  @Test
  void aDedupeStreamGetsADedupeLoaderThatDoesNotTruncate() throws Exception {
    assertThat(startedLoader(dedupeStream("deduped_accounts")))
        .isExactlyInstanceOf(DedupeStreamLoader.class)
        .satisfies(loader -> assertThat(((DedupeStreamLoader) loader).truncates()).as("truncates").isFalse());
  }

  @Test
  void aTruncateRefreshGetsAnAppendTruncateLoader() throws Exception {
    assertThat(startedLoader(usersStream(null, "refreshed_accounts").put("minimum_generation_id", GENERATION_ID)))
        .isExactlyInstanceOf(AppendTruncateStreamLoader.class);
  }

  @Test
  void aDedupeStreamWithATruncateRefreshGetsADedupeLoaderThatTruncates() throws Exception {
    assertThat(startedLoader(dedupeStream("refreshed_deduped_accounts").put("minimum_generation_id", GENERATION_ID)))
        .isExactlyInstanceOf(DedupeStreamLoader.class)
        .satisfies(loader -> assertThat(((DedupeStreamLoader) loader).truncates()).as("truncates").isTrue());
  }

  private static ObjectNode dedupeStream(String name) {
    ObjectNode stream = usersStream(null, name).put("destination_sync_mode", "append_dedup");
    stream.putArray("primary_key").addArray().add("id");
    stream.putArray("cursor_field").add("id");
    return stream;
  }

  @Test
  void aRefreshKeepingSomeOlderGenerationsIsRejectedNamingTheStream() throws Exception {
    ObjectNode stream = usersStream(null, "hybrid_accounts")
        .put("generation_id", GENERATION_ID + 2).put("minimum_generation_id", GENERATION_ID);
    C config = config();
    // Refused when the catalog is read, before a writer exists or any namespace is created.
    assertThatThrownBy(() -> tables(config, stream))
        .isInstanceOf(ConfigErrorException.class).hasMessageContaining("hybrid_accounts");
  }

  @Test
  void aDedupeStreamWhosePrimaryKeyIsNotInTheSchemaIsRejectedNamingTheField() throws Exception {
    ObjectNode stream = usersStream(null, "keyless").put("destination_sync_mode", "append_dedup");
    stream.putArray("primary_key").addArray().add("no_such_field");
    C config = config();
    // Refused when the catalog is read, before a writer exists.
    assertThatThrownBy(() -> tables(config, stream))
        .isInstanceOf(ConfigErrorException.class).hasMessageContaining("keyless").hasMessageContaining("no_such_field");
  }

  /** The loader the writer picks for the stream, once it started without an exception. */
  private StreamLoader startedLoader(ObjectNode stream) throws Exception {
    C config = config();
    TableCatalog tables = tables(config, stream);
    try (DestinationWriter writer = destination().createWriter(config, tables, WriteContext.of(PipelineSettings.defaults()))) {
      writer.setup();
      StreamLoader loader = writer.createStreamLoader(tables.get(0));
      ThrowingCallable start = loader::start;
      assertThatCode(start).doesNotThrowAnyException();
      return loader;
    }
  }
}
