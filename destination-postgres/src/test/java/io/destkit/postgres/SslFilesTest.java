package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslFilesTest {

  @Test
  void verifyFullWritesOwnerOnlyFilesForPgjdbcAndDeletesThemOnClose() throws Exception {
    SslMode mode = new SslMode.VerifyFull("CA-PEM", "CERT-PEM", "KEY-PEM", Optional.of("keypass"));
    Path key;
    try (SslFiles files = SslFiles.write(mode)) {
      assertThat(files.properties()).containsEntry("sslmode", "verify-full").containsEntry("sslpassword", "keypass");
      Path root = Path.of(files.properties().get("sslrootcert"));
      key = Path.of(files.properties().get("sslkey"));
      assertThat(Files.readString(root)).isEqualTo("CA-PEM\n");
      assertThat(Files.readString(Path.of(files.properties().get("sslcert")))).isEqualTo("CERT-PEM\n");
      assertThat(Files.readString(key)).isEqualTo("KEY-PEM\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
    }
    assertThat(key).doesNotExist();
    assertThat(key.getParent()).doesNotExist();
  }

  @Test
  void theModesWithoutCertificatesSetOnlyTheMode() {
    try (SslFiles files = SslFiles.write(new SslMode.Require())) {
      assertThat(files.properties()).containsExactlyEntriesOf(java.util.Map.of("sslmode", "require"));
    }
    try (SslFiles files = SslFiles.write(new SslMode.VerifyCa("CA", Optional.empty()))) {
      assertThat(files.properties()).containsOnlyKeys("sslmode", "sslrootcert");
    }
  }

  @Test
  void theFolderIsNamedAfterTheProcessAndOnlyItsUserMayReadTheFiles(@TempDir Path tempRoot) throws Exception {
    SslMode mode = new SslMode.VerifyFull("CA-PEM", "CERT-PEM", "KEY-PEM", Optional.empty());
    try (SslFiles files = SslFiles.write(mode, tempRoot)) {
      Path folder = Path.of(files.properties().get("sslkey")).getParent();
      assertThat(folder.getParent()).isEqualTo(tempRoot);
      assertThat(folder.getFileName().toString())
          .startsWith(SslFiles.FOLDER_PREFIX + ProcessHandle.current().pid() + "-");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
      for (String property : List.of("sslrootcert", "sslcert", "sslkey")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(files.properties().get(property)))))
            .as(property).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void theFolderOfAKilledRunIsDeletedByTheNextStartAndThatOfARunningProcessIsKept(@TempDir Path tempRoot)
      throws Exception {
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    Path stale = Files.createDirectory(tempRoot.resolve(SslFiles.FOLDER_PREFIX + finished.pid() + "-4711"));
    Files.writeString(stale.resolve("client.key"), "KEY OF A KILLED RUN");
    Path running = Files.createDirectory(tempRoot.resolve(SslFiles.FOLDER_PREFIX + ProcessHandle.current().pid() + "-1"));
    Path unrelated = Files.createDirectory(tempRoot.resolve(SslFiles.FOLDER_PREFIX + "notapid"));

    // Even a run that writes no certificate of its own.
    try (SslFiles files = SslFiles.write(new SslMode.Require(), tempRoot)) {
      assertThat(stale).doesNotExist();
      assertThat(running).isDirectory();
      assertThat(unrelated).isDirectory();
    }
  }
}
