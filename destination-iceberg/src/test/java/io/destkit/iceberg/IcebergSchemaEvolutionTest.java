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
import java.util.List;
import java.util.Map;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream's new property becomes a new optional column; a changed type is refused, naming the column. */
class IcebergSchemaEvolutionTest {
  private static final StreamDescriptor ITEMS = new StreamDescriptor("shop", "items");

  @TempDir Path tempDir;

  private static JsonNode schema(String... fieldsAndTypes) {
    ObjectNode properties = MessageCodec.MAPPER.createObjectNode();
    for (int i = 0; i < fieldsAndTypes.length; i += 2) {
      properties.putObject(fieldsAndTypes[i]).put("type", fieldsAndTypes[i + 1]);
    }
    return MessageCodec.MAPPER.createObjectNode().put("type", "object").set("properties", properties);
  }

  private ConnectorRun run(IcebergFixture fixture, JsonNode schema, JsonNode record) {
    ObjectNode catalog = TestCatalogs.catalog(TestCatalogs.stream(ITEMS.namespace(), ITEMS.name(), schema));
    return ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog,
        new SyncInput().record(ITEMS, 1_700_000_000_000L, record).complete(ITEMS).text(), tempDir);
  }

  @Test
  void aNewPropertyBecomesANewColumnAndOlderRowsReadNull() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    assertThat(run(fixture, schema("id", "integer"), MessageCodec.MAPPER.readTree("{\"id\":1}")).exitCode()).isZero();

    ConnectorRun second = run(fixture, schema("id", "integer", "price", "number"),
        MessageCodec.MAPPER.readTree("{\"id\":2,\"price\":9.5}"));

    assertThat(second.exitCode()).as("stderr: %s", second.stderr()).isZero();
    Types.NestedField price = fixture.table("shop", "items").schema().findField("price");
    assertThat(price.isOptional()).isTrue();
    assertThat(price.type()).hasToString("decimal(38, 9)");
    List<Map<String, Object>> rows = fixture.rows("shop", "items").stream()
        .sorted(java.util.Comparator.comparing(row -> (Long) row.get("id")))
        .toList();
    assertThat(rows).extracting(row -> row.get("id") + " " + row.get("price"))
        .containsExactly("1 null", "2 9.500000000");
  }

  @Test
  void aChangedTypeIsAConfigErrorNamingTheStreamAndColumn() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    assertThat(run(fixture, schema("id", "integer", "code", "integer"),
        MessageCodec.MAPPER.readTree("{\"id\":1,\"code\":7}")).exitCode()).isZero();

    ConnectorRun changed = run(fixture, schema("id", "integer", "code", "string"),
        MessageCodec.MAPPER.readTree("{\"id\":2,\"code\":\"x7\"}"));

    assertThat(changed.exitCode()).isEqualTo(1);
    JsonNode error = changed.messages(MessageType.TRACE).get(0).json().path("trace").path("error");
    assertThat(error.path("failure_type").asText()).isEqualTo("config_error");
    assertThat(error.path("message").asText()).contains("shop", "items", "'code'", "long", "string");
    assertThat(fixture.rows("shop", "items")).hasSize(1);
  }
}
