package io.destkit.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.destkit.core.write.SyncLog;
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
 * With an SSH {@code tunnel_method}, every connection goes through the pool's {@link SshTunnel}.
 * Failures are the driver's; {@link PostgresErrors} says which ones the user fixes.
 */
public final class PostgresDatabase implements ConnectionSource, AutoCloseable {
  /** Enough for a check, a test or a tool: a few statements at once. */
  static final int SMALL_POOL = 4;

  private final HikariDataSource pool;
  private final SslFiles sslFiles;
  private final SshTunnel tunnel;

  private PostgresDatabase(HikariDataSource pool, SslFiles sslFiles, SshTunnel tunnel) {
    this.pool = pool;
    this.sslFiles = sslFiles;
    this.tunnel = tunnel;
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
    return open(config, poolSize, SyncLog.NONE);
  }

  /** {@link #open(PostgresConfig, int)}, reporting the SSH tunnel (the server's host key) to {@code log}. */
  public static PostgresDatabase open(PostgresConfig config, int poolSize, SyncLog log) {
    SshTunnel tunnel = SshTunnel.open(config.tunnelMethod(), config.host(), config.port(), log);
    SslFiles sslFiles;
    try {
      sslFiles = SslFiles.write(config.sslMode());
    } catch (RuntimeException e) {
      tunnel.close();
      throw e;
    }
    try {
      HikariConfig hikari = new HikariConfig();
      hikari.setPoolName("destination-postgres");
      hikari.setDriverClassName("org.postgresql.Driver");
      hikari.setJdbcUrl(jdbcUrl(config, tunnel.host(), tunnel.port()));
      hikari.setUsername(config.username());
      config.password().ifPresent(hikari::setPassword);
      hikari.setDataSourceProperties(connectionProperties(config, sslFiles));
      hikari.setMaximumPoolSize(poolSize);
      hikari.setMinimumIdle(1);
      return new PostgresDatabase(new HikariDataSource(hikari), sslFiles, tunnel);
    } catch (RuntimeException e) {
      for (AutoCloseable resource : new AutoCloseable[] {sslFiles, tunnel}) {
        try {
          resource.close();
        } catch (Exception cleanup) {
          e.addSuppressed(cleanup);
        }
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
    return jdbcUrl(config, config.host(), config.port());
  }

  /** The URL of {@code config}'s database at {@code host}:{@code port} (a tunnel's local end). */
  static String jdbcUrl(PostgresConfig config, String host, int port) {
    String bracketed = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + bracketed + ":" + port + "/"
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
      try {
        sslFiles.close();
      } finally {
        tunnel.close();
      }
    }
  }
}
