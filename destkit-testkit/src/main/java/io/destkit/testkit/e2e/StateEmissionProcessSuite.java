package io.destkit.testkit.e2e;

import static io.destkit.testkit.e2e.DatabaseReader.decimal;
import static io.destkit.testkit.e2e.DatabaseReader.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.typing.AirbyteType;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import org.junit.jupiter.api.Test;

/** STATE messages of two interleaved streams: order, record counts, and what a state waits for. */
public abstract class StateEmissionProcessSuite<C> extends ProcessSuite<C> {

  private Result writeTwoStreams(String messages) {
    // Streams without a namespace go to the config's schema, here "landing".
    return write("landing", fixture("two_streams_catalog.json"), fixture(messages));
  }

  @Test
  void streamStatesAreEchoedInArrivalOrderEachCountingTheRecordsOfItsOwnStreamSinceItsPreviousState() {
    Result result = writeTwoStreams("stream_states_interleaved.jsonl").assertSucceeded();

    result.assertStatesEchoedFrom(fixture("stream_states_interleaved.jsonl"));
    // orders o1,o2 | customers c1 | customers c2,c3 | orders o3 | orders (nothing new)
    assertThat(result.recordCounts()).containsExactly(2.0, 1.0, 2.0, 1.0, 0.0);
    assertThat(db().tables()).containsExactlyInAnyOrder("landing.orders", "crm.customers");
    assertThat(db().query("SELECT id, total FROM landing.orders ORDER BY id"))
        .containsExactly(
            row("id", "o1", "total", decimal("10")),
            row("id", "o2", "total", decimal("20.5")),
            row("id", "o3", "total", decimal("30")));
    assertThat(db().query("SELECT id, name FROM crm.customers ORDER BY id"))
        .containsExactly(row("id", "c1", "name", "Ann"), row("id", "c2", "name", "Bob"), row("id", "c3", "name", "Cy"));
  }

  @Test
  void globalStatesCountTheRecordsOfAllStreamsSinceThePreviousGlobalState() {
    Result result = writeTwoStreams("global_states_interleaved.jsonl").assertSucceeded();

    result.assertStatesEchoedFrom(fixture("global_states_interleaved.jsonl"));
    // o1,c1 | o2,o3,c2 | nothing new (c3 comes after the last state)
    assertThat(result.recordCounts()).containsExactly(2.0, 3.0, 0.0);
    assertThat(db().count("landing.orders")).isEqualTo(3);
    assertThat(db().count("crm.customers")).isEqualTo(3);
  }

  @Test
  void aGlobalStateIsNotEmittedWhileTheRecordsOfAnyStreamBeforeItAreNotCommitted() {
    // A table the customers' records cannot go into: its CHECK constraint rejects them.
    String text = target().dataType(AirbyteType.STRING);
    db().execute(
        "CREATE SCHEMA crm",
        "CREATE TABLE crm.customers (_airbyte_raw_id " + metaType(MetaColumns.RAW_ID) + " NOT NULL, "
            + "_airbyte_extracted_at " + metaType(MetaColumns.EXTRACTED_AT) + " NOT NULL, "
            + "_airbyte_meta " + metaType(MetaColumns.META) + " NOT NULL, "
            + "_airbyte_generation_id " + metaType(MetaColumns.GENERATION_ID) + ", id " + text + ", "
            + "name " + text + " CHECK (name NOT LIKE 'rejected%'))");

    Result result = writeTwoStreams("global_state_blocked.jsonl");

    String message = result.assertFailedWith("system_error");
    assertThat(message).contains("crm.customers");
    assertThat(result.states()).as("the GLOBAL state also covers the failed customers record").isEmpty();
    assertThat(db().count("crm.customers")).isZero();
  }

  private String metaType(String metaColumn) {
    return target().metaColumnDataType(metaColumn);
  }
}
