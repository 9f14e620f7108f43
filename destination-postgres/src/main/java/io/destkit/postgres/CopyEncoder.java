package io.destkit.postgres;

import io.destkit.sql.RowWriter;
import java.sql.SQLException;

/** A COPY format's row encoder: the loader brackets each row and ends the stream. Not thread-safe. */
interface CopyEncoder extends RowWriter {
  /** Where encoded bytes go: a COPY in progress. */
  @FunctionalInterface
  interface Output {
    void write(byte[] bytes, int offset, int length) throws SQLException;
  }

  /** Starts a row, before its first value. */
  void startRow() throws SQLException;

  /** Ends the current row. */
  void endRow() throws SQLException;

  /** Ends the stream (the format's trailer, if any) and sends what is buffered. */
  void finish() throws SQLException;
}
