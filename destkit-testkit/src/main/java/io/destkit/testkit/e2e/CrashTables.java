package io.destkit.testkit.e2e;

import java.util.List;
import java.util.Map;

/**
 * What {@link CrashRecoveryProcessSuite} reads of the tables a killed connector left, whatever
 * stores them: a SQL database ({@link SqlCrashTables}) or a table format read with its own library.
 * Reads never go through the code under test.
 */
public interface CrashTables extends AutoCloseable {
  /**
   * A row of a crash stream's table: its {@code id}, {@code sync}, {@code seq} and {@code
   * _airbyte_generation_id} columns (null where NULL) and its {@code _airbyte_raw_id} as text.
   */
  record Row(Long id, Long sync, Long seq, Long generation, String rawId) {}

  /**
   * The tables of the streams as {@code namespace.table}, sorted: the destination's bookkeeping
   * (its checkpoint table) left out, and any table the destination left behind (a temp table)
   * included.
   */
  List<String> tables() throws Exception;

  /** The rows of a table that readers see. */
  List<Row> rows(String namespace, String table) throws Exception;

  /** How many rows of the table readers see. */
  long count(String namespace, String table) throws Exception;

  /**
   * For each table of {@code namespace} that the destination's exactly-once bookkeeping holds, the
   * raw id up to which it recorded the table's rows as covered by emitted STATEs.
   */
  Map<String, String> recordedRawIds(String namespace) throws Exception;

  @Override
  void close() throws Exception;
}
