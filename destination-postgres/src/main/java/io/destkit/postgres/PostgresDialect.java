package io.destkit.postgres;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.TableName;
import io.destkit.core.typing.AirbyteType;
import io.destkit.sql.DependentViews;
import io.destkit.sql.SqlDialect;
import io.destkit.sql.TypeNames;
import io.destkit.sql.UpsertSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/** PostgreSQL's types and statements: what it spells differently from the kit's standard SQL. */
public final class PostgresDialect implements SqlDialect {
  private static final TypeNames TYPES =
      TypeNames.builder()
          .string("varchar")
          .bool("boolean")
          .integer("bigint")
          .number("numeric")
          .date("date")
          .timestampWithTimezone("timestamptz")
          .timestampWithoutTimezone("timestamp")
          .timeWithTimezone("timetz")
          .timeWithoutTimezone("time")
          .json("jsonb")
          .build();

  /** Casts a value's text to the type of {@code target}, or gives NULL when the type refuses it. */
  static final String TRY_CAST_FUNCTION =
      "CREATE OR REPLACE FUNCTION pg_temp.destkit_try_cast(value text, target anyelement) RETURNS anyelement"
          + " LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('SELECT %L::%s', value, pg_typeof(target)) INTO target;"
          + " RETURN target; EXCEPTION WHEN others THEN RETURN NULL; END $$";

  /** The first major version with {@code pg_input_is_valid}. */
  static final int INPUT_VALIDATION_SINCE = 16;

  /** PostgreSQL's identifier limit (NAMEDATALEN - 1). */
  private static final int MAX_IDENTIFIER_BYTES = 63;

  /** Marks the key indexes this dialect makes: {@code <table>_dedupe_key_<8 hex>}. */
  private static final String KEY_INDEX_MARK = "_dedupe_key_";

  private static final int KEY_INDEX_HASH_CHARS = 8;

  private final boolean dropCascade;
  private final boolean inputValidation;

  /**
   * @param dropCascade whether drops cascade to dependent objects (config {@code drop_cascade})
   * @param serverMajorVersion the server's major version (e.g. 15), which decides how a type change
   *     casts safely
   */
  public PostgresDialect(boolean dropCascade, int serverMajorVersion) {
    this.dropCascade = dropCascade;
    this.inputValidation = serverMajorVersion >= INPUT_VALIDATION_SINCE;
  }

  /** A dialect whose statements every supported server version runs. */
  public PostgresDialect(boolean dropCascade) {
    this(dropCascade, 0);
  }

  @Override
  public String columnType(AirbyteType type) {
    return TYPES.of(type);
  }

  @Override
  public String metaColumnType(String metaColumn) {
    return switch (metaColumn) {
      // varchar, as Airbyte's Postgres destination has it, so its tables can be written on.
      case MetaColumns.RAW_ID -> "varchar";
      case MetaColumns.EXTRACTED_AT -> "timestamptz";
      case MetaColumns.META -> "jsonb";
      case MetaColumns.GENERATION_ID -> "bigint";
      default -> throw new IllegalArgumentException("not a meta column: " + metaColumn);
    };
  }

  /**
   * Raw ids are text here: compared byte by byte ({@code COLLATE "C"}), which is their order, not by
   * the database's collation, which may skip the dashes or rank letters otherwise.
   */
  @Override
  public String deleteRowsAfter(TableName table, int keptRanges, boolean bounded) {
    String rawId = quote(MetaColumns.RAW_ID);
    return deleteRawIdsAfter(table, rawId + " COLLATE \"C\"", "?", "substr(" + rawId + ", 15, 1) = '7'", keptRanges,
        bounded);
  }

  /**
   * SHARE mode conflicts with the ROW EXCLUSIVE lock every insert, COPY and delete holds until its
   * transaction ends: the removal waits for such a transaction of another session (a killed
   * attempt's connection the server still finishes) to commit or roll back, then sees its rows.
   * Readers are not blocked. A writer that keeps the table longer than {@value #REMOVAL_LOCK_TIMEOUT}
   * fails the removal (SQL state 55P03).
   */
  @Override
  public List<String> waitForWriters(TableName table) {
    return List.of("SET LOCAL lock_timeout = '" + REMOVAL_LOCK_TIMEOUT + "'",
        "LOCK TABLE " + qualified(table) + " IN SHARE MODE");
  }

  /** How long the removal of uncovered rows waits for another session's writes to the table. */
  static final String REMOVAL_LOCK_TIMEOUT = "5min";

  /** pg_namespace rather than information_schema, which hides schemas the user holds no privilege on. */
  @Override
  public String selectNamespace() {
    return "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?";
  }

  /**
   * PostgreSQL has no CREATE OR REPLACE TABLE: a replace is a drop and a create, sent as one
   * statement string (one implicit transaction when run with auto-commit).
   */
  @Override
  public String createTable(TableName table, List<ColumnDef> columns, boolean replace) {
    String definition = qualified(table) + " (" + columnDefinitions(columns) + ")";
    return replace ? dropTable(table) + "; CREATE TABLE " + definition : "CREATE TABLE IF NOT EXISTS " + definition;
  }

  @Override
  public String dropTable(TableName table) {
    return "DROP TABLE IF EXISTS " + qualified(table) + cascade();
  }

  /**
   * information_schema's type names (character varying, timestamp with time zone, ...) and the
   * DDL names above, in one spelling, so that only a real type change alters a column.
   */
  @Override
  public String normalizeType(String type) {
    String name = type.trim().toLowerCase(Locale.ROOT);
    int parenthesis = name.indexOf('(');
    if (parenthesis > 0) {
      name = name.substring(0, parenthesis).trim();
    }
    return switch (name) {
      case "character varying", "text" -> "varchar";
      case "int8" -> "bigint";
      case "bool" -> "boolean";
      case "decimal" -> "numeric";
      case "timestamp with time zone" -> "timestamptz";
      case "timestamp without time zone" -> "timestamp";
      case "time with time zone" -> "timetz";
      case "time without time zone" -> "time";
      default -> name;
    };
  }

  /**
   * PostgreSQL has no TRY_CAST: each value is cast through its text, and a value the new type does
   * not accept becomes NULL. From version 16 {@code pg_input_is_valid} tells which; before, a
   * session-local function catches the cast's exception for each row, several times slower (500k
   * rows varchar to bigint: 0.5 s against 3.4 s). The statements run on one connection, in one
   * transaction.
   */
  @Override
  public List<String> alterColumnType(TableName table, String column, String newType) {
    String text = quote(column) + "::text";
    if (inputValidation) {
      return List.of(
          "ALTER TABLE " + qualified(table) + " ALTER COLUMN " + quote(column) + " TYPE " + newType
              + " USING CASE WHEN pg_input_is_valid(" + text + ", " + literal(newType) + ") THEN " + text + "::"
              + newType + " END");
    }
    return List.of(
        TRY_CAST_FUNCTION,
        "ALTER TABLE " + qualified(table) + " ALTER COLUMN " + quote(column) + " TYPE " + newType
            + " USING pg_temp.destkit_try_cast(" + quote(column) + "::text, NULL::" + newType + ")");
  }

  /**
   * Replaces {@code target} with {@code source}, which may be in another schema (the temp tables'
   * raw_data_schema): drop the target, move the source into the target's schema, rename it.
   */
  @Override
  public List<String> overwriteTable(TableName source, TableName target) {
    List<String> statements = new ArrayList<>();
    statements.add(dropTable(target));
    TableName moved = new TableName(target.namespace(), source.name());
    if (!source.namespace().equals(target.namespace())) {
      statements.add("ALTER TABLE " + qualified(source) + " SET SCHEMA " + quote(target.namespace()));
    }
    statements.add("ALTER TABLE " + qualified(moved) + " RENAME TO " + quote(target.name()));
    return statements;
  }

  /**
   * What a swap (drop and rename) would lose or be stopped by: views and materialized views on the
   * table, foreign keys that reference it, grants on it or its columns, comments, indexes other than
   * the kit's dedupe key index, constraints other than NOT NULL, triggers, row security, column
   * defaults, storage options, publications, statistics objects, and an owner other than the
   * connector's user. Parameters: schema, table.
   */
  @Override
  public Optional<String> selectWhatASwapLoses() {
    String keyIndex = "'%" + KEY_INDEX_MARK.replace("_", "\\_") + "________'";
    return Optional.of("""
        WITH t AS (
          SELECT c.oid, c.relacl, c.relowner, c.reloptions, c.relrowsecurity
          FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p'))
        SELECT DISTINCT 'view ' || format('%I.%I', vn.nspname, v.relname) FROM t
          JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = t.oid
            AND d.classid = 'pg_catalog.pg_rewrite'::regclass
          JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
          JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
          JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
          WHERE v.oid <> t.oid
        UNION ALL SELECT 'foreign key ' || format('%I', k.conname) || ' of ' || k.conrelid::regclass::text FROM t
          JOIN pg_catalog.pg_constraint k ON k.confrelid = t.oid AND k.conrelid <> t.oid
        UNION ALL SELECT 'grants' FROM t
          WHERE t.relacl IS NOT NULL AND t.relacl::text <> pg_catalog.acldefault('r', t.relowner)::text
        UNION ALL SELECT 'column grants' FROM t
          WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.oid AND a.attacl IS NOT NULL)
        UNION ALL SELECT 'comments' FROM t WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_description d
          WHERE d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = t.oid)
        UNION ALL SELECT 'index ' || format('%I', i.relname) FROM t
          JOIN pg_catalog.pg_index x ON x.indrelid = t.oid JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
          WHERE i.relname NOT LIKE KEY_INDEX
        UNION ALL SELECT 'constraint ' || format('%I', k.conname) FROM t
          JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid WHERE k.contype <> 'n'
        UNION ALL SELECT 'trigger ' || format('%I', g.tgname) FROM t
          JOIN pg_catalog.pg_trigger g ON g.tgrelid = t.oid WHERE NOT g.tgisinternal
        UNION ALL SELECT 'row security' FROM t WHERE t.relrowsecurity
          OR EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = t.oid)
        UNION ALL SELECT 'column defaults' FROM t
          WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef a WHERE a.adrelid = t.oid)
        UNION ALL SELECT 'storage options' FROM t WHERE t.reloptions IS NOT NULL
        UNION ALL SELECT 'owner ' || format('%I', pg_catalog.pg_get_userbyid(t.relowner)) FROM t
          WHERE pg_catalog.pg_get_userbyid(t.relowner) <> current_user
        UNION ALL SELECT 'publications' FROM t
          WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel p WHERE p.prrelid = t.oid)
        UNION ALL SELECT 'statistics objects' FROM t
          WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_statistic_ext s WHERE s.stxrelid = t.oid)"""
        .replace("KEY_INDEX", keyIndex));
  }

  @Override
  public DependentViews dependentViews() {
    return new PostgresDependentViews(this);
  }

  @Override
  public boolean dropsCascade() {
    return dropCascade;
  }

  /** With {@code drop_cascade}, the views that use the column go with it; without, the kit keeps such a column. */
  @Override
  public String dropColumn(TableName table, String column) {
    return "ALTER TABLE " + qualified(table) + " DROP COLUMN " + quote(column) + cascade();
  }

  /**
   * Keys joined with plain equalities, which PostgreSQL can hash, merge or look up in an index
   * ({@code IS NOT DISTINCT FROM} it can only run as a nested loop, quadratic on a large table): per
   * key column, its value with NULL replaced by a constant of its type, and whether it is NULL. The
   * second equality keeps NULL apart from the constant, so a key part that is NULL on both sides
   * matches and nothing else does. The same expressions make the {@linkplain #createKeyIndex key index}.
   */
  @Override
  public String keyMatch(UpsertSpec spec, String left, String right) {
    StringJoiner match = new StringJoiner(" AND ");
    for (String column : spec.primaryKey()) {
      String standIn = nullStandIn(spec.keyType(column));
      String l = left + "." + quote(column);
      String r = right + "." + quote(column);
      match.add("COALESCE(" + l + ", " + standIn + ") = COALESCE(" + r + ", " + standIn + ")");
      match.add("(" + l + " IS NULL) = (" + r + " IS NULL)");
    }
    return match.toString();
  }

  /**
   * {@code <table>_dedupe_key_<hash>}: the hash is over the table, the key columns and their types,
   * so a changed key gets a new index (and the old one is dropped at start); within the 63-byte limit.
   */
  @Override
  public Optional<String> keyIndexName(UpsertSpec spec) {
    StringBuilder identity = new StringBuilder(spec.target().name());
    for (String column : spec.primaryKey()) {
      identity.append('\0').append(column).append('\0').append(columnType(spec.keyType(column)));
    }
    String suffix = KEY_INDEX_MARK + shortHash(identity.toString());
    return Optional.of(truncateUtf8(spec.target().name(), MAX_IDENTIFIER_BYTES - suffix.length()) + suffix);
  }

  /**
   * The index on the target's key expressions of {@link #keyMatch}: an upsert of a few keys into a
   * large table looks each up instead of scanning the table.
   */
  @Override
  public Optional<String> createKeyIndex(UpsertSpec spec) {
    StringJoiner expressions = new StringJoiner(", ");
    for (String column : spec.primaryKey()) {
      expressions.add("(COALESCE(" + quote(column) + ", " + nullStandIn(spec.keyType(column)) + "))");
      expressions.add("(" + quote(column) + " IS NULL)");
    }
    return Optional.of("CREATE INDEX IF NOT EXISTS " + quote(keyIndexName(spec).orElseThrow()) + " ON "
        + qualified(spec.target()) + " (" + expressions + ")");
  }

  /** SQLSTATE 42501 insufficient_privilege, which is also what indexing a table one does not own gives. */
  @Override
  public boolean isInsufficientPrivilege(SQLException failure) {
    return "42501".equals(failure.getSQLState());
  }

  @Override
  public Optional<String> analyzeTable(TableName table) {
    return Optional.of("ANALYZE " + qualified(table));
  }

  @Override
  public Optional<String> selectKeyIndexes() {
    return Optional.of("SELECT indexname FROM pg_catalog.pg_indexes WHERE schemaname = ? AND tablename = ?"
        + " AND indexname LIKE '%" + KEY_INDEX_MARK.replace("_", "\\_") + "________'");
  }

  /** A constant of the key column's type that stands for NULL in the key match (any value of the type does). */
  private String nullStandIn(AirbyteType type) {
    String ddl = columnType(type);
    String text = switch (ddl) {
      case "varchar" -> "";
      case "bigint", "numeric" -> "0";
      case "boolean" -> "false";
      case "date" -> "1970-01-01";
      case "timestamptz" -> "1970-01-01 00:00:00+00";
      case "timestamp" -> "1970-01-01 00:00:00";
      case "timetz" -> "00:00:00+00";
      case "time" -> "00:00:00";
      case "jsonb" -> "null";
      default -> throw new IllegalArgumentException("no NULL stand-in for key type " + ddl);
    };
    return "CAST('" + text + "' AS " + ddl + ")";
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, KEY_INDEX_HASH_CHARS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** The longest prefix of {@code text} within {@code maxBytes} of UTF-8, never splitting a character. */
  private static String truncateUtf8(String text, int maxBytes) {
    int end = text.length();
    while (text.substring(0, end).getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      end = Character.isLowSurrogate(text.charAt(end - 1)) && end > 1 ? end - 2 : end - 1;
    }
    return text.substring(0, end);
  }

  /** Bulk load in COPY's text format (tab-separated, {@code \N} for NULL) from the client. */
  public String copyFromStdin(TableName table, List<String> columns) {
    return copyFromStdin(table, columns, false);
  }

  /** Bulk load from the client in COPY's binary format, or its text format. */
  public String copyFromStdin(TableName table, List<String> columns, boolean binary) {
    StringJoiner names = new StringJoiner(", ", " (", ")");
    for (String column : columns) {
      names.add(quote(column));
    }
    return "COPY " + qualified(table) + names + " FROM STDIN (FORMAT " + (binary ? "binary" : "text") + ")";
  }

  /**
   * Raw ids are {@code varchar}: their text compares byte-wise ({@code COLLATE "C"}), which is the
   * ids' order whatever the database's collation.
   */
  @Override
  public String deleteRawIdRange(TableName table) {
    return "DELETE FROM " + qualified(table) + " WHERE " + quote(MetaColumns.RAW_ID) + " COLLATE \"C\" BETWEEN ? AND ?";
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private String cascade() {
    return dropCascade ? " CASCADE" : "";
  }
}
