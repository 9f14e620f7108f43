package io.destkit.duckdb.e2e;

import static io.destkit.duckdb.e2e.ConnectorProcess.count;
import static io.destkit.duckdb.e2e.ConnectorProcess.execute;
import static io.destkit.duckdb.e2e.ConnectorProcess.fixture;
import static io.destkit.duckdb.e2e.ConnectorProcess.query;
import static io.destkit.duckdb.e2e.ConnectorProcess.row;
import static io.destkit.duckdb.e2e.ConnectorProcess.tables;
import static io.destkit.duckdb.e2e.ConnectorProcess.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.duckdb.e2e.ConnectorProcess.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STATE messages of two interleaved streams: order, record counts, and what a state waits for. */
class StateEmissionIT {
  @TempDir Path dir;

  private Path db() {
    return dir.resolve("dest.duckdb");
  }

  private Result writeTwoStreams(String messages) {
    // Streams without a namespace go to the config's schema, here "landing".
    return write(dir, db(), "landing", fixture("two_streams_catalog.json"), fixture(messages));
  }

  @Test
  void streamStatesAreEchoedInArrivalOrderEachCountingTheRecordsOfItsOwnStreamSinceItsPreviousState() {
    Result result = writeTwoStreams("stream_states_interleaved.jsonl").assertSucceeded();

    result.assertStatesEchoedFrom(fixture("stream_states_interleaved.jsonl"));
    // orders o1,o2 | customers c1 | customers c2,c3 | orders o3 | orders (nothing new)
    assertThat(result.recordCounts()).containsExactly(2.0, 1.0, 2.0, 1.0, 0.0);
    assertThat(tables(db())).containsExactlyInAnyOrder("landing.orders", "crm.customers");
    assertThat(query(db(), "SELECT id, total FROM landing.orders ORDER BY id"))
        .containsExactly(
            row("id", "o1", "total", ConnectorProcess.decimal("10")),
            row("id", "o2", "total", ConnectorProcess.decimal("20.5")),
            row("id", "o3", "total", ConnectorProcess.decimal("30")));
    assertThat(query(db(), "SELECT id, name FROM crm.customers ORDER BY id"))
        .containsExactly(row("id", "c1", "name", "Ann"), row("id", "c2", "name", "Bob"), row("id", "c3", "name", "Cy"));
  }

  @Test
  void globalStatesCountTheRecordsOfAllStreamsSinceThePreviousGlobalState() {
    Result result = writeTwoStreams("global_states_interleaved.jsonl").assertSucceeded();

    result.assertStatesEchoedFrom(fixture("global_states_interleaved.jsonl"));
    // o1,c1 | o2,o3,c2 | nothing new (c3 comes after the last state)
    assertThat(result.recordCounts()).containsExactly(2.0, 3.0, 0.0);
    assertThat(count(db(), "landing.orders")).isEqualTo(3);
    assertThat(count(db(), "crm.customers")).isEqualTo(3);
  }

  @Test
  void aGlobalStateIsNotEmittedWhileTheRecordsOfAnyStreamBeforeItAreNotCommitted() {
    // A table the customers' records cannot go into: its CHECK constraint rejects them.
    execute(
        db(),
        "CREATE SCHEMA crm",
        "CREATE TABLE crm.customers (_airbyte_raw_id UUID NOT NULL, _airbyte_extracted_at TIMESTAMPTZ NOT NULL, "
            + "_airbyte_meta JSON NOT NULL, _airbyte_generation_id BIGINT, id VARCHAR, "
            + "name VARCHAR CHECK (name NOT LIKE 'rejected%'))");

    Result result = writeTwoStreams("global_state_blocked.jsonl");

    String message = result.assertFailedWith("system_error");
    assertThat(message).contains("crm.customers");
    assertThat(result.states()).as("the GLOBAL state also covers the failed customers record").isEmpty();
    assertThat(count(db(), "crm.customers")).isZero();
  }
}
