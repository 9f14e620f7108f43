package io.destkit.duckdb;

import io.destkit.core.naming.IdentifierRules;
import java.util.Set;

/** How the DuckDB destination names tables and columns. */
public final class DuckDbIdentifiers {
  private static final Set<String> RESERVED = Set.of(
      // duckdb_keywords() category 'reserved' (DuckDB 1.4)
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
      "cast", "check", "collate", "column", "constraint", "create", "default", "deferrable", "desc",
      "describe", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from",
      "group", "having", "in", "initially", "intersect", "into", "lambda", "lateral", "leading", "limit",
      "not", "null", "offset", "on", "only", "or", "order", "pivot", "pivot_longer", "pivot_wider",
      "placing", "primary", "qualify", "references", "returning", "select", "show", "some", "summarize",
      "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "unpivot", "using",
      "variadic", "when", "where", "window", "with",
      // category 'type_function' (not usable as a column/table name unquoted)
      "anti", "asof", "at", "authorization", "binary", "by", "collation", "columns", "concurrently",
      "cross", "freeze", "full", "generated", "glob", "ilike", "inner", "is", "isnull", "join", "left",
      "like", "map", "natural", "notnull", "outer", "overlaps", "positional", "right", "semi", "similar",
      "struct", "tablesample", "try_cast", "unpack", "verbose",
      // SQL-standard / PostgreSQL words kept out for portability
      "user", "groups", "grant", "current_user", "session_user", "current_role", "current_date",
      "current_time", "current_timestamp", "localtime", "localtimestamp");

  private DuckDbIdentifiers() {}

  /** 255 bytes, lower case, DuckDB's reserved keywords plus a few SQL-standard ones prefixed with {@code _}. */
  public static IdentifierRules rules() {
    return new IdentifierRules(255, true, RESERVED);
  }
}
