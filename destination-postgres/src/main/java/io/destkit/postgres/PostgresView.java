package io.destkit.postgres;

import io.destkit.sql.DependentView;
import io.destkit.sql.SqlDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A view or materialized view as read from PostgreSQL's catalog, and the statements that drop it and
 * create it again as it was. Pure: the same view always gives the same statements.
 *
 * @param definition its query, as {@code pg_get_viewdef} gives it (names as the session's
 *     search_path shows them, so it is recreated in the session that read it)
 * @param options its {@code reloptions} ({@code check_option=local}, {@code security_barrier=true}, ...)
 * @param populated for a materialized view, whether it held data ({@code WITH DATA})
 * @param comment its comment as a SQL literal ({@code quote_literal}), if any
 * @param columnComments column name to comment as a SQL literal
 * @param grants privileges granted to roles other than its owner
 * @param statements whole statements PostgreSQL gave for what else it has: indexes of a
 *     materialized view ({@code pg_get_indexdef}), triggers, rules
 * @param ownedByCurrentUser whether the connector's user owns it
 * @param mayDrop whether the connector's user has its owner's privileges (owns it or is a member)
 */
record PostgresView(
    String schema,
    String name,
    boolean materialized,
    String definition,
    List<String> options,
    boolean populated,
    String owner,
    boolean ownedByCurrentUser,
    boolean mayDrop,
    String currentUser,
    Optional<String> comment,
    Map<String, String> columnComments,
    List<Grant> grants,
    List<String> statements) {

  /** One privilege on the view; {@code grantee} empty for PUBLIC. */
  record Grant(Optional<String> grantee, String privilege, boolean grantable) {}

  DependentView saved(SqlDialect dialect) {
    return new DependentView(schema + "." + name, drop(dialect), recreate(dialect), blocker(dialect));
  }

  private String kind() {
    return materialized ? "MATERIALIZED VIEW" : "VIEW";
  }

  private String qualified(SqlDialect dialect) {
    return dialect.quote(schema) + "." + dialect.quote(name);
  }

  String drop(SqlDialect dialect) {
    return "DROP " + kind() + " " + qualified(dialect);
  }

  /**
   * Create, comments, indexes, triggers and rules, the owner, then the grants: made after the owner
   * is back, they are the owner's grants (its member's grants count as the owner's), and a grant to
   * the connector's own user is not folded into the owner's privileges by the change of owner.
   */
  List<String> recreate(SqlDialect dialect) {
    String view = qualified(dialect);
    List<String> sql = new ArrayList<>();
    String with = options.isEmpty() ? "" : " WITH (" + String.join(", ", options) + ")";
    String create = "CREATE " + kind() + " " + view + with + " AS " + query();
    sql.add(materialized ? create + (populated ? " WITH DATA" : " WITH NO DATA") : create);
    comment.ifPresent(text -> sql.add("COMMENT ON " + kind() + " " + view + " IS " + text));
    columnComments.forEach((column, text) ->
        sql.add("COMMENT ON COLUMN " + view + "." + dialect.quote(column) + " IS " + text));
    sql.addAll(statements);
    if (!ownedByCurrentUser) {
      sql.add("ALTER " + kind() + " " + view + " OWNER TO " + dialect.quote(owner));
    }
    for (Grant grant : grants) {
      sql.add("GRANT " + grant.privilege() + " ON " + view + " TO "
          + grant.grantee().map(dialect::quote).orElse("PUBLIC") + (grant.grantable() ? " WITH GRANT OPTION" : ""));
    }
    return sql;
  }

  Optional<String> blocker(SqlDialect dialect) {
    if (mayDrop) {
      return Optional.empty();
    }
    return Optional.of("role " + currentUser + " may not drop it: it belongs to role " + owner + ", which "
        + currentUser + " is not a member of. Grant that role to the connector's user (GRANT " + dialect.quote(owner)
        + " TO " + dialect.quote(currentUser) + "), or drop the view and create it again after the sync.");
  }

  /** The definition without the semicolon {@code pg_get_viewdef} ends it with. */
  private String query() {
    String query = definition.strip();
    while (query.endsWith(";")) {
      query = query.substring(0, query.length() - 1).stripTrailing();
    }
    return query;
  }
}
