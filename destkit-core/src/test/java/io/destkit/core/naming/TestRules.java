package io.destkit.core.naming;

import java.util.Set;

/** Identifier rules for the kit's own tests, shaped like the destinations' (whose rules live in their modules). */
public final class TestRules {
  /** A few words every SQL database reserves. */
  public static final Set<String> RESERVED = Set.of("all", "from", "group", "groups", "order", "select", "table", "user", "when");

  private TestRules() {}

  /** Lower case, 255 bytes, {@link #RESERVED} prefixed: shaped like DuckDB's. */
  public static IdentifierRules lowerCase255() {
    return new IdentifierRules(255, true, RESERVED);
  }

  /** Lower case, 63 bytes, {@link #RESERVED} prefixed: shaped like PostgreSQL's {@code identifier_case lower}. */
  public static IdentifierRules lowerCase63() {
    return new IdentifierRules(63, true, RESERVED);
  }
}
