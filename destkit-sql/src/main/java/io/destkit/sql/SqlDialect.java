package io.destkit.sql;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A database's SQL: its type names and the statements the kit runs. Every method is pure (no I/O)
 * and returns a whole statement, so each can be tested as a string. Identifiers are always quoted.
 * The defaults are standard SQL; a destination overrides what its database spells differently.
 */
public interface SqlDialect {

  /** The DDL type of a user column of this Airbyte type. Must cover every type. */
  String columnType(AirbyteType type);

  /** The DDL type of a meta column ({@link MetaColumns}). */
  String metaColumnType(String metaColumn);

  /** Quotes an identifier, doubling embedded quotes. */
  default String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  default String qualified(TableName table) {
    return quote(table.namespace()) + "." + quote(table.name());
  }

  /** Selects a row when the namespace exists. Parameter: the namespace. */
  default String selectNamespace() {
    return "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?";
  }

  default String createNamespace(String namespace) {
    return "CREATE SCHEMA IF NOT EXISTS " + quote(namespace);
  }

  default String dropNamespace(String namespace) {
    return "DROP SCHEMA IF EXISTS " + quote(namespace) + " CASCADE";
  }

  /** Creates a final (or temp) table: the meta columns first, then the user columns. */
  default String createTable(TableName table, List<ColumnDef> columns, boolean replace) {
    String create = replace ? "CREATE OR REPLACE TABLE " : "CREATE TABLE IF NOT EXISTS ";
    return create + qualified(table) + " (" + columnDefinitions(columns) + ")";
  }

  /** The column list of a new table: the meta columns, then the user columns, with their types. */
  default String columnDefinitions(List<ColumnDef> columns) {
    StringJoiner definitions = new StringJoiner(", ");
    for (String meta : MetaColumns.ALL) {
      String notNull = meta.equals(MetaColumns.GENERATION_ID) ? "" : " NOT NULL";
      definitions.add(quote(meta) + " " + metaColumnType(meta) + notNull);
    }
    for (ColumnDef column : columns) {
      definitions.add(quote(column.name()) + " " + columnType(column.type()));
    }
    return definitions.toString();
  }

  default String dropTable(TableName table) {
    return "DROP TABLE IF EXISTS " + qualified(table);
  }

  default String countRows(TableName table) {
    return "SELECT COUNT(*) FROM " + qualified(table);
  }

  /** Selects a row when the table has any: an existence check that reads one row, not the table. */
  default String selectAnyRow(TableName table) {
    return "SELECT 1 FROM " + qualified(table) + " LIMIT 1";
  }

  /** The generation id of any one row (all rows of a table written by a truncate share it). */
  default String selectGenerationId(TableName table) {
    return "SELECT " + quote(MetaColumns.GENERATION_ID) + " FROM " + qualified(table) + " LIMIT 1";
  }

  default String addColumn(TableName table, ColumnDef column) {
    return "ALTER TABLE " + qualified(table) + " ADD COLUMN " + quote(column.name()) + " " + columnType(column.type());
  }

  /**
   * Lists a table's columns in table order: rows of (column_name, data_type, is_nullable YES/NO).
   * Parameters: schema, table (bound by {@link #bindDescribe}).
   */
  default String describeColumns(TableName table) {
    return "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
        + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
  }

  /** Binds the parameters of {@link #describeColumns(TableName)}. */
  default void bindDescribe(java.sql.PreparedStatement statement, TableName table) throws SQLException {
    statement.setString(1, table.namespace());
    statement.setString(2, table.name());
  }

  /**
   * Whether {@link #describeColumns(TableName)} failed because the table (or its schema) does not
   * exist; a query that returns no rows for a missing table never fails (the default).
   */
  default boolean isMissingTable(SQLException failure) {
    return false;
  }

  /** A type name as {@link #describeColumns(TableName)} reports it, in a form comparable with {@link #columnType}. */
  default String normalizeType(String type) {
    return type.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * Counts the non-null values of each column, in one row with a count per column; run before and
   * after a type change, the difference is the values its safe cast nulled.
   */
  default String countNonNull(TableName table, List<String> columns) {
    StringJoiner counts = new StringJoiner(", ");
    columns.forEach(column -> counts.add("COUNT(" + quote(column) + ")"));
    return "SELECT " + counts + " FROM " + qualified(table);
  }

  default String dropColumn(TableName table, String column) {
    return "ALTER TABLE " + qualified(table) + " DROP COLUMN " + quote(column);
  }

  default String dropNotNull(TableName table, String column) {
    return "ALTER TABLE " + qualified(table) + " ALTER COLUMN " + quote(column) + " DROP NOT NULL";
  }

  /**
   * Changes a column's type with a safe cast: a value that cannot be cast becomes NULL. The default
   * uses {@code TRY_CAST}; a database without it overrides this.
   */
  default List<String> alterColumnType(TableName table, String column, String newType) {
    return List.of(
        "ALTER TABLE " + qualified(table) + " ALTER COLUMN " + quote(column) + " SET DATA TYPE " + newType
            + " USING TRY_CAST(" + quote(column) + " AS " + newType + ")");
  }

  /**
   * Changes a column's type to the JSON type: each value becomes its JSON form ({@code to_json}),
   * so a string becomes a JSON string rather than being parsed as JSON text (where most strings
   * would fail and be lost), and nothing is NULLed.
   */
  default List<String> alterColumnTypeToJson(TableName table, String column, String jsonType) {
    return List.of(
        "ALTER TABLE " + qualified(table) + " ALTER COLUMN " + quote(column) + " SET DATA TYPE " + jsonType
            + " USING CAST(to_json(" + quote(column) + ") AS " + jsonType + ")");
  }

  /** Adds a meta column to a table created without it (an older table layout). */
  default String addMetaColumn(TableName table, String metaColumn) {
    return "ALTER TABLE " + qualified(table) + " ADD COLUMN " + quote(metaColumn) + " " + metaColumnType(metaColumn);
  }

  /**
   * Replaces {@code target} with {@code source}, run in one transaction: readers see the old table
   * until the commit, then the new one. The default renames within one namespace; a database whose
   * temp tables live in another namespace overrides this.
   */
  default List<String> overwriteTable(TableName source, TableName target) {
    if (!source.namespace().equals(target.namespace())) {
      throw new IllegalArgumentException(
          "cannot replace " + qualified(target) + " with " + qualified(source) + ": a rename stays in its namespace");
    }
    return List.of(
        "DROP TABLE IF EXISTS " + qualified(target),
        "ALTER TABLE " + qualified(source) + " RENAME TO " + quote(target.name()));
  }

  /**
   * Lists what replacing a table by another ({@link #overwriteTable}: a drop and a rename) would lose,
   * or what would stop the drop: views on it, grants, comments, indexes and constraints other than
   * the kit's, its owner when another role, ... One row per thing, with a text naming it for the
   * sync's log. Parameters: schema, table. When it lists any, an overwrite keeps the table and
   * replaces its rows instead ({@link #deleteAllRows}, {@link #copyRows}), which costs a copy of
   * every row. Empty (the default) when the database keeps none of these with a table: an
   * overwrite always swaps.
   */
  default Optional<String> selectWhatASwapLoses() {
    return Optional.empty();
  }

  /**
   * Deletes every row of a table, in a transaction whose readers go on seeing the rows until it
   * commits (so not {@code TRUNCATE}, which makes them wait for the commit in PostgreSQL).
   */
  default String deleteAllRows(TableName table) {
    return "DELETE FROM " + qualified(table);
  }

  /**
   * The views bound to a table's columns, which must be dropped and recreated around a change of
   * those columns; {@link DependentViews#NONE} (the default) for a database that binds views by name
   * when they are queried.
   */
  default DependentViews dependentViews() {
    return DependentViews.NONE;
  }

  /**
   * Whether drops cascade to the objects that depend on what is dropped (PostgreSQL's
   * {@code drop_cascade}): then a column a view uses is dropped with the view, else it is kept.
   */
  default boolean dropsCascade() {
    return false;
  }

  /** Copies every row of {@code source} into {@code target}; both have {@code columns}. */
  default String copyRows(TableName source, TableName target, List<String> columns) {
    String list = columnList(columns, null);
    return "INSERT INTO " + qualified(target) + " (" + list + ") SELECT " + list + " FROM " + qualified(source);
  }

  /**
   * The statements of an upsert, run in order in one transaction: remove the target rows that an
   * incoming version is at least as new as, then insert the newest incoming version of each key
   * that has no (newer) target row left, leaving out deletes when they are hard.
   */
  default List<String> upsert(UpsertSpec spec) {
    String keyMatch = keyMatch(spec, "t", "w");
    String delete =
        "DELETE FROM " + qualified(spec.target()) + " AS t USING (" + newestPerKey(spec) + ") AS w WHERE " + keyMatch
            + " AND (" + atLeastAsNew(spec, "w", "t") + ")";
    String insert =
        "INSERT INTO " + qualified(spec.target()) + " (" + columnList(spec.columns(), null) + ") SELECT "
            + columnList(spec.columns(), "w") + " FROM (" + newestRows(spec) + ") AS w WHERE NOT EXISTS (SELECT 1 FROM "
            + qualified(spec.target()) + " AS t WHERE " + keyMatch + ")";
    if (spec.hardDelete() && spec.cdcDeletedAt().isPresent()) {
      insert += " AND w." + quote(spec.cdcDeletedAt().get()) + " IS NULL";
    }
    return List.of(delete, insert);
  }

  /**
   * The upsert into a target that was empty when the sync started (nothing else writes it during the
   * sync): the newest incoming version of each key, inserted, with no key match against the target;
   * deletes are left out when they are hard, as in {@link #upsert}.
   */
  default List<String> insertNewest(UpsertSpec spec) {
    String insert =
        "INSERT INTO " + qualified(spec.target()) + " (" + columnList(spec.columns(), null) + ") SELECT "
            + columnList(spec.columns(), "w") + " FROM (" + newestRows(spec) + ") AS w";
    if (spec.hardDelete() && spec.cdcDeletedAt().isPresent()) {
      insert += " WHERE w." + quote(spec.cdcDeletedAt().get()) + " IS NULL";
    }
    return List.of(insert);
  }

  /**
   * The newest version of each key among the source rows, as its raw id, key, cursor and extraction
   * time (what the upsert compares; each column once, a cursor may be a key column); versions tied
   * on cursor and extraction time resolve in arrival order, which the time-ordered raw ids give.
   */
  default String newestPerKey(UpsertSpec spec) {
    Set<String> ranked = new LinkedHashSet<>();
    ranked.add(MetaColumns.RAW_ID);
    ranked.add(MetaColumns.EXTRACTED_AT);
    ranked.addAll(spec.primaryKey());
    spec.cursor().ifPresent(ranked::add);
    return newest(spec, List.copyOf(ranked));
  }

  /**
   * The whole row of the newest version of each key, every column of {@code spec.columns()}: ranked
   * as {@link #newestPerKey}, whole rows at once (a database whose ranking of wide rows runs out of
   * memory reads them from the source by raw id instead).
   */
  default String newestRows(UpsertSpec spec) {
    return newest(spec, spec.columns());
  }

  /** The {@code columns} of the newest version of each key among the source rows. */
  private String newest(UpsertSpec spec, List<String> columns) {
    StringJoiner partition = new StringJoiner(", ");
    spec.primaryKey().forEach(key -> partition.add(quote(key)));
    String order =
        spec.cursor().map(cursor -> quote(cursor) + " DESC NULLS LAST, ").orElse("")
            + quote(MetaColumns.EXTRACTED_AT) + " DESC, " + quote(MetaColumns.RAW_ID) + " DESC";
    String list = columnList(columns, null);
    return "SELECT " + list + " FROM (SELECT " + list + ", ROW_NUMBER() OVER (PARTITION BY " + partition
        + " ORDER BY " + order + ") AS " + quote(MetaColumns.ROW_NUMBER) + " FROM " + qualified(spec.source())
        + ") AS ranked WHERE " + quote(MetaColumns.ROW_NUMBER) + " = 1";
  }

  /** True when the version aliased {@code incoming} is at least as new as {@code stored}. */
  default String atLeastAsNew(UpsertSpec spec, String incoming, String stored) {
    String extracted = quote(MetaColumns.EXTRACTED_AT);
    String sameOrNewerExtract = incoming + "." + extracted + " >= " + stored + "." + extracted;
    if (spec.cursor().isEmpty()) {
      return sameOrNewerExtract;
    }
    String in = incoming + "." + quote(spec.cursor().get());
    String st = stored + "." + quote(spec.cursor().get());
    return "(" + st + " IS NULL AND " + in + " IS NOT NULL) OR " + in + " > " + st + " OR ((" + in + " = " + st
        + " OR (" + in + " IS NULL AND " + st + " IS NULL)) AND " + sameOrNewerExtract + ")";
  }

  /**
   * NULL-safe equality of the key columns of two aliases: a key part that is NULL on both sides
   * matches. The default ({@code IS NOT DISTINCT FROM}) suits a database that hash-joins it; one that
   * can only run it as a nested loop overrides this with equalities it can hash or look up in an index.
   */
  default String keyMatch(UpsertSpec spec, String left, String right) {
    StringJoiner match = new StringJoiner(" AND ");
    for (String column : spec.primaryKey()) {
      match.add(left + "." + quote(column) + " IS NOT DISTINCT FROM " + right + "." + quote(column));
    }
    return match.toString();
  }

  /**
   * The name of the index on the target table that the upsert's key match uses, or empty when the
   * database needs none (the default: it hash-joins the key match).
   */
  default Optional<String> keyIndexName(UpsertSpec spec) {
    return Optional.empty();
  }

  /** Creates the {@linkplain #keyIndexName key index} on the target table unless it exists; empty when there is none. */
  default Optional<String> createKeyIndex(UpsertSpec spec) {
    return Optional.empty();
  }

  /** Whether the database refused a statement because the user lacks a privilege (or ownership). */
  default boolean isInsufficientPrivilege(SQLException failure) {
    return false;
  }

  /**
   * Refreshes the planner's statistics of a table, run after the upsert of the sync that created its
   * {@linkplain #createKeyIndex key index}: without statistics on the index's expressions the planner
   * misjudges the join; empty when the database needs no such step (the default).
   */
  default Optional<String> analyzeTable(TableName table) {
    return Optional.empty();
  }

  /**
   * Lists the key indexes this dialect made on a table, whatever key they were made for: rows of
   * (index name). Parameters: schema, table. Empty when the dialect makes none.
   */
  default Optional<String> selectKeyIndexes() {
    return Optional.empty();
  }

  /** Drops an index of a table (by the name {@link #selectKeyIndexes} gave). */
  default String dropIndex(TableName table, String index) {
    return "DROP INDEX IF EXISTS " + quote(table.namespace()) + "." + quote(index);
  }

  /**
   * Removes the rows an interrupted attempt committed after its last emitted STATE: those whose raw
   * id is a version 7 UUID greater than the first parameter (a raw id's text form), below the second
   * when {@code bounded}, and in none of the {@code keptRanges} ranges that follow (two parameters
   * each, first and last id, bounds included). Rows written by other tools (raw ids of other
   * versions) are never matched. The default compares the text form; see {@link #deleteRawIdsAfter}.
   */
  default String deleteRowsAfter(TableName table, int keptRanges, boolean bounded) {
    String rawId = quote(MetaColumns.RAW_ID);
    return deleteRawIdsAfter(table, rawId, "?", "SUBSTRING(" + rawId + " FROM 15 FOR 1) = '7'", keptRanges, bounded);
  }

  /**
   * The statement of {@link #deleteRowsAfter} from a dialect's parts: {@code rawId}, the raw id as
   * compared (with a collation, say); {@code parameter}, a parameter as compared with it (a cast,
   * say); {@code version7}, the condition that the raw id is of version 7.
   */
  default String deleteRawIdsAfter(
      TableName table, String rawId, String parameter, String version7, int keptRanges, boolean bounded) {
    StringBuilder sql = new StringBuilder("DELETE FROM ").append(qualified(table)).append(" WHERE ")
        .append(rawId).append(" > ").append(parameter);
    if (bounded) {
      sql.append(" AND ").append(rawId).append(" < ").append(parameter);
    }
    sql.append(" AND ").append(version7);
    for (int i = 0; i < keptRanges; i++) {
      sql.append(" AND NOT (").append(rawId).append(" BETWEEN ").append(parameter).append(" AND ").append(parameter)
          .append(")");
    }
    return sql.toString();
  }

  /**
   * Statements that make the transaction of {@link #deleteRowsAfter} wait until no other session
   * writes to the table, so the removal also sees rows a killed attempt's connection commits late (a
   * database server whose client died still commits what the client sent before it died). Empty (the
   * default) for an embedded database, whose writers die with their process.
   */
  default List<String> waitForWriters(TableName table) {
    return List.of();
  }

  /**
   * Creates the kit's checkpoint table when it is missing: one row per final table, the raw id up to
   * which its rows are covered by emitted STATEs, the ranges of raw ids above it that are covered
   * too ({@code kept_ranges}, in {@link io.destkit.core.write.RawIdRange#format}'s text; empty or
   * NULL for none), and whether the attempt that wrote it finished.
   */
  default String createCheckpointTable(TableName table) {
    return "CREATE TABLE IF NOT EXISTS " + qualified(table) + " ("
        + quote("table_namespace") + " VARCHAR NOT NULL, "
        + quote("table_name") + " VARCHAR NOT NULL, "
        + quote("stream_namespace") + " VARCHAR, "
        + quote("stream_name") + " VARCHAR NOT NULL, "
        + quote("sync_id") + " BIGINT NOT NULL, "
        + quote("generation_id") + " BIGINT NOT NULL, "
        + quote("committed_raw_id") + " VARCHAR NOT NULL, "
        + quote("attempt_finished") + " BOOLEAN NOT NULL, "
        + quote("updated_at") + " TIMESTAMP WITH TIME ZONE NOT NULL, "
        + quote("kept_ranges") + " VARCHAR, "
        + quote("minimum_generation_id") + " BIGINT, "
        + quote("source_state") + " VARCHAR, "
        + "PRIMARY KEY (" + quote("table_namespace") + ", " + quote("table_name") + "))";
  }

  /**
   * Adds {@code kept_ranges} to a checkpoint table created before it existed (whose rows then hold
   * NULL there: no range kept). {@code IF NOT EXISTS} makes two attempts upgrading at once harmless.
   */
  default String addCheckpointRangesColumn(TableName table) {
    return "ALTER TABLE " + qualified(table) + " ADD COLUMN IF NOT EXISTS " + quote("kept_ranges") + " VARCHAR";
  }

  /**
   * Adds a column of the given type to a checkpoint table created before it existed (its rows then
   * hold NULL there). {@code IF NOT EXISTS} makes two attempts upgrading at once harmless.
   */
  default String addCheckpointColumn(TableName table, String column, String type) {
    return "ALTER TABLE " + qualified(table) + " ADD COLUMN IF NOT EXISTS " + quote(column) + " " + type;
  }

  /**
   * Every row of the checkpoint table: table namespace, table name, committed raw id, finished, kept
   * ranges, sync id, generation id, minimum generation id, source state.
   */
  default String selectCheckpoints(TableName table) {
    return "SELECT " + columnList(
        List.of("table_namespace", "table_name", "committed_raw_id", "attempt_finished", "kept_ranges", "sync_id",
            "generation_id", "minimum_generation_id", "source_state"), null)
        + " FROM " + qualified(table);
  }

  /**
   * Forgets the recorded state of one table when the attempt starting runs another generation.
   * Parameters: table namespace, table name, the starting attempt's generation id.
   */
  default String clearCheckpointStateOfOtherGeneration(TableName table) {
    return "UPDATE " + qualified(table) + " SET " + quote("source_state") + " = NULL WHERE " + quote("table_namespace")
        + " = ? AND " + quote("table_name") + " = ? AND " + quote("generation_id") + " <> ?";
  }

  /** Records the last STATE message covering one table. Parameters: the message's JSON, table namespace, table name. */
  default String recordCheckpointState(TableName table) {
    return "UPDATE " + qualified(table) + " SET " + quote("source_state") + " = ? WHERE " + quote("table_namespace")
        + " = ? AND " + quote("table_name") + " = ?";
  }

  /**
   * Starts an attempt for one table, with no range kept, leaving its recorded state as it is.
   * Parameters: table namespace, table name, stream namespace, stream name, sync id, generation id,
   * minimum generation id, committed raw id.
   */
  default String beginCheckpoint(TableName table) {
    List<String> columns = List.of(
        "table_namespace", "table_name", "stream_namespace", "stream_name", "sync_id", "generation_id",
        "minimum_generation_id", "committed_raw_id", "kept_ranges", "attempt_finished", "updated_at");
    StringJoiner updates = new StringJoiner(", ");
    for (String column : columns.subList(2, columns.size())) {
      updates.add(quote(column) + " = excluded." + quote(column));
    }
    return "INSERT INTO " + qualified(table) + " (" + columnList(columns, null) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, '',"
        + " FALSE, CURRENT_TIMESTAMP) ON CONFLICT (" + quote("table_namespace") + ", " + quote("table_name") + ") DO UPDATE SET "
        + updates;
  }

  /**
   * Moves one table's committed raw id and replaces its kept ranges; with {@code finished}, also
   * records that the attempt ended with every stream complete. Parameters: committed raw id, kept
   * ranges (text), table namespace, table name.
   */
  default String advanceCheckpoint(TableName table, boolean finished) {
    return "UPDATE " + qualified(table) + " SET " + quote("committed_raw_id") + " = ?, " + quote("kept_ranges") + " = ?, "
        + (finished ? quote("attempt_finished") + " = TRUE, " : "")
        + quote("updated_at") + " = CURRENT_TIMESTAMP WHERE " + quote("table_namespace") + " = ? AND "
        + quote("table_name") + " = ?";
  }

  /** Quoted column names, each prefixed with {@code alias.} when an alias is given. */
  default String columnList(List<String> columns, String alias) {
    StringJoiner list = new StringJoiner(", ");
    for (String column : columns) {
      list.add(alias == null ? quote(column) : alias + "." + quote(column));
    }
    return list.toString();
  }

  /**
   * Reduces a table to the newest version of each key, in place (source and target are the same
   * table), and removes deletes when they are hard. Rows are identified by {@code _airbyte_raw_id}.
   */
  default List<String> dedupeInPlace(UpsertSpec spec) {
    String rawId = quote(MetaColumns.RAW_ID);
    List<String> statements = new java.util.ArrayList<>();
    statements.add(
        "DELETE FROM " + qualified(spec.target()) + " AS t WHERE NOT EXISTS (SELECT 1 FROM (" + newestPerKey(spec)
            + ") AS w WHERE w." + rawId + " = t." + rawId + ")");
    if (spec.hardDelete() && spec.cdcDeletedAt().isPresent()) {
      statements.add(
          "DELETE FROM " + qualified(spec.target()) + " WHERE " + quote(spec.cdcDeletedAt().get()) + " IS NOT NULL");
    }
    return statements;
  }

  /**
   * Deletes the rows of one batch from a table, by the range of their raw ids (parameters: the
   * batch's first and last raw id, as text): run before a retried batch is loaded again, in the same
   * transaction, so that a batch whose earlier attempt committed unacknowledged lands once. Raw ids
   * are time-ordered and increase in read order, so the range holds only that batch's rows. The
   * default casts the text to the raw id column's type, whose order must be the ids' order.
   */
  default String deleteRawIdRange(TableName table) {
    String type = metaColumnType(MetaColumns.RAW_ID);
    return "DELETE FROM " + qualified(table) + " WHERE " + quote(MetaColumns.RAW_ID) + " BETWEEN CAST(? AS " + type
        + ") AND CAST(? AS " + type + ")";
  }
}
