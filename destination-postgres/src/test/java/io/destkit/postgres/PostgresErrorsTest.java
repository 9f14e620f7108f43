package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.write.PipelineSettings;
import io.destkit.protocol.MessageCodec;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.sql.SQLTransientConnectionException;

/**
 * The server's refusals as pgjdbc reports them (message and SQL state), wherever they are in the
 * failure: each the user fixes is a config error with the SQL state and the statement that fixes it.
 */
class PostgresErrorsTest {
  private final PostgresErrors errors = new PostgresErrors(PostgresConfig.from(MessageCodec.MAPPER.createObjectNode()
      .put("host", "db.example").put("database", "analytics").put("username", "loader")));

  private Optional<ConfigErrorException> classify(String message, String state) {
    SQLException server = new SQLException("ERROR: " + message + "\n  Where: somewhere", state);
    // As the kit's table operations attach the statement, and the pipeline wraps a flush failure.
    SQLException withStatement = new SQLException(server.getMessage() + " [SQL: ALTER TABLE ...]", state, server);
    return errors.configError(new RuntimeException("Writing 3 records of stream 'users' failed", withStatement));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "must be owner of table users|42501|ALTER TABLE \"users\" OWNER TO \"loader\"",
      "must be owner of relation users|42501|ALTER TABLE \"users\" OWNER TO \"loader\"",
      "must be owner of schema crm|42501|ALTER SCHEMA \"crm\" OWNER TO \"loader\"",
      "permission denied for table users|42501|GRANT SELECT, INSERT, UPDATE, DELETE ON \"users\" TO \"loader\"",
      "permission denied for sequence users_id_seq|42501|GRANT USAGE, SELECT ON SEQUENCE \"users_id_seq\" TO \"loader\"",
      "permission denied for schema crm|42501|GRANT USAGE, CREATE ON SCHEMA \"crm\" TO \"loader\"",
      "permission denied for database analytics|42501|GRANT CREATE ON DATABASE \"analytics\" TO \"loader\"",
      "cannot execute CREATE TABLE in a read-only transaction|25006|Set 'host' to the primary server",
      "password authentication failed for user \"loader\"|28P01|Check the fields 'username' and 'password'",
      "database \"analytics\" does not exist|3D000|Check the field 'database'"})
  void aRefusalTheUserFixesIsAConfigErrorWithItsSqlStateAndTheFix(String message, String state, String fix) {
    Optional<ConfigErrorException> error = classify(message, state);

    assertThat(error).isPresent();
    assertThat(error.get().getMessage()).contains("(SQL state " + state + ")").contains(fix).doesNotContain("[SQL:");
  }

  @Test
  void anErrorTheUserCannotFixIsNotAConfigError() {
    assertThat(classify("could not extend file: No space left on device", "53100")).isEmpty();
    assertThat(classify("deadlock detected", "40P01")).isEmpty();
    assertThat(errors.configError(new IllegalStateException("a bug"))).isEmpty();
  }

  @Test
  void theServersErrorBehindABatchFailureIsFound() {
    SQLException batch = new SQLException("Batch entry 0 was aborted", "42501");
    batch.setNextException(new SQLException("ERROR: must be owner of table users", "42501"));

    assertThat(errors.configError(batch)).get().extracting(Throwable::getMessage).asString()
        .contains("ALTER TABLE \"users\" OWNER TO \"loader\"");
  }

  @Test
  void thePoolSizeFollowsTheFlushThreads() {
    assertThat(PostgresDestination.poolSize(PipelineSettings.defaults().withFlushThreads(1))).isEqualTo(3);
    assertThat(PostgresDestination.poolSize(PipelineSettings.defaults().withFlushThreads(12))).isEqualTo(25);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "An I/O error occurred while sending to the backend.|08006",
      "This connection has been closed.|08003",
      "Connection to localhost:5432 refused.|08001",
      "FATAL: terminating connection due to administrator command|57P01",
      "FATAL: terminating connection due to crash of another server process|57P02",
      "FATAL: the database system is starting up|57P03",
      "ERROR: could not serialize access due to concurrent update|40001",
      "ERROR: deadlock detected|40P01",
      "FATAL: sorry, too many clients already|53300"})
  void aLostConnectionARestartAConflictOrTooManyClientsIsTransient(String message, String state) {
    SQLException server = new SQLException(message, state);

    assertThat(errors.isTransient(server)).isTrue();
    assertThat(errors.isTransient(new RuntimeException("Writing 3 records of stream 'users' failed",
        new SQLException(message + " [SQL: COPY ...]", state, server)))).isTrue();
  }

  @Test
  void aPoolThatTimedOutWaitingForAConnectionIsTransient() {
    assertThat(errors.isTransient(new SQLTransientConnectionException(
        "destination-postgres - Connection is not available, request timed out after 30000ms."))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ERROR: permission denied for table users|42501",
      "ERROR: column \"id\" is of type bigint but expression is of type text|42804",
      "ERROR: relation \"users\" does not exist|42P01",
      "ERROR: canceling statement due to statement timeout|57014",
      "ERROR: could not extend file: No space left on device|53100",
      "ERROR: invalid input syntax for type bigint|22P02"})
  void anErrorThatWouldFailAgainIsNotTransient(String message, String state) {
    assertThat(errors.isTransient(new SQLException(message, state))).isFalse();
  }

  @Test
  void aFailureTheUserFixesIsNotTransientThoughItCameWithALostConnection() {
    SQLException reconnect = new SQLTransientConnectionException("Connection is not available");
    reconnect.initCause(new SQLException("FATAL: password authentication failed for user \"loader\"", "28P01"));

    assertThat(errors.isTransient(reconnect)).isFalse();
    assertThat(errors.isTransient(new IllegalStateException("a bug"))).isFalse();
  }
}
