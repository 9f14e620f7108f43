package io.destkit.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.destkit.sql.ConnectionSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * A pool of connections to the configured PostgreSQL database: each flush takes its own, so
 * several COPYs run at once. The password travels as a connection property, never in the URL.
 * Failures are the driver's; {@link PostgresErrors} says which ones the user fixes.
 */
public final class PostgresDatabase implements ConnectionSource, AutoCloseable {
  /** Enough for a check, a test or a tool: a few statements at once. */
  static final int SMALL_POOL = 4;

  private final HikariDataSource pool;
  private final SslFiles sslFiles;

  private PostgresDatabase(HikariDataSource pool, SslFiles sslFiles) {
    this.pool = pool;
    this.sslFiles = sslFiles;
  }

  /** {@link #open(PostgresConfig, int)} with a {@link #SMALL_POOL}. */
  public static PostgresDatabase open(PostgresConfig config) {
    return open(config, SMALL_POOL);
  }

  /**
   * Opens a pool of at most {@code poolSize} connections, one made at once, so a wrong host or
   * password fails here.
   */
  public static PostgresDatabase open(PostgresConfig config, int poolSize) {
    SslFiles sslFiles = SslFiles.write(config.sslMode());
    try {
      HikariConfig hikari = new HikariConfig();
      hikari.setPoolName("destination-postgres");
      hikari.setDriverClassName("org.postgresql.Driver");
      hikari.setJdbcUrl(jdbcUrl(config));
      hikari.setUsername(config.username());
      config.password().ifPresent(hikari::setPassword);
      hikari.setDataSourceProperties(connectionProperties(config, sslFiles));
      hikari.setMaximumPoolSize(poolSize);
      hikari.setMinimumIdle(1);
      return new PostgresDatabase(new HikariDataSource(hikari), sslFiles);
    } catch (RuntimeException e) {
      try {
        sslFiles.close();
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** The most connections the pool opens. */
  int maximumPoolSize() {
    return pool.getMaximumPoolSize();
  }

  /** {@code jdbc:postgresql://host:port/database}, and nothing else: every setting is a property. */
  static String jdbcUrl(PostgresConfig config) {
    String host = config.host().contains(":") && !config.host().startsWith("[") ? "[" + config.host() + "]" : config.host();
    return "jdbc:postgresql://" + host + ":" + config.port() + "/"
        + URLEncoder.encode(config.database(), StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The SSL settings and the jdbc_url_params, as pgjdbc properties (user and password are the pool's). */
  static Properties connectionProperties(PostgresConfig config, SslFiles sslFiles) {
    Properties properties = new Properties();
    properties.setProperty("ApplicationName", "destination-postgres");
    properties.setProperty("tcpKeepAlive", "true");
    for (Map.Entry<String, String> param : config.jdbcUrlParams().entrySet()) {
      properties.setProperty(param.getKey(), param.getValue());
    }
    properties.putAll(sslFiles.properties());
    return properties;
  }

  @Override
  public Connection open() throws SQLException {
    return pool.getConnection();
  }

  /** The server's major version (e.g. 16), as the driver reports it. */
  public int serverMajorVersion() throws SQLException {
    try (Connection connection = open()) {
      return connection.getMetaData().getDatabaseMajorVersion();
    }
  }

  @Override
  public void close() {
    try {
      pool.close();
    } finally {
      sslFiles.close();
    }
  }
}
