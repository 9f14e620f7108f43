package io.destkit.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to the destination database; each caller closes what it opened. */
@FunctionalInterface
public interface ConnectionSource {
  Connection open() throws SQLException;
}
