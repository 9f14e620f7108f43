package io.destkit.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The PostgreSQL destination's config, with the field names of Airbyte's Postgres destination.
 * {@code toString} never shows the password or a certificate.
 *
 * @param schema the schema of streams without a namespace
 * @param jdbcUrlParams extra pgjdbc connection properties, in the order given
 * @param rawDataSchema the schema of the temp tables
 * @param dropCascade whether tables are dropped with CASCADE
 * @param dropRemovedColumns whether a complete sync drops the columns its stream no longer has
 * @param unconstrainedNumber Airbyte's {@code unconstrained_number}; numbers are unconstrained
 *     {@code numeric} columns either way, so it changes nothing here
 * @param tunnelMethod how the connection reaches {@code host}: directly or through an SSH tunnel
 * @param rawTablesOnly Airbyte's {@code disable_type_dedupe}: each record as JSON in a raw table of
 *     {@code raw_data_schema}, no typed final tables
 * @param lowerCaseNames {@code identifier_case} {@code lower}: names lower-cased, reserved words
 *     prefixed; else ({@code keep}) Airbyte's destination-postgres names
 */
public record PostgresConfig(
    String host,
    int port,
    String database,
    String schema,
    String username,
    Optional<String> password,
    SslMode sslMode,
    Map<String, String> jdbcUrlParams,
    String rawDataSchema,
    CdcDeletionMode cdcDeletionMode,
    boolean dropCascade,
    boolean dropRemovedColumns,
    boolean unconstrainedNumber,
    TunnelMethod tunnelMethod,
    boolean rawTablesOnly,
    boolean lowerCaseNames) {

  public static final int DEFAULT_PORT = 5432;
  public static final String DEFAULT_SCHEMA = "public";
  public static final String DEFAULT_RAW_DATA_SCHEMA = "airbyte_internal";

  /** pgjdbc properties the config's own fields set; jdbc_url_params may not set them. */
  private static final Set<String> OWN_PROPERTIES =
      Set.of("user", "password", "ssl", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword");

  public PostgresConfig {
    jdbcUrlParams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(jdbcUrlParams));
  }

  /** Binds a config that passed the spec's validation. */
  public static PostgresConfig from(JsonNode json) {
    String password = json.path("password").asText("");
    return new PostgresConfig(
        json.path("host").asText().trim(),
        json.path("port").asInt(DEFAULT_PORT),
        json.path("database").asText(),
        orDefault(json.path("schema").asText(""), DEFAULT_SCHEMA),
        json.path("username").asText(),
        password.isEmpty() ? Optional.empty() : Optional.of(password),
        sslMode(json),
        parseJdbcUrlParams(json.path("jdbc_url_params").asText("")),
        orDefault(json.path("raw_data_schema").asText(""), DEFAULT_RAW_DATA_SCHEMA),
        CdcDeletionMode.fromWire(json.path("cdc_deletion_mode").asText(CdcDeletionMode.HARD_DELETE.wireName())),
        json.path("drop_cascade").asBoolean(false),
        json.path("drop_removed_columns").asBoolean(false),
        json.path("unconstrained_number").asBoolean(false),
        TunnelMethod.from(json.get("tunnel_method")),
        json.path("disable_type_dedupe").asBoolean(false),
        "lower".equals(json.path("identifier_case").asText("keep")));
  }

  /**
   * {@code ssl_mode} when given; else, as Airbyte's destination does, {@code require} when {@code ssl}
   * is true; else {@code prefer}. Unlike Airbyte, {@code "ssl": false} does not discard a given
   * {@code ssl_mode}: a chosen verification is never silently dropped.
   */
  private static SslMode sslMode(JsonNode json) {
    JsonNode mode = json.get("ssl_mode");
    boolean given = mode != null && !mode.isNull() && !mode.isMissingNode();
    if (!given && json.path("ssl").asBoolean(false)) {
      return new SslMode.Require();
    }
    return SslMode.from(mode);
  }

  /** Parses {@code key1=value1&key2=value2}; empty pairs are skipped; a value may contain '='. */
  static Map<String, String> parseJdbcUrlParams(String text) {
    Map<String, String> params = new LinkedHashMap<>();
    String[] pairs = text.trim().split("&");
    for (int i = 0; i < pairs.length; i++) {
      String pair = pairs[i];
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        // The field is secret: the message counts the pairs rather than quoting one.
        throw new ConfigErrorException(
            "field 'jdbc_url_params': pair " + (i + 1) + " (counting from 1, split at '&') is not a key=value"
                + " pair. Write the parameters as key1=value1&key2=value2.");
      }
      String key = pair.substring(0, equals).trim();
      if (OWN_PROPERTIES.contains(key.toLowerCase(Locale.ROOT))) {
        throw new ConfigErrorException(
            "field 'jdbc_url_params' sets '" + key + "', which " + ownerOf(key) + " sets; remove it from"
                + " jdbc_url_params.");
      }
      params.put(key, pair.substring(equals + 1));
    }
    return params;
  }

  private static String ownerOf(String key) {
    return switch (key.toLowerCase(Locale.ROOT)) {
      case "user" -> "the field 'username'";
      case "password" -> "the field 'password'";
      default -> "the field 'ssl_mode'";
    };
  }

  private static String orDefault(String value, String fallback) {
    return value.isBlank() ? fallback : value;
  }

  @Override
  public String toString() {
    return "PostgresConfig[host=" + host + ", port=" + port + ", database=" + database + ", schema=" + schema
        + ", username=" + username + ", password=" + password.map(p -> "****").orElse("none")
        + ", sslMode=" + sslMode + ", jdbcUrlParams=" + jdbcUrlParams.keySet() + ", rawDataSchema=" + rawDataSchema
        + ", cdcDeletionMode=" + cdcDeletionMode + ", dropCascade=" + dropCascade
        + ", dropRemovedColumns=" + dropRemovedColumns + ", unconstrainedNumber=" + unconstrainedNumber
        + ", tunnelMethod=" + tunnelMethod + ", rawTablesOnly=" + rawTablesOnly
        + ", lowerCaseNames=" + lowerCaseNames + "]";
  }
}
