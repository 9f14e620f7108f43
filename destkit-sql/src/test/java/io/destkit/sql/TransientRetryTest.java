package io.destkit.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.destkit.core.operation.ErrorClassifier;
import io.destkit.core.write.RetrySettings;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which failures are retried, how often, and what is thrown in the end. */
class TransientRetryTest {
  /** Calls SQL state 08006 (a lost connection) transient, as a database's classifier would. */
  private static final ErrorClassifier LOST_CONNECTION_IS_TRANSIENT = new ErrorClassifier() {
    @Override
    public Optional<io.destkit.core.ConfigErrorException> configError(Throwable failure) {
      return Optional.empty();
    }

    @Override
    public boolean isTransient(Throwable failure) {
      return SqlFailures.of(failure).stream().anyMatch(sql -> "08006".equals(sql.getSQLState()));
    }
  };

  private final TransientRetry retry = new TransientRetry(
      LOST_CONNECTION_IS_TRANSIENT, new RetrySettings(4, Duration.ofMillis(10), Duration.ofMillis(40)));
  private final List<Integer> attempts = new ArrayList<>();

  @Test
  void aTransientFailureIsRetriedUntilAnAttemptSucceedsAndEachAttemptKnowsItsNumber() throws SQLException {
    String result = retry.run("Loading 3 records of stream 'users'", attempt -> {
      attempts.add(attempt);
      if (attempt < 3) {
        throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
      }
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertThat(attempts).containsExactly(1, 2, 3);
  }

  @Test
  void aFailureThatIsNotTransientFailsAtOnceUnchanged() {
    SQLException clash = new SQLException("ERROR: column \"id\" is of type bigint but expression is of type text", "42804");

    assertThatThrownBy(() -> retry.run("Loading", attempt -> {
      attempts.add(attempt);
      throw clash;
    })).isSameAs(clash);
    assertThat(attempts).containsExactly(1);
  }

  @Test
  void aFailureWrappingATransientErrorIsRetriedToo() throws SQLException {
    retry.run("Loading", attempt -> {
      attempts.add(attempt);
      if (attempt == 1) {
        SQLException outer = new SQLException("Batch entry 0 was aborted", (String) null);
        outer.setNextException(new SQLException("FATAL: terminating connection due to administrator command", "08006"));
        throw new SQLException("COPY failed [SQL: COPY ...]", null, 0, outer);
      }
      return null;
    });

    assertThat(attempts).containsExactly(1, 2);
  }

  @Test
  void whenEveryAttemptFailsTransientlyTheLastFailureIsThrownSayingHowManyAttemptsThereWere() {
    List<SQLException> failures = new ArrayList<>();

    assertThatThrownBy(() -> retry.run("Loading", attempt -> {
      SQLException failure = new SQLException("Connection refused (attempt " + attempt + ")", "08001");
      failures.add(failure);
      throw new SQLException("lost", "08006", failure);
    }))
        .isInstanceOf(SQLException.class)
        .hasMessage("lost (gave up after 4 attempts)")
        .hasRootCauseMessage("Connection refused (attempt 4)")
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
    assertThat(failures).hasSize(4);
  }

  @Test
  void aFlushTimeoutIsAlwaysRetriedWhateverTheDestinationSays() {
    TransientRetry knowsNothing =
        new TransientRetry(ErrorClassifier.NONE, new RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(10)));

    assertThatThrownBy(() -> knowsNothing.run("Loading", attempt -> {
      attempts.add(attempt);
      throw new FlushTimeoutException("made no progress for 1 s", new SQLException("canceled", "57014"));
    })).hasMessageContaining("made no progress for 1 s (gave up after 3 attempts)");
    assertThat(attempts).containsExactly(1, 2, 3);
  }

  @Test
  void noneRetriesNothing() {
    assertThatThrownBy(() -> TransientRetry.NONE.run("Loading", attempt -> {
      attempts.add(attempt);
      throw new FlushTimeoutException("made no progress", null);
    })).isInstanceOf(FlushTimeoutException.class);
    assertThat(attempts).containsExactly(1);
  }

  @Test
  void theReasonLoggedIsTheFirstLineAndTheFirstSqlStateOfTheFailure() {
    SQLException server = new SQLException("FATAL: terminating connection due to administrator command\n  detail", "57P01");
    assertThat(TransientRetry.reason(new RuntimeException("Writing 3 records failed", server)))
        .isEqualTo("Writing 3 records failed: FATAL: terminating connection due to administrator command (SQL state 57P01)");
    assertThat(TransientRetry.reason(server))
        .isEqualTo("FATAL: terminating connection due to administrator command (SQL state 57P01)");
  }
}
