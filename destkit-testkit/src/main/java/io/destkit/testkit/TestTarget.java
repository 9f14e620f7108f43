package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.TableName;
import io.destkit.core.operation.Destination;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the suites need from a destination, given once per destination and shared by all its suite
 * classes. The behaviour suites read the tables through a {@link TableReader}; a destination in a
 * SQL database is a {@link SqlTestTarget}, which the SQL suites need.
 *
 * @param <C> the destination's typed config
 */
public interface TestTarget<C> {
  Destination<C> destination();

  /**
   * A config that passes {@code --check} and writes to a database (or schema) of its own under
   * {@code directory}, empty at first: suites do not clean up after themselves.
   */
  JsonNode validConfig(Path directory);

  /** Opens the tables the config points at, for suites that read them; the suite closes the reader. */
  TableReader openTables(C config) throws Exception;

  /**
   * Appends one row to the table by hand, as another tool writes it (not through the destination):
   * its raw id, extracted at, meta and generation id, and each user column's value as text in the
   * forms {@link TableReader} reads (only integers and strings are asked for).
   */
  void appendByHand(C config, TableName table, TableRow row) throws Exception;

  /**
   * Why the destination does not behave as a suite case expects, or empty when it does (the
   * default). A case that needs a behaviour the target lacks is skipped with this reason.
   */
  default Optional<String> lacks(Behavior behavior) {
    return Optional.empty();
  }

  /**
   * The config with CDC deletes kept as tombstone rows rather than removing the key. The default
   * sets {@code cdc_deletion_mode: "Soft delete"}, the option as Airbyte's destinations name it.
   */
  default JsonNode softDeleteConfig(JsonNode config) {
    return ((ObjectNode) config.deepCopy()).put("cdc_deletion_mode", "Soft delete");
  }

  /**
   * The config with columns the stream no longer has dropped at a complete close rather than kept.
   * The default sets {@code drop_removed_columns: true}.
   */
  default JsonNode dropRemovedColumnsConfig(JsonNode config) {
    return ((ObjectNode) config.deepCopy()).put("drop_removed_columns", true);
  }

  /**
   * The fixed precision and scale of a {@code number} column ({@code DECIMAL(38, 9)}), or empty when
   * it holds any JSON number (PostgreSQL's {@code numeric}). With a fixed type, a number with more
   * integer digits is nulled and one with more decimals rounded, each recorded in {@code
   * _airbyte_meta} with {@code DESTINATION_FIELD_SIZE_LIMITATION}.
   */
  Optional<FixedDecimal> fixedNumberType();

  /** A {@code DECIMAL(precision, scale)}. */
  record FixedDecimal(int precision, int scale) {}

  /** What some suite cases need beyond what every destination owes. */
  enum Behavior {
    /** A column whose stream type changed is altered with a safe cast, keeping the table's rows. */
    COLUMN_TYPE_CHANGE,
    /** With {@code drop_removed_columns}, a column the stream no longer has is dropped at a complete close. */
    DROP_REMOVED_COLUMNS,
    /**
     * A time with time zone holds offsets under 16 hours only, as SQL's {@code TIMETZ}: a larger one
     * is nulled and recorded with {@code DESTINATION_FIELD_SIZE_LIMITATION}.
     */
    TIME_ZONE_OFFSETS_UNDER_16_HOURS
  }
}
