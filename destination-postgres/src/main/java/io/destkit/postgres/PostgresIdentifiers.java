package io.destkit.postgres;

import io.destkit.core.naming.IdentifierRules;
import java.util.Set;

/**
 * How the PostgreSQL destination names tables and columns: 63 bytes at most (NAMEDATALEN - 1;
 * longer names would be cut by the server).
 */
public final class PostgresIdentifiers {
  static final int MAX_LENGTH_BYTES = 63;

  private static final Set<String> RESERVED = Set.of(
      // PostgreSQL's SQL Key Words appendix (PostgreSQL 18): category 'reserved'
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
      "cast", "check", "collate", "column", "constraint", "create", "current_catalog", "current_date",
      "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable",
      "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from",
      "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit",
      "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing",
      "primary", "references", "returning", "select", "session_user", "some", "symmetric",
      "system_user", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using",
      "variadic", "when", "where", "window", "with",
      // category 'reserved (can be function or type)'
      "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze",
      "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer",
      "overlaps", "right", "similar", "tablesample", "verbose");

  private PostgresIdentifiers() {}

  /** {@code identifier_case} {@code keep}: Airbyte's destination-postgres 3.x names (case kept, no reserved-word prefix). */
  public static IdentifierRules airbyte() {
    return IdentifierRules.airbyte(MAX_LENGTH_BYTES);
  }

  /**
   * {@code identifier_case} {@code lower}: names lower-cased (what unquoted names fold to, so
   * queries need no quotes), PostgreSQL's reserved key words prefixed with {@code _}.
   */
  public static IdentifierRules lowerCase() {
    return new IdentifierRules(MAX_LENGTH_BYTES, true, RESERVED);
  }
}
