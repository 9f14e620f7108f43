package io.destkit.testkit.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.typing.AirbyteType;
import io.destkit.testkit.SqlTestTarget;
import java.nio.file.Path;

/**
 * What the end-to-end suites need from a destination beyond {@link SqlTestTarget}: a database of the
 * test's own (fixtures write fixed schema names such as {@code crm}), and how the database names the
 * column types it creates.
 *
 * @param <C> the destination's typed config
 */
public interface ProcessTarget<C> extends SqlTestTarget<C>, CrashTarget<C> {

  /**
   * A config for a database that belongs to the test of {@code directory} alone, so any schema name
   * is free; the same directory gives the same database. Streams without a namespace go to {@code
   * defaultSchema}.
   */
  @Override
  ObjectNode ownDatabaseConfig(Path directory, String defaultSchema);

  /** The database, read with plain SQL. */
  @Override
  default CrashTables openCrashTables(C config) throws Exception {
    return new SqlCrashTables(openDatabase(config));
  }

  /**
   * The type {@code information_schema.columns.data_type} shows for a column of this Airbyte type
   * (compared ignoring case), spelled so that it also works in {@code CREATE TABLE}.
   */
  String dataType(AirbyteType type);

  /** As {@link #dataType}, for a meta column ({@code _airbyte_raw_id}, ...). */
  String metaColumnDataType(String metaColumn);

  /**
   * Whether a {@code number} column holds any JSON number (PostgreSQL's {@code numeric}); when not,
   * a number beyond its range is nulled with {@code DESTINATION_FIELD_SIZE_LIMITATION}.
   */
  default boolean holdsNumbersOfAnySize() {
    return fixedNumberType().isEmpty();
  }

  /**
   * {@code config} changed so that connecting fails: nothing listens where it points (a server), or
   * the database cannot be opened there (a file). Files it needs go to {@code directory}.
   */
  ObjectNode unreachable(ObjectNode config, Path directory);

  /**
   * A value for the secret field at {@code path} (dot-separated, e.g. {@code ssl_mode.client_key})
   * that holds {@code token} and is otherwise what the field expects (e.g. {@code key=TOKEN} for a
   * list of parameters).
   */
  default String secretValue(String path, String token) {
    return token;
  }
}
