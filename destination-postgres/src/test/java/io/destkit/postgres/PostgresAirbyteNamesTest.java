package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import io.destkit.testkit.Vectors;
import io.destkit.testkit.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the default {@code identifier_case} ({@code keep}), Airbyte's edge-case vector lands in the
 * tables and columns Airbyte's destination-postgres 3.x names: case kept, reserved words as they
 * are, accents removed; with {@code lower}, in lower-case names with reserved words prefixed.
 */
class PostgresAirbyteNamesTest {
  private static final String DIR = "airbyte/standard_destination_test/";

  @TempDir Path tempDir;
  private String schema;

  @BeforeEach
  void startServer() {
    PostgresTarget.server();
    schema = PostgresServer.nameFor("destkit_names", tempDir.toString());
  }

  @Test
  void theEdgeCaseVectorGetsAirbytesNames() throws Exception {
    sync(PostgresTarget.config(DEFAULT_DATABASE, schema).put("raw_data_schema", schema + "_raw"));

    assertThat(rows("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "' ORDER BY 1"))
        .containsExactlyInAnyOrder("CapitalCase", "ProperCase", "STREAM_WITH_ALL_CAPS", "groups", "reserved_keywords",
            "streamWithCamelCase", "stream_name", "stream_name_next", "stream_with_binary_data", "stream_with_dates",
            "stream_with_edge_case_field_names", "stream_with_special_character_names", "stream_with_underscores");
    assertThat(columns("stream_with_edge_case_field_names"))
        .containsExactly("_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta", "_airbyte_generation_id",
            "fieldWithCamelCase", "field_with_underscore", "FIELD_WITH_ALL_CAPS");
    assertThat(rows("SELECT \"data\" FROM " + table("streamWithCamelCase"))).containsExactly("one");
    assertThat(rows("SELECT \"order\" FROM " + table("reserved_keywords"))).containsExactly("ascending");
    assertThat(rows("SELECT \"authorization\" FROM " + table("groups"))).containsExactly("into");
    assertThat(rows("SELECT \"ProperCase\" FROM " + table("ProperCase"))).containsExactly("t");
    assertThat(rows("SELECT field_with_special_character FROM " + table("stream_with_special_character_names")))
        .containsExactly("one");
  }

  @Test
  void lowerCaseNamesAreLowerCasedAndReservedWordsPrefixed() throws Exception {
    sync(PostgresTarget.config(DEFAULT_DATABASE, schema).put("raw_data_schema", schema + "_raw")
        .put("identifier_case", "lower"));

    assertThat(rows("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "' ORDER BY 1"))
        .contains("capitalcase", "propercase", "stream_with_all_caps", "groups", "streamwithcamelcase")
        .doesNotContain("CapitalCase", "ProperCase");
    assertThat(columns("stream_with_edge_case_field_names"))
        .contains("fieldwithcamelcase", "field_with_all_caps");
    assertThat(rows("SELECT _order FROM " + table("reserved_keywords"))).containsExactly("ascending");
    assertThat(rows("SELECT _authorization FROM " + table("groups"))).containsExactly("into");
  }

  private void sync(ObjectNode config) throws Exception {
    JsonNode vectorCatalog = Vectors.json(DIR + "edge_case_catalog.json");
    List<JsonNode> streams = new ArrayList<>();
    SyncInput input = new SyncInput();
    List<StreamDescriptor> descriptors = new ArrayList<>();
    for (JsonNode stream : vectorCatalog.path("streams")) {
      streams.add(TestCatalogs.stream(null, stream.path("name").asText(), stream.path("json_schema")));
      descriptors.add(new StreamDescriptor(null, stream.path("name").asText()));
    }
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(Vectors.path(DIR + "edge_case_messages.txt"))) {
      if (!line.isBlank()) {
        text.append(MessageCodec.encode(MessageCodec.MAPPER.readTree(line))).append('\n');
      }
    }
    text.append(input.complete(descriptors.toArray(StreamDescriptor[]::new)).text());

    ConnectorRun run = ConnectorRun.write(new PostgresDestination(), config,
        TestCatalogs.catalog(streams.toArray(JsonNode[]::new)), text.toString(), tempDir);

    assertThat(run.exitCode()).as("stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
  }

  private String table(String name) {
    return PostgresServer.quote(schema) + "." + PostgresServer.quote(name);
  }

  private List<String> columns(String table) throws SQLException {
    return rows("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + schema
        + "' AND table_name = '" + table + "' ORDER BY ordinal_position");
  }

  private static List<String> rows(String sql) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", PostgresTarget.WRITER);
    properties.setProperty("password", PostgresTarget.WRITER_PASSWORD);
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + PostgresServer.HOST + ":"
            + PostgresServer.get().port() + "/" + DEFAULT_DATABASE, properties);
        Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.add(result.getString(1));
      }
    }
    return rows;
  }
}
