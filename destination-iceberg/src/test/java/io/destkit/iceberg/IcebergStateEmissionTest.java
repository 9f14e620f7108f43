package io.destkit.iceberg;

import static io.destkit.iceberg.IcebergAppendTest.catalog;
import static io.destkit.iceberg.IcebergAppendTest.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.write.PipelineSettings;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A STATE is printed only once the records before it are committed: at the moment each STATE line
 * reaches stdout, a reader of the table (a catalog of its own) already sees every record sent
 * before that STATE. A later attempt after an unfinished one holds the records no STATE covered once.
 */
class IcebergStateEmissionTest {
  private static final StreamDescriptor USERS = new StreamDescriptor("shop", "Users");

  @TempDir Path tempDir;

  /** Records, for each STATE line written, the ids readers of the table saw at that moment. */
  private static final class StateWatcher extends OutputStream {
    private final IcebergFixture fixture;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    final List<String> states = new ArrayList<>();
    final List<Set<Long>> visibleAtState = new ArrayList<>();

    StateWatcher(IcebergFixture fixture) {
      this.fixture = fixture;
    }

    @Override
    public synchronized void write(int b) {
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.contains("\"type\":\"STATE\"")) {
        states.add(text);
        Set<Long> ids = new TreeSet<>();
        fixture.rows("shop", "users").forEach(row -> ids.add((Long) row.get("id")));
        visibleAtState.add(ids);
      }
    }
  }

  @Test
  void eachStateIsPrintedOnlyAfterTheRecordsBeforeItAreCommitted() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    SyncInput input = new SyncInput();
    for (long id = 1; id <= 5; id++) {
      input.record(USERS, 1_700_000_000_000L, user(id, "user " + id));
      input.state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", id));
    }
    input.complete(USERS);
    Path config = Files.writeString(tempDir.resolve("config.json"), MessageCodec.encode(fixture.config()));
    Path catalog = Files.writeString(tempDir.resolve("catalog.json"), MessageCodec.encode(catalog(1, 1, 0)));
    StateWatcher watcher = new StateWatcher(fixture);
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    int exit;
    try (PrintStream out = new PrintStream(watcher, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
      exit = new DestinationRunner<>(new IcebergDestination(),
          new ByteArrayInputStream(input.text().getBytes(StandardCharsets.UTF_8)), out, err,
          PipelineSettings.defaults().withBatchRecords(2))
          .run(new String[] {"--write", "--config", config.toString(), "--catalog", catalog.toString()});
    }

    assertThat(exit).as("stderr: %s", stderr.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(watcher.states).hasSize(5);
    for (int i = 0; i < watcher.visibleAtState.size(); i++) {
      assertThat(watcher.visibleAtState.get(i)).as("ids readers saw when STATE %d was printed", i + 1)
          .containsAll(ids(1, i + 1));
    }
  }

  @Test
  void aSyncAfterAnUnfinishedAttemptHoldsTheRecordsNoStateCoveredOnce() {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    // 1 and 2 are covered by the state; 3 and 4 are committed but no state covers them.
    SyncInput cut = new SyncInput()
        .record(USERS, 1_700_000_000_000L, user(1, "a"))
        .record(USERS, 1_700_000_000_000L, user(2, "b"))
        .state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", 2))
        .record(USERS, 1_700_000_000_000L, user(3, "c"))
        .record(USERS, 1_700_000_000_000L, user(4, "d"));
    ConnectorRun first = ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog(1, 1, 0), cut.text(), tempDir);
    assertThat(first.exitCode()).isEqualTo(1);
    assertThat(ids(fixture)).containsExactly(1L, 2L, 3L, 4L);

    SyncInput resent = new SyncInput()
        .record(USERS, 1_700_000_000_000L, user(3, "c"))
        .record(USERS, 1_700_000_000_000L, user(4, "d"))
        .complete(USERS);
    ConnectorRun second = ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog(1, 1, 0), resent.text(), tempDir);

    assertThat(second.exitCode()).as("stderr: %s", second.stderr()).isZero();
    assertThat(ids(fixture)).containsExactly(1L, 2L, 3L, 4L);
  }

  private static List<Long> ids(IcebergFixture fixture) {
    return fixture.rows("shop", "users").stream().map(row -> (Long) row.get("id")).sorted().toList();
  }

  private static List<Long> ids(long from, long to) {
    List<Long> ids = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      ids.add(id);
    }
    return ids;
  }
}
