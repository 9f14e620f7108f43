package io.destkit.sql;

import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableName;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dedupe, and dedupe-truncate. Records go to the temp table; at a complete close they are upserted
 * into the final table (one row per primary key, newest version wins, CDC deletes applied) and the
 * temp table is dropped, in one transaction. For dedupe-truncate whose final table holds an older
 * generation, the temp table is deduplicated in place and replaces the final table instead (see
 * {@link TableOperations#overwrite}: a table with views, grants, comments or indexes of its own is
 * kept, its rows replaced).
 *
 * <p>At start the final table gets the dialect's key index, if it wants one, so that the upsert's
 * key match into a large table is an index lookup or a hash join, never a scan per incoming key.
 * The sync that creates it analyzes the table after its upsert, so that the next one's planner
 * knows the keys are unique (before autovacuum gets to it).
 *
 * <p>An incomplete close changes nothing: the temp table keeps its rows (their states were
 * acknowledged) and the next attempt writes into it and upserts everything at its own close.
 */
public final class DedupeStreamLoader extends DirectLoadStreamLoader {
  private final UpsertSpec upsert;
  private final boolean truncate;
  private boolean replaceFinal;
  private boolean newKeyIndex;
  /** Whether the final table held no row at the start: the upsert is then an insert (no key match). */
  private boolean finalWasEmpty;
  /** Whether the key index is made after the upsert (the final table was empty and had none). */
  private boolean deferKeyIndex;

  public DedupeStreamLoader(
      TableOperations operations, BulkLoader bulkLoader, StreamTables tables, UpsertSpec upsert, boolean truncate) {
    super(operations, bulkLoader, tables);
    this.upsert = upsert;
    this.truncate = truncate;
  }

  @Override
  protected void prepare() throws SQLException {
    long minimum = tables.stream().minimumGenerationId();
    if (truncate && operations.status(tables.tempTable()).holdsGenerationsBefore(minimum)) {
      recreate(tables.tempTable());
    }
    replaceFinal = truncate && operations.status(tables.finalTable()).holdsGenerationsBefore(minimum);
    if (!replaceFinal) {
      // Before the evolution: an index on a key column's old type would block its type change.
      Optional<String> keyIndex = operations.dialect().keyIndexName(upsert);
      boolean hasKeyIndex = operations.dropKeyIndexesExcept(tables.finalTable(), keyIndex);
      operations.createOrEvolve(tables.finalTable(), tables.columns());
      // Nothing but this loader's close writes the final table during the sync.
      finalWasEmpty = !operations.hasRows(tables.finalTable());
      // An empty table gets its key index after the upsert's insert: built once over the rows, it
      // costs less than kept up row by row. A retried start finds the index its earlier attempt
      // made: that one is still new.
      deferKeyIndex = !hasKeyIndex && finalWasEmpty && keyIndex.isPresent();
      newKeyIndex = newKeyIndex || (!hasKeyIndex && !deferKeyIndex && operations.createKeyIndex(upsert));
    }
    writeInto(tables.tempTable());
  }

  @Override
  protected void finish(boolean streamCompleted, boolean retrying) throws SQLException {
    if (!streamCompleted) {
      return;
    }
    if (tempTableGone(retrying)) {
      // The earlier attempt's upsert (or replace) committed: it dropped the temp table in the same transaction.
      operations.completeEvolution(tables.finalTable(), tables.columns());
      return;
    }
    SqlDialect dialect = operations.dialect();
    if (replaceFinal) {
      // A key index for another key (or a key column's old type) would block the replace's type changes.
      operations.dropKeyIndexesExcept(tables.finalTable(), dialect.keyIndexName(upsert));
      operations.overwrite(tables.tempTable(), tables.finalTable(), tables.columns(),
          dialect.dedupeInPlace(upsert.withTarget(tables.tempTable())));
      // The replace gave the table the stream's columns (but those a view keeps).
      return;
    }
    List<String> statements = new ArrayList<>(finalWasEmpty ? dialect.insertNewest(upsert) : dialect.upsert(upsert));
    if (newKeyIndex) {
      dialect.analyzeTable(tables.finalTable()).ifPresent(statements::add);
    }
    statements.add(dialect.dropTable(tables.tempTable()));
    operations.executeInTransaction(statements);
    if (deferKeyIndex && operations.createKeyIndex(upsert)) {
      // After the commit: the index only speeds the next upserts, and a failure to make it (for want
      // of a privilege) must not undo this one. A sync that stops in between makes it next time.
      Optional<String> analyze = dialect.analyzeTable(tables.finalTable());
      if (analyze.isPresent()) {
        operations.execute(analyze.get());
      }
    }
    operations.completeEvolution(tables.finalTable(), tables.columns());
  }

  /**
   * The temp table only: the final table keeps one row per key, and a record sent again replaces
   * its own earlier version there at the next upsert.
   */
  @Override
  protected List<TableName> tablesBatchesReach() {
    return List.of(tables.tempTable());
  }

  /** Whether this is dedupe-truncate: the result replaces the table's older generations. */
  public boolean truncates() {
    return truncate;
  }
}
