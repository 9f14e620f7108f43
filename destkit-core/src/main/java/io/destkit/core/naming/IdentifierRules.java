package io.destkit.core.naming;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a database allows in an identifier; each destination supplies one.
 *
 * @param maxLengthBytes longest identifier in UTF-8 bytes (63 for PostgreSQL, 255 for DuckDB); at least
 *     {@value #MIN_LENGTH_BYTES}
 * @param lowerCase whether names are folded to lower case
 * @param reservedWords words that get a leading underscore; matched case-insensitively (stored lower-cased)
 */
public record IdentifierRules(int maxLengthBytes, boolean lowerCase, Set<String> reservedWords) {

  /**
   * Smallest allowed limit (Oracle's before 12.2): room for a cut name's hash and a temp table's
   * suffix together, so a temp name never loses its suffix.
   */
  public static final int MIN_LENGTH_BYTES = 30;

  /** Length of the hex hash appended to truncated names. */
  static final int HASH_CHARS = 8;

  private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

  private static final Set<String> DUCKDB_RESERVED = Set.of(
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

  private static final Set<String> POSTGRES_RESERVED = Set.of(
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

  /** Validates and copies; reserved words are stored lower-cased. */
  public IdentifierRules {
    if (maxLengthBytes < MIN_LENGTH_BYTES) {
      throw new IllegalArgumentException(
          "maxLengthBytes must be >= " + MIN_LENGTH_BYTES + " but was " + maxLengthBytes);
    }
    Objects.requireNonNull(reservedWords, "reservedWords");
    reservedWords = reservedWords.stream()
        .map(w -> Objects.requireNonNull(w, "reserved word").toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** DuckDB: 255 bytes, lower case, DuckDB's reserved keywords plus a few SQL-standard ones. */
  public static IdentifierRules duckDb() {
    return new IdentifierRules(255, true, DUCKDB_RESERVED);
  }

  /**
   * PostgreSQL: 63 bytes (NAMEDATALEN - 1; longer names would be cut by the server), lower case
   * (what unquoted names fold to, as Airbyte's Postgres destination does), PostgreSQL's reserved
   * key words.
   */
  public static IdentifierRules postgres() {
    return new IdentifierRules(63, true, POSTGRES_RESERVED);
  }

  /**
   * Sanitizes one raw source name into a legal identifier, NOT yet made unique: NFKD-normalizes and drops
   * combining marks, replaces each code point outside {@code [A-Za-z0-9_]} with {@code _}, optionally
   * lower-cases, prefixes {@code _} to a leading digit, an empty result or a reserved word, and truncates
   * an over-long name, appending {@code _} and a hash of {@code raw} so it fits exactly.
   */
  public String sanitize(String raw) {
    String name = legal(Objects.requireNonNull(raw, "raw"));
    if (Utf8.length(name) > maxLengthBytes) {
      name = Utf8.truncate(name, maxLengthBytes - HASH_CHARS - 1) + "_" + shortHash(raw);
    }
    return name;
  }

  /**
   * {@link #sanitize} of {@code raw + suffix}, except that an over-long name is cut before the
   * suffix (with {@code _} and a hash of {@code raw} there), so the result always ends with the
   * whole suffix.
   *
   * @param suffix lower-case letters, digits and underscores
   */
  public String sanitizeWithSuffix(String raw, String suffix) {
    Objects.requireNonNull(raw, "raw");
    if (!suffix.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      throw new IllegalArgumentException("suffix must be lower-case letters, digits and underscores: " + suffix);
    }
    String whole = legal(raw + suffix);
    if (Utf8.length(whole) <= maxLengthBytes) {
      return whole;
    }
    int room = Math.max(0, maxLengthBytes - Utf8.length(suffix) - HASH_CHARS - 1);
    return Utf8.truncate(legal(raw), room) + "_" + shortHash(raw) + suffix;
  }

  /** {@code identifier} followed by {@code tail}, its end cut (never within a code point) so the whole fits. */
  public String append(String identifier, String tail) {
    int room = Math.max(0, maxLengthBytes - Utf8.length(tail));
    return Utf8.truncate(identifier, room) + tail;
  }

  /** Everything {@link #sanitize} does but the truncation. */
  private String legal(String raw) {
    String decomposed = COMBINING_MARKS.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKD)).replaceAll("");
    StringBuilder sb = new StringBuilder(decomposed.length());
    decomposed.codePoints().forEach(cp -> sb.append(isLegal(cp) ? (char) cp : '_'));
    String name = sb.toString();
    if (lowerCase) {
      name = name.toLowerCase(Locale.ROOT);
    }
    if (name.isEmpty()) {
      name = "_";
    } else if (Character.isDigit(name.charAt(0))) {
      name = "_" + name;
    }
    if (reservedWords.contains(name.toLowerCase(Locale.ROOT))) {
      name = "_" + name;
    }
    return name;
  }

  private static boolean isLegal(int cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
  }

  /** First {@value #HASH_CHARS} hex chars of SHA-256 of the UTF-8 bytes of {@code raw}. */
  static String shortHash(String raw) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Utf8.bytes(raw));
      return HexFormat.of().formatHex(digest, 0, HASH_CHARS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e); // required by every JRE
    }
  }
}
