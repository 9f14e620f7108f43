package io.destkit.sql;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;

/**
 * A bulk loader's writer of one row's values, called in table column order by {@link
 * TargetLayout#writeRow}: the meta columns, then one method per Java class of the kit's value
 * contract ({@link io.destkit.core.typing.Coercers}). Strings and JSON text both arrive as {@link
 * #string}; the loader knows the column's type from the layout if it needs it.
 */
public interface RowWriter {
  void rawId(long high, long low) throws SQLException;

  void extractedAt(long epochMillis) throws SQLException;

  /** The {@code _airbyte_meta} JSON text. */
  void meta(String json) throws SQLException;

  void generationId(long generationId) throws SQLException;

  /** A NULL value, or a column the stream does not fill. */
  void nullValue() throws SQLException;

  void string(String value) throws SQLException;

  void integer(long value) throws SQLException;

  void number(BigDecimal value) throws SQLException;

  void bool(boolean value) throws SQLException;

  void date(LocalDate value) throws SQLException;

  /** A timestamp with time zone, always at UTC. */
  void timestampWithTimezone(OffsetDateTime value) throws SQLException;

  void timestampWithoutTimezone(LocalDateTime value) throws SQLException;

  void timeWithTimezone(OffsetTime value) throws SQLException;

  void timeWithoutTimezone(LocalTime value) throws SQLException;
}
