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
 * What a database allows in an identifier, and how source names become identifiers; each
 * destination supplies one.
 *
 * @param maxLengthBytes longest identifier in UTF-8 bytes (63 for PostgreSQL, 255 for DuckDB); at least
 *     {@value #MIN_LENGTH_BYTES}
 * @param lowerCase whether names are folded to lower case
 * @param reservedWords words that get a leading underscore; matched case-insensitively (stored lower-cased)
 * @param style how names are cleaned, cut and told apart: {@link Style#DESTKIT} or Airbyte's
 *     {@link Style#AIRBYTE}
 */
public record IdentifierRules(int maxLengthBytes, boolean lowerCase, Set<String> reservedWords, Style style) {

  /** How source names become identifiers. */
  public enum Style {
    /**
     * Accents removed, every other character outside {@code [A-Za-z0-9_]} becomes {@code _},
     * optionally lower-cased; a leading digit, an empty name or a reserved word gets a leading
     * {@code _}; a name over the limit is cut and ends with {@code _} and 8 hex digits of the
     * SHA-256 of the source name. Names that differ only in case are the same name (for databases
     * that fold case). Temp tables are {@code <table>_airbyte_tmp}.
     */
    DESTKIT,
    /**
     * The rules of Airbyte's Direct Load destinations (destination-postgres 3.x), so that tables
     * and columns they wrote keep their names: accents removed, each run of white space becomes one
     * {@code _} and every other character outside {@code [A-Za-z0-9_]} one {@code _}; case kept; no
     * reserved-word prefix (every identifier is quoted); a leading digit gets a {@code _}; a name
     * over the limit keeps its first {@code limit - 9} characters, then {@code _} and the last 8
     * characters of the decimal {@link String#hashCode()} of the cleaned name. An empty name
     * becomes {@code _} (Airbyte's is random, so a new table every sync). Table names are
     * case-sensitive (for databases whose quoted identifiers are, such as PostgreSQL); column
     * names that differ only in case collide. Temp tables are named from the first and last 8
     * characters of namespace and table and 32 hex digits of a SHA-256.
     */
    AIRBYTE
  }

  /** Rules of the {@link Style#DESTKIT} style. */
  public IdentifierRules(int maxLengthBytes, boolean lowerCase, Set<String> reservedWords) {
    this(maxLengthBytes, lowerCase, reservedWords, Style.DESTKIT);
  }

  /**
   * Smallest allowed limit (Oracle's before 12.2): room for a cut name's hash and a temp table's
   * suffix together, so a temp name never loses its suffix.
   */
  public static final int MIN_LENGTH_BYTES = 30;

  /** Length of the hex hash appended to truncated names. */
  static final int HASH_CHARS = 8;

  private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern WHITE_SPACE_RUNS = Pattern.compile("\\s+");
  private static final Pattern NOT_ALPHANUMERIC_OR_UNDERSCORE = Pattern.compile("[^A-Za-z0-9_]");

  /** Characters an {@link Style#AIRBYTE} name keeps of its hash. */
  private static final int AIRBYTE_HASH_CHARS = 8;

  /** Validates and copies; reserved words are stored lower-cased. */
  public IdentifierRules {
    if (maxLengthBytes < MIN_LENGTH_BYTES) {
      throw new IllegalArgumentException(
          "maxLengthBytes must be >= " + MIN_LENGTH_BYTES + " but was " + maxLengthBytes);
    }
    Objects.requireNonNull(reservedWords, "reservedWords");
    Objects.requireNonNull(style, "style");
    reservedWords = reservedWords.stream()
        .map(w -> Objects.requireNonNull(w, "reserved word").toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Rules of the {@link Style#AIRBYTE} style: case kept, no reserved-word prefix (every identifier is
   * quoted), names cut at {@code maxLengthBytes}.
   */
  public static IdentifierRules airbyte(int maxLengthBytes) {
    return new IdentifierRules(maxLengthBytes, false, Set.of(), Style.AIRBYTE);
  }

  /**
   * Whether two identifiers that differ only in case name different tables: true for the {@link
   * Style#AIRBYTE} style, whose databases keep the case of quoted names.
   */
  public boolean tableNamesCaseSensitive() {
    return style == Style.AIRBYTE;
  }

  /**
   * The name Airbyte gives a stream's raw table: {@code namespace + "_raw" + separator + "stream_" +
   * name}, the separator one underscore longer than the longest run of underscores in namespace and
   * name together (at least two), so that no two streams share one.
   */
  public static String airbyteRawTableName(String namespace, String name) {
    String both = namespace + name;
    int longest = 1;
    int run = 0;
    for (int i = 0; i < both.length(); i++) {
      run = both.charAt(i) == '_' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return namespace + "_raw" + "_".repeat(longest + 1) + "stream_" + name;
  }

  /**
   * Sanitizes one raw source name into a legal identifier, NOT yet made unique: NFKD-normalizes and drops
   * combining marks, replaces each code point outside {@code [A-Za-z0-9_]} with {@code _}, optionally
   * lower-cases, prefixes {@code _} to a leading digit, an empty result or a reserved word, and truncates
   * an over-long name, appending {@code _} and a hash of {@code raw} so it fits exactly.
   */
  public String sanitize(String raw) {
    if (style == Style.AIRBYTE) {
      return airbyteName(Objects.requireNonNull(raw, "raw"));
    }
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

  /** {@link #sanitize} in the {@link Style#AIRBYTE} style; the result is ASCII, so characters are bytes. */
  private String airbyteName(String raw) {
    String decomposed = COMBINING_MARKS.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKD)).replaceAll("");
    String name = NOT_ALPHANUMERIC_OR_UNDERSCORE.matcher(WHITE_SPACE_RUNS.matcher(decomposed).replaceAll("_"))
        .replaceAll("_");
    if (lowerCase) {
      name = name.toLowerCase(Locale.ROOT);
    }
    if (name.isEmpty()) {
      return "_";
    }
    if (Character.isDigit(name.charAt(0))) {
      name = "_" + name;
    }
    if (reservedWords.contains(name.toLowerCase(Locale.ROOT))) {
      name = "_" + name;
    }
    if (name.length() > maxLengthBytes) {
      String hash = Integer.toString(name.hashCode());
      hash = hash.substring(Math.max(0, hash.length() - AIRBYTE_HASH_CHARS));
      name = name.substring(0, maxLengthBytes - AIRBYTE_HASH_CHARS - 1) + "_" + hash;
    }
    return name;
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
