package io.destkit.iceberg;

import static io.destkit.iceberg.IcebergAppendTest.catalog;
import static io.destkit.iceberg.IcebergAppendTest.sorted;
import static io.destkit.iceberg.IcebergAppendTest.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncate refreshes (minimum generation id = generation id): readers see the old rows until the
 * stream's complete end, then the new generation alone, switched in one commit; an interrupted
 * refresh changes nothing readers see and its retry continues it.
 */
class IcebergRefreshTest {
  private static final StreamDescriptor USERS = new StreamDescriptor("shop", "Users");
  private static final long EMITTED_AT = 1_700_000_000_000L;

  @TempDir Path tempDir;

  private ConnectorRun run(IcebergFixture fixture, ObjectNode catalog, SyncInput input) {
    return ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog, input.text(), tempDir);
  }

  private ConnectorRun sync(IcebergFixture fixture, ObjectNode catalog, SyncInput input) {
    ConnectorRun run = run(fixture, catalog, input);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    return run;
  }

  /** The input ends without STREAM_STATUS COMPLETE, as when the source is cut off. */
  private ConnectorRun cutSync(IcebergFixture fixture, ObjectNode catalog, SyncInput input) {
    ConnectorRun run = run(fixture, catalog, input);
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isEqualTo(1);
    return run;
  }

  private static SyncInput users(long... ids) {
    SyncInput input = new SyncInput();
    for (long id : ids) {
      input.record(USERS, EMITTED_AT + id, user(id, "user " + id));
    }
    return input;
  }

  private static SyncInput state(SyncInput input, long position) {
    return input.state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", position));
  }

  /** Each row readers see as "id generation". */
  private static List<String> visible(IcebergFixture fixture) {
    return rows(fixture.rows("shop", "users"));
  }

  private static List<String> rows(List<Map<String, Object>> rows) {
    return sorted(rows).stream().map(row -> row.get("id") + " gen" + row.get("_airbyte_generation_id")).toList();
  }

  @Test
  void aTruncateRefreshReplacesTheRowsAtACompleteClose() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 41, 0), users(1, 2, 3).complete(USERS));

    ConnectorRun refresh = sync(fixture, catalog(2, 42, 42), state(users(4, 5), 5).complete(USERS));

    assertThat(IcebergFixture.recordCounts(refresh)).containsExactly(2L);
    assertThat(visible(fixture)).containsExactly("4 gen42", "5 gen42");
    Table table = fixture.table("shop", "users");
    assertThat(table.refs().keySet()).as("the refresh branch is gone").containsExactly("main");
  }

  @Test
  void anInterruptedRefreshLeavesTheOldRowsReadableAndItsRetryKeepsTheRowsOfBothAttempts() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 41, 0), users(1, 2).complete(USERS));

    ConnectorRun cut = cutSync(fixture, catalog(2, 43, 43), state(users(3, 4), 4));

    assertThat(IcebergFixture.recordCounts(cut)).as("the state covering 3 and 4 was emitted").containsExactly(2L);
    assertThat(visible(fixture)).as("readers still see the old generation").containsExactly("1 gen41", "2 gen41");
    Table table = fixture.table("shop", "users");
    assertThat(rows(IcebergFixture.rows(table, table.snapshot("destkit_refresh_43"))))
        .as("the refresh's branch").containsExactly("3 gen43", "4 gen43");

    sync(fixture, catalog(3, 43, 43), state(users(5), 5).complete(USERS));

    assertThat(visible(fixture)).containsExactly("3 gen43", "4 gen43", "5 gen43");
  }

  @Test
  void aRetryOfAnInterruptedRefreshHoldsTheRecordsNoStateCoveredOnce() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 41, 0), users(1, 2).complete(USERS));
    // 3 and 4 are covered by a state; 5 and 6 were committed to the branch but no state covers them.
    cutSync(fixture, catalog(2, 43, 43), state(users(3, 4), 4).record(USERS, EMITTED_AT, user(5, "user 5"))
        .record(USERS, EMITTED_AT, user(6, "user 6")));
    assertThat(visible(fixture)).containsExactly("1 gen41", "2 gen41");

    // The source resends what no state covered.
    sync(fixture, catalog(3, 43, 43), state(users(5, 6), 6).complete(USERS));

    assertThat(visible(fixture)).containsExactly("3 gen43", "4 gen43", "5 gen43", "6 gen43");
  }

  @Test
  void aNewerRefreshDiscardsTheRowsOfAnOlderInterruptedOne() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 41, 0), users(1).complete(USERS));
    cutSync(fixture, catalog(2, 42, 42), state(users(2), 2));

    sync(fixture, catalog(3, 43, 43), users(3).complete(USERS));

    assertThat(visible(fixture)).containsExactly("3 gen43");
    assertThat(fixture.table("shop", "users").refs().keySet()).containsExactly("main");
  }

  @Test
  void aRefreshWithoutRecordsEmptiesTheTable() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 41, 0), users(1, 2).complete(USERS));

    sync(fixture, catalog(2, 42, 42), new SyncInput().complete(USERS));

    assertThat(visible(fixture)).isEmpty();
  }

  @Test
  void aRefreshOfANewTableWritesStraightToMain() {
    IcebergFixture fixture = new IcebergFixture(tempDir);

    cutSync(fixture, catalog(1, 42, 42), state(users(1, 2), 2));

    assertThat(visible(fixture)).as("nothing older to protect").containsExactly("1 gen42", "2 gen42");
    assertThat(fixture.table("shop", "users").refs().keySet()).containsExactly("main");
  }

  @Test
  void anAppendAfterACancelledRefreshKeepsTheRowsTheRefreshCommitted() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 43, 0), users(1).complete(USERS));
    ConnectorRun cancelled = run(fixture, catalog(2, 44, 44), state(users(2, 3), 3).status("INCOMPLETE", USERS));
    assertThat(cancelled.messages(MessageType.STATE)).hasSize(1);
    assertThat(visible(fixture)).containsExactly("1 gen43");

    sync(fixture, catalog(3, 44, 0), users(4).complete(USERS));

    assertThat(visible(fixture)).containsExactly("1 gen43", "2 gen44", "3 gen44", "4 gen44");
    assertThat(fixture.table("shop", "users").refs().keySet()).containsExactly("main");
  }

  @Test
  void anAppendAfterAnUnfinishedRefreshHoldsOnceTheRecordsNoStateCovered() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    sync(fixture, catalog(1, 43, 0), users(1).complete(USERS));
    // 2 is covered by the state; 3 reached the refresh's branch without one.
    cutSync(fixture, catalog(2, 44, 44), state(users(2), 2).record(USERS, EMITTED_AT, user(3, "user 3")));

    sync(fixture, catalog(3, 44, 0), users(3).complete(USERS));

    assertThat(visible(fixture)).containsExactly("1 gen43", "2 gen44", "3 gen44");
  }
}
