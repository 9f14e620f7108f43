package io.destkit.core.pipeline;

import io.destkit.core.write.PipelineSettings;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.naming.TestRules;
import io.destkit.core.state.StateTracker;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.ChangeReason;
import io.destkit.core.typing.ChangeSink;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.StringType;
import io.destkit.core.typing.ValueChange;
import io.destkit.core.typing.ValueLimits;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A value the destination's limits store cleaned rather than nulled keeps a change in the record's meta. */
class CleanedValueChangesTest {

  /** Removes '~' from strings (as PostgreSQL's limits remove U+0000) and refuses strings of 'X'. */
  private static final class TildeFreeLimits implements ValueLimits {
    @Override
    public void check(AirbyteType type, Object value) throws CoercionFailure {
      if ("X".equals(value)) {
        throw CoercionFailure.FIELD_SIZE;
      }
    }

    @Override
    public Object apply(AirbyteType type, Object value, ChangeSink changes) throws CoercionFailure {
      check(type, value);
      if (type instanceof StringType && value instanceof String text && text.indexOf('~') >= 0) {
        changes.record(ValueChange.TRUNCATED, ChangeReason.DESTINATION_SERIALIZATION_ERROR);
        return text.replace("~", "");
      }
      return value;
    }
  }

  @Test
  void aCleanedValueIsStoredAndItsChangeRecordedBesideNulledOnes() throws Exception {
    DestinationCatalog catalog;
    try (InputStream in = getClass().getResourceAsStream("/pipeline/catalog.json")) {
      catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(MessageCodec.MAPPER.readTree(in)));
    }
    TableCatalog tables = TableCatalog.build(catalog, new NamingPolicy(TestRules.lowerCase255(), "main", null));
    List<RecordingLoader> loaders = new ArrayList<>();
    for (int i = 0; i < catalog.size(); i++) {
      loaders.add(new RecordingLoader(tables.get(i)));
    }
    WritePipeline pipeline = new WritePipeline(
        catalog, tables, List.copyOf(loaders), new StateTracker(catalog, state -> {}), new TildeFreeLimits(),
        new PipelineSettings(1, 1 << 20, 1000, Duration.ofSeconds(30), 16L << 20));
    String lines = String.join("\n",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":1,\"name\":\"a~b\"},\"emitted_at\":1}}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":2,\"name\":\"X\"},\"emitted_at\":1}}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":3,\"name\":\"ab\"},\"emitted_at\":1}}") + "\n";

    pipeline.run(new ByteArrayInputStream(lines.getBytes(UTF_8)));

    RecordingLoader users = loaders.get(0);
    assertThat(users.values()).extracting(values -> values.get("name")).containsExactly("ab", null, "ab");
    assertThat(MessageCodec.MAPPER.readTree(users.rows().get(0).changes()))
        .isEqualTo(MessageCodec.MAPPER.readTree(
            "[{\"field\":\"name\",\"change\":\"TRUNCATED\",\"reason\":\"DESTINATION_SERIALIZATION_ERROR\"}]"));
    assertThat(MessageCodec.MAPPER.readTree(users.rows().get(1).changes()))
        .isEqualTo(MessageCodec.MAPPER.readTree(
            "[{\"field\":\"name\",\"change\":\"NULLED\",\"reason\":\"DESTINATION_FIELD_SIZE_LIMITATION\"}]"));
    assertThat(users.rows().get(2).changes()).isNull();
  }
}
