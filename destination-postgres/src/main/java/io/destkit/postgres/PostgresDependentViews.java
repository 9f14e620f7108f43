package io.destkit.postgres;

import io.destkit.core.catalog.TableName;
import io.destkit.sql.DependentView;
import io.destkit.sql.DependentViews;
import io.destkit.sql.SqlDialect;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The views and materialized views that use a table's columns, read from PostgreSQL's catalog:
 * {@code pg_depend} records which columns each view's rewrite rule reads, and views on those views
 * follow. PostgreSQL refuses {@code ALTER COLUMN TYPE} (0A000) and {@code DROP COLUMN} (2BP01) on a
 * column a view uses, so these are dropped and recreated around such a change.
 */
final class PostgresDependentViews implements DependentViews {
  /** Parameters: schema, table, column names. Rows in creation order: a view after every view it reads. */
  static final String SELECT_VIEWS = """
      WITH RECURSIVE target AS (
        SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relname = ?),
      dependents (oid, depth) AS (
        SELECT r.ev_class, 1 FROM target t
        JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attname = ANY (?::text[])
        JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = t.oid
          AND d.refobjsubid = a.attnum AND d.classid = 'pg_catalog.pg_rewrite'::regclass
        JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
        WHERE r.ev_class <> t.oid
        UNION
        SELECT r.ev_class, v.depth + 1 FROM dependents v
        JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = v.oid
          AND d.classid = 'pg_catalog.pg_rewrite'::regclass
        JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
        WHERE r.ev_class <> v.oid)
      SELECT c.oid::bigint, c.relkind = 'm', n.nspname::text, c.relname::text, pg_catalog.pg_get_viewdef(c.oid),
        c.reloptions::text[], c.relispopulated, pg_catalog.pg_get_userbyid(c.relowner)::text,
        pg_catalog.pg_get_userbyid(c.relowner) = current_user, pg_catalog.pg_has_role(c.relowner, 'USAGE'),
        current_user::text, pg_catalog.quote_literal(pg_catalog.obj_description(c.oid, 'pg_class')),
        MAX(v.depth) AS depth
      FROM dependents v JOIN pg_catalog.pg_class c ON c.oid = v.oid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm')
      GROUP BY c.oid, n.nspname
      ORDER BY depth, c.oid""";

  /**
   * What else one view has, as rows of (kind, a, b, c): grants to roles other than its owner
   * (grantee, NULL for PUBLIC; privilege; grantable), column comments (column; literal), and whole
   * statements (indexes of a materialized view, triggers, rules). Parameter: the view's oid, five times.
   */
  static final String SELECT_DETAILS = """
      SELECT 'grant', CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END,
        a.privilege_type, a.is_grantable::text
      FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
      WHERE c.oid = ?::oid AND a.grantee <> c.relowner
      UNION ALL
      SELECT 'column comment', a.attname::text, pg_catalog.quote_literal(d.description), NULL
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::regclass
        AND d.objoid = a.attrelid AND d.objsubid = a.attnum
      WHERE a.attrelid = ?::oid AND a.attnum > 0
      UNION ALL
      SELECT 'statement', pg_catalog.pg_get_indexdef(i.indexrelid), NULL, NULL
      FROM pg_catalog.pg_index i WHERE i.indrelid = ?::oid
      UNION ALL
      SELECT 'statement', pg_catalog.pg_get_triggerdef(g.oid), NULL, NULL
      FROM pg_catalog.pg_trigger g WHERE g.tgrelid = ?::oid AND NOT g.tgisinternal
      UNION ALL
      SELECT 'statement', pg_catalog.pg_get_ruledef(r.oid), NULL, NULL
      FROM pg_catalog.pg_rewrite r WHERE r.ev_class = ?::oid AND r.rulename <> '_RETURN'""";

  private final SqlDialect dialect;

  PostgresDependentViews(SqlDialect dialect) {
    this.dialect = dialect;
  }

  @Override
  public List<DependentView> using(Connection connection, TableName table, Collection<String> columns)
      throws SQLException {
    List<DependentView> views = new ArrayList<>();
    if (columns.isEmpty()) {
      return views;
    }
    try (PreparedStatement statement = connection.prepareStatement(SELECT_VIEWS)) {
      statement.setString(1, table.namespace());
      statement.setString(2, table.name());
      Array names = connection.createArrayOf("text", columns.toArray());
      statement.setArray(3, names);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          views.add(read(connection, rows).saved(dialect));
        }
      }
    }
    return views;
  }

  private static PostgresView read(Connection connection, ResultSet row) throws SQLException {
    long oid = row.getLong(1);
    Array options = row.getArray(6);
    List<String> optionList = options == null ? List.of() : List.of((String[]) options.getArray());
    Map<String, String> columnComments = new LinkedHashMap<>();
    List<PostgresView.Grant> grants = new ArrayList<>();
    List<String> statements = new ArrayList<>();
    try (PreparedStatement details = connection.prepareStatement(SELECT_DETAILS)) {
      for (int i = 1; i <= 5; i++) {
        details.setLong(i, oid);
      }
      try (ResultSet rows = details.executeQuery()) {
        while (rows.next()) {
          switch (rows.getString(1)) {
            case "grant" -> grants.add(new PostgresView.Grant(
                Optional.ofNullable(rows.getString(2)), rows.getString(3), Boolean.parseBoolean(rows.getString(4))));
            case "column comment" -> columnComments.put(rows.getString(2), rows.getString(3));
            default -> statements.add(rows.getString(2));
          }
        }
      }
    }
    return new PostgresView(
        row.getString(3), row.getString(4), row.getBoolean(2), row.getString(5), optionList, row.getBoolean(7),
        row.getString(8), row.getBoolean(9), row.getBoolean(10), row.getString(11),
        Optional.ofNullable(row.getString(12)), columnComments, grants, statements);
  }
}
