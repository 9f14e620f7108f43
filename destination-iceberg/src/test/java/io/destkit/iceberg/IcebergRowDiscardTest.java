package io.destkit.iceberg;

import static io.destkit.iceberg.IcebergAppendTest.catalog;
import static io.destkit.iceberg.IcebergAppendTest.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RawId;
import io.destkit.core.write.RawIdRange;
import io.destkit.core.write.WriteContext;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TableRow;
import io.destkit.testkit.TestCatalogs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The removal after an interrupted attempt on Iceberg with ranges kept above the mark (several
 * sockets): on the main branch and on an interrupted refresh's branch (the Iceberg form of a temp
 * table), rows above the mark are removed but for those in kept ranges and those whose raw ids are
 * not of version 7. Each branch gets three files: one of kept rows only, one of removed rows only,
 * and one of both.
 */
class IcebergRowDiscardTest {
  private static final StreamDescriptor USERS = new StreamDescriptor("shop", "Users");
  private static final long EMITTED_AT = 1_700_000_000_000L;
  private static final long MILLIS = System.currentTimeMillis() + 3_600_000L;
  /** Above every raw id the syncs of the test write. */
  private static final RawId MARK = new RawId(RawId.firstOf(MILLIS).high() | 0x010, 0x8000000000000000L);
  private static final RawIdRange B = RawIdRange.block(RawId.firstOf(MILLIS + 1).high() | 0x9ff);
  private static final RawIdRange A = RawIdRange.block(RawId.firstOf(MILLIS + 1).high() | 0xa00);
  private static final RawIdRange C = RawIdRange.block(RawId.firstOf(MILLIS + 2).high());

  @TempDir Path tempDir;

  private ConnectorRun run(IcebergFixture fixture, ObjectNode catalog, SyncInput input) {
    return ConnectorRun.write(new IcebergDestination(), fixture.config(), catalog, input.text(), tempDir);
  }

  private static SyncInput users(long... ids) {
    SyncInput input = new SyncInput();
    for (long id : ids) {
      input.record(USERS, EMITTED_AT + id, user(id, "user " + id));
    }
    return input;
  }

  private static TableRow row(RawId rawId, long id) {
    return new TableRow(new UUID(rawId.high(), rawId.low()), Instant.parse("2024-07-01T00:00:00Z"),
        MessageCodec.MAPPER.createObjectNode().put("sync_id", 1),
        OptionalLong.of(42), Map.of("id", String.valueOf(id)));
  }

  /**
   * Table shop.users with row 1 on main (a complete sync) and rows 2, 3 on the branch of an
   * interrupted refresh; then on each branch the three files of the fixture. Returns the branch.
   */
  private static String tableWithFiles(IcebergFixture fixture, IcebergRowDiscardTest test) throws Exception {
    assertThat(test.run(fixture, catalog(1, 41, 0), users(1).complete(USERS)).exitCode()).isZero();
    SyncInput refresh = users(2).state(USERS, MessageCodec.MAPPER.createObjectNode().put("position", 2));
    refresh.record(USERS, EMITTED_AT + 3, user(3, "user 3"));
    assertThat(test.run(fixture, catalog(2, 42, 42), refresh).exitCode()).isEqualTo(1);
    try (JdbcCatalog catalog = fixture.openCatalog()) {
      Table table = catalog.loadTable(TableIdentifier.of(Namespace.of("shop"), "users"));
      List<String> branches = new ArrayList<>(table.refs().keySet());
      branches.remove(SnapshotRef.MAIN_BRANCH);
      assertThat(branches).as("the interrupted refresh's branch").hasSize(1);
      for (String branch : List.of(SnapshotRef.MAIN_BRANCH, branches.get(0))) {
        IcebergTables.appendByHand(table, branch, List.of(row(A.first(), 101), row(A.last(), 102)));
        IcebergTables.appendByHand(table, branch, List.of(row(B.last(), 103), row(C.first(), 104)));
        IcebergTables.appendByHand(table, branch, List.of(
            row(new RawId(A.first().high(), 0x9999999999999999L), 105), row(C.last(), 106),
            row(RawId.parse("ffffffff-ffff-4fff-bfff-ffffffffffff"), 107)));
      }
      return branches.get(0);
    }
  }

  private static long discardAfter(IcebergFixture fixture, RawId mark, List<RawIdRange> kept) throws Exception {
    IcebergDestination destination = new IcebergDestination();
    IcebergConfig config = destination.bindConfig(fixture.config());
    TableCatalog tables = destination.tableCatalog(config, TestCatalogs.destinationCatalog(catalog(3, 42, 42)));
    try (DestinationWriter writer = destination.createWriter(config, tables, WriteContext.of(PipelineSettings.defaults()))) {
      writer.setup();
      return writer.createStreamLoader(tables.get(0)).discardAfter(mark, kept);
    }
  }

  private static List<Long> ids(IcebergFixture fixture, String branch) {
    Table table = fixture.table("shop", "users");
    return IcebergFixture.rows(table, table.snapshot(table.refs().get(branch).snapshotId())).stream()
        .map(row -> (Long) row.get("id"))
        .sorted()
        .toList();
  }

  @Test
  void theRowsOfAKeptRangeStayOnMainAndOnTheRefreshBranchAndTheUncoveredOnesGo() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    String branch = tableWithFiles(fixture, this);

    long removed = discardAfter(fixture, MARK, List.of(A));

    assertThat(removed).as("103, 104 and 106 on each branch").isEqualTo(6);
    assertThat(ids(fixture, SnapshotRef.MAIN_BRANCH)).containsExactly(1L, 101L, 102L, 105L, 107L);
    assertThat(ids(fixture, branch)).containsExactly(2L, 3L, 101L, 102L, 105L, 107L);
  }

  @Test
  void withNoKeptRangeEveryVersion7RowAboveTheMarkGoesAsBefore() throws Exception {
    IcebergFixture fixture = new IcebergFixture(tempDir);
    String branch = tableWithFiles(fixture, this);

    long removed = discardAfter(fixture, MARK, List.of());

    assertThat(removed).isEqualTo(12);
    assertThat(ids(fixture, SnapshotRef.MAIN_BRANCH)).containsExactly(1L, 107L);
    assertThat(ids(fixture, branch)).containsExactly(2L, 3L, 107L);
  }
}
