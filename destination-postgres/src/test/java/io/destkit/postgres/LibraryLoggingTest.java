package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's slf4j binding (slf4j-simple, as the packaged jar has it) prints HikariCP's
 * warnings to the stderr of the moment, the one the runner scrubs; chatter below WARN is dropped.
 */
class LibraryLoggingTest {
  @Test
  void hikariWarningsReachTheCurrentStderrAndItsInfoDoesNot() {
    Logger hikari = LoggerFactory.getLogger(HikariDataSource.class);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      hikari.info("destination-postgres - Starting...");
      hikari.warn("destination-postgres - Connection is not available");
    } finally {
      System.setErr(original);
    }
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).startsWith("org.slf4j.simple.");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("WARN com.zaxxer.hikari.HikariDataSource - destination-postgres - Connection is not available")
        .doesNotContain("Starting...");
  }
}
