package io.destkit.testkit.e2e;

import static io.destkit.testkit.e2e.ConnectorProcess.readJson;
import static io.destkit.testkit.e2e.ConnectorProcess.readJsonLines;
import static io.destkit.testkit.e2e.ConnectorProcess.vector;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The captured output of a real third-party source (Faros' example source): LEGACY states with
 * top-level fields the protocol does not define, a schemaless stream, and no STREAM_STATUS at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FarosSourceProcessSuite<C> extends ProcessSuite<C> {
  private static final String DIR = "real-sources/faros-example/";

  /** One run serves every test (they only read its output and its database), so they share a directory. */
  @TempDir static Path runDir;
  private Path messages;
  private Result result;

  @Override
  protected Path workDir() {
    return runDir;
  }

  @BeforeAll
  void runTheFullReadOutput() {
    messages = vector(DIR + "full_read_output.jsonl");
    result = write(vector(DIR + "full_configured_catalog.json"), messages);
  }

  private List<ObjectNode> input(String type) {
    return readJsonLines(messages).stream().filter(m -> type.equals(m.path("type").asText())).toList();
  }

  @Test
  void theInputEndingWithoutStreamStatusFailsWithAnErrorTraceNamingTheStream() {
    String message = result.assertFailedWith("system_error");
    assertThat(message).contains("builds").contains("STREAM_STATUS");
  }

  @Test
  void everyStateIsEchoedFaithfullyWithItsExtraTopLevelFieldsAndOnlyDestinationStatsAdded() {
    result.assertStatesEchoedFrom(messages);
    // The 5 records come between the second and the third state.
    assertThat(result.recordCounts()).containsExactly(0.0, 0.0, 5.0, 0.0, 0.0, 0.0);
  }

  @Test
  void theFiveRecordsOfTheSchemalessStreamAreKeptWholeInTheDataColumn() {
    assertThat(db().columns(MAIN, "builds").keySet())
        .containsExactly(
            MetaColumns.RAW_ID, MetaColumns.EXTRACTED_AT, MetaColumns.META, MetaColumns.GENERATION_ID, "_airbyte_data");
    List<ObjectNode> records = input("RECORD");
    assertThat(records).hasSize(5);
    List<Map<String, Object>> rows =
        db().query("SELECT _airbyte_data, _airbyte_extracted_at, _airbyte_meta, _airbyte_generation_id FROM main.builds "
            + "ORDER BY _airbyte_data->>'uid'");
    assertThat(rows).hasSize(5);
    for (int i = 0; i < rows.size(); i++) {
      JsonNode record = records.get(i).path("record");
      assertThat(rows.get(i))
          .as("row %d", i)
          .containsEntry("_airbyte_data", record.path("data"))
          .containsEntry("_airbyte_extracted_at", Instant.ofEpochMilli(record.path("emitted_at").asLong()))
          // The catalog predates generations and sync ids: both default to 0.
          .containsEntry("_airbyte_meta", readJson("{\"sync_id\":0,\"changes\":[]}"))
          .containsEntry("_airbyte_generation_id", 0L);
    }
  }
}
