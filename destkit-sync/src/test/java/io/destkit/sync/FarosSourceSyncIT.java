package io.destkit.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code destkit sync} with a source written on a third party's implementation of the protocol, the
 * {@code faros-airbyte-cdk} npm package, run with {@code node}: LEGACY states with extra fields, no
 * STREAM_STATUS, and a failed read that exits 0 and says so only in its states' {@code sourceStatus}.
 */
class FarosSourceSyncIT {
  private static final Path SYNC_JAR = Path.of(System.getProperty("destkit.jar", "target/destkit-sync.jar")).toAbsolutePath();
  private static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();

  @TempDir Path dir;

  record Run(int exitCode, String stderr) {}

  @BeforeAll
  static void installTheSource() throws Exception {
    // Not inherited: the test JVM's stdout is the build tool's channel.
    Path log = Files.createTempFile("npm-ci-", ".log");
    Process install = new ProcessBuilder("bash", NODE_DIR.resolve("install.sh").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(install.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(install.exitValue()).as("npm ci of the test source: %s", Files.readString(log)).isZero();
  }

  private Run sync(String sourceConfig) throws Exception {
    Path config = dir.resolve("source.json");
    Files.writeString(config, sourceConfig);
    Path destination = dir.resolve("destination.json");
    Files.writeString(destination, "{\"destination_path\": \"" + dir.resolve("faros.duckdb") + "\"}");
    List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-jar", SYNC_JAR.toString(), "sync",
        "--source", "node " + NODE_DIR.resolve("source-faros-test/main.js"), "--source-config", config.toString(),
        "--config", destination.toString(), "--progress-seconds", "0"));
    Path log = dir.resolve("stderr.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // With WORKER_JOB_ID set the CDK behaves as on the platform; a user's machine has none.
    builder.environment().remove("WORKER_JOB_ID");
    Process process = builder.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private long query(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("faros.duckdb"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static String summaryLine(Run run, String stream) {
    return run.stderr().lines().filter(line -> line.startsWith(stream + " ")).reduce((a, b) -> b).orElse("");
  }

  @Test
  void itsStreamsCompleteWithoutStatusesAndTheSecondRunReadsOnlyTheNewBuilds() throws Exception {
    Run first = sync("{\"user\": \"chris\", \"count\": 12}");
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(query("SELECT count(*) FROM main.builds")).isEqualTo(12);
    assertThat(query("SELECT count(*) FROM main.jobs")).isEqualTo(5);

    Run second = sync("{\"user\": \"chris\", \"count\": 15}");
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stderr()).contains("from its last state");
    assertThat(summaryLine(second, "builds")).matches("builds\\s+incremental/append_dedup\\s+3\\s+3\\s.*");
    assertThat(query("SELECT count(*) FROM main.builds")).isEqualTo(15);
    assertThat(query("SELECT count(DISTINCT uid) FROM main.builds")).isEqualTo(15);
    assertThat(query("SELECT count(*) FROM main.jobs")).isEqualTo(5);
  }

  @Test
  void aReadItReportsErroredFailsTheSyncAndTheNextRunResumes() throws Exception {
    Run failed = sync("{\"user\": \"chris\", \"count\": 25, \"fail_after\": 13}");
    assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(SourceFailure.EXIT_CODE);
    assertThat(failed.stderr()).contains("ERRORED").contains("fail_after=13");

    Run resumed = sync("{\"user\": \"chris\", \"count\": 25}");
    assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
    assertThat(resumed.stderr()).contains("resuming the unfinished previous run");
    // The failed read's last state covered build 13: only 14 to 25 are read again.
    assertThat(summaryLine(resumed, "builds")).matches("builds\\s+incremental/append_dedup\\s+12\\s+12\\s.*");
    assertThat(query("SELECT count(*) FROM main.builds")).isEqualTo(25);
    assertThat(query("SELECT count(DISTINCT uid) FROM main.builds")).isEqualTo(25);
  }
}
