package io.destkit.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code destkit sync} as a user runs it: the packaged command, the example source's jar as the
 * source command, a DuckDB file as the destination; every run after the first is the steady state
 * (incremental, a failed run and its resumption, a refresh).
 */
class SyncCommandIT {
  private static final Path ROOT = Path.of(System.getProperty("destkit.root", "..")).toAbsolutePath().normalize();
  private static final Path SYNC_JAR = Path.of(System.getProperty("destkit.jar", "target/destkit-sync.jar")).toAbsolutePath();
  private static final Path SOURCE_JAR = ROOT.resolve("source-example/target/source-example.jar");

  @TempDir Path dir;

  record Run(int exitCode, String stderr) {}

  private Run sync(String sourceConfig, String... extra) throws Exception {
    Path config = dir.resolve("source-" + Math.abs(sourceConfig.hashCode()) + ".json");
    Files.writeString(config, sourceConfig);
    Path destination = dir.resolve("destination.json");
    Files.writeString(destination, "{\"destination_path\": \"" + dir.resolve("sync.duckdb") + "\"}");
    List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-jar", SYNC_JAR.toString(), "sync",
        "--source", "java -Xmx256m -jar " + SOURCE_JAR, "--source-config", config.toString(),
        "--destination", "duckdb", "--config", destination.toString(), "--progress-seconds", "0"));
    command.addAll(List.of(extra));
    Path log = dir.resolve("stderr.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the sync ends").isTrue();
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private long query(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("sync.duckdb"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static String readLine(Run run, String stream) {
    return run.stderr().lines().filter(line -> line.startsWith(stream + " ")).reduce((a, b) -> b).orElse("");
  }

  @Test
  void aSecondRunReadsOnlyWhatIsNewAndDedupeStreamsMerge() throws Exception {
    Run first = sync("{\"seed\": 7, \"count\": 1000}");
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(query("SELECT count(*) FROM main.users")).isEqualTo(1000);
    assertThat(query("SELECT count(*) FROM main.purchases")).isEqualTo(3000);
    assertThat(query("SELECT count(*) FROM main.products")).isEqualTo(50);

    Run second = sync("{\"seed\": 7, \"count\": 1500}");
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stderr()).contains("Sync 2");
    // 500 new users and the 100 earlier users whose id is a multiple of 10, updated once more.
    assertThat(readLine(second, "users")).contains("600");
    assertThat(readLine(second, "purchases")).contains("1,500");
    assertThat(query("SELECT count(*) FROM main.users")).isEqualTo(1500);
    assertThat(query("SELECT count(DISTINCT id) FROM main.users")).isEqualTo(1500);
    assertThat(query("SELECT max(version) FROM main.users WHERE id = 10")).isEqualTo(2);
    assertThat(query("SELECT count(*) FROM main.purchases")).isEqualTo(4500);
    assertThat(query("SELECT count(DISTINCT id) FROM main.purchases")).isEqualTo(4500);
    assertThat(query("SELECT count(*) FROM main.products")).isEqualTo(50);

    Run third = sync("{\"seed\": 7, \"count\": 1500}");
    assertThat(third.exitCode()).as(third.stderr()).isZero();
    assertThat(readLine(third, "users")).matches(".*\\s0\\s+0\\s+0\\s+0\\.0$");
    assertThat(query("SELECT count(*) FROM main.users")).isEqualTo(1500);
    assertThat(query("SELECT count(*) FROM main.products")).isEqualTo(50);
  }

  @Test
  void aRunAfterAFailedOneResumesWithNothingLostOrDoubled() throws Exception {
    Run failed = sync("{\"seed\": 3, \"count\": 2000, \"records_per_state\": 300, \"fail_after_records\": 3500}");
    assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(SourceFailure.EXIT_CODE);
    assertThat(failed.stderr()).contains("the source failed (system_error)").contains("fail_after_records");
    // Users completed; purchases failed at its 1,501st record, after its state of record 1,500. A
    // deduplicated stream's rows reach its table when the stream completes: none yet.
    assertThat(query("SELECT count(*) FROM main.users")).isEqualTo(2000);
    assertThat(query("SELECT count(*) FROM main.purchases")).isZero();

    Run resumed = sync("{\"seed\": 3, \"count\": 2000, \"records_per_state\": 300}");
    assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
    assertThat(resumed.stderr()).contains("resuming the unfinished previous run").contains("Sync 1");
    assertThat(query("SELECT count(*) FROM main.users")).isEqualTo(2000);
    assertThat(query("SELECT count(*) FROM main.purchases")).isEqualTo(6000);
    assertThat(query("SELECT count(DISTINCT id) FROM main.purchases")).isEqualTo(6000);
    assertThat(query("SELECT count(*) FROM main.products")).isEqualTo(50);
    // Only what the failed run had not committed was read again: purchases 1,501 to 6,000.
    assertThat(readLine(resumed, "purchases")).contains(" 4,500 ");
  }

  @Test
  void aFullRefreshReadsEverythingAgainIntoANewGeneration() throws Exception {
    assertThat(sync("{\"seed\": 5, \"count\": 500}").exitCode()).isZero();
    Run refresh = sync("{\"seed\": 5, \"count\": 500}", "--full-refresh", "--streams", "users,products");
    assertThat(refresh.exitCode()).as(refresh.stderr()).isZero();
    assertThat(readLine(refresh, "users")).contains("500");
    assertThat(query("SELECT count(*) FROM main.users")).isEqualTo(500);
    assertThat(query("SELECT count(DISTINCT _airbyte_generation_id) FROM main.users")).isEqualTo(1);
    assertThat(query("SELECT max(_airbyte_generation_id) FROM main.users")).isEqualTo(1);
    assertThat(query("SELECT count(*) FROM main.purchases")).isEqualTo(1500);
  }

  @Test
  void aBadSourceConfigFailsBeforeAnythingIsWritten() throws Exception {
    Run run = sync("{\"count\": -5}");
    assertThat(run.exitCode()).isEqualTo(SourceFailure.EXIT_CODE);
    assertThat(run.stderr()).contains("count");
    assertThat(Files.exists(dir.resolve("sync.duckdb"))).isFalse();
  }

  @Test
  void anUnknownStreamIsNamedWithTheSourcesStreams() throws Exception {
    Run run = sync("{\"count\": 5}", "--streams", "customers");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("no stream 'customers'").contains("users, purchases, products");
  }
}
