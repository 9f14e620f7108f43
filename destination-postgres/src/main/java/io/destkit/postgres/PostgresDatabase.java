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
import org.postgresql.PGConnection;

/**
 * A pool of connections to the configured PostgreSQL database: each flush takes its own, so
 * several COPYs run at once. The password travels as a connection property, never in the URL.
 * With an SSH {@code tunnel_method}, every connection goes through the pool's {@link SshTunnel}.
 * Failures are the driver's; {@link PostgresErrors} says which ones the user fixes.
 */
public final class PostgresDatabase implements ConnectionSource, AutoCloseable {
  /** Enough for a check, a test or a tool: a few statements at once. */
  static final int SMALL_POOL = 4;
  /** How long a caller waits for a connection of the pool before it fails (transiently). */
  static final long CONNECTION_TIMEOUT_MILLIS = 30_000;
  /** How long opening a TCP connection to the server may take (pgjdbc's {@code connectTimeout}, seconds). */
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  /** The connections' {@code application_name}, as {@code pg_stat_activity} shows it. */
  public static final String APPLICATION_NAME = "destination-postgres";

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
      // The URL names the database's own host, through a tunnel too (its sockets go to the local
      // end), so that verify-full checks the certificate against that host.
      hikari.setJdbcUrl(jdbcUrl(config));
      hikari.setUsername(config.username());
      config.password().ifPresent(hikari::setPassword);
      Properties properties = connectionProperties(config, sslFiles);
      if (tunnel.forwarded()) {
        properties.setProperty("socketFactory", TunnelSocketFactory.class.getName());
        properties.setProperty(TunnelSocketFactory.LOCAL_END, tunnel.host() + ":" + tunnel.port());
      }
      hikari.setDataSourceProperties(properties);
      hikari.setMaximumPoolSize(poolSize);
      hikari.setMinimumIdle(1);
      hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
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

  /** The URL of {@code config}'s database at {@code host}:{@code port}. */
  static String jdbcUrl(PostgresConfig config, String host, int port) {
    String bracketed = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + bracketed + ":" + port + "/"
        + URLEncoder.encode(config.database(), StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * The timeouts, the SSL settings and the jdbc_url_params, as pgjdbc properties (user and password
   * are the pool's). No socket timeout: an upsert sends nothing back until it ends, however long that
   * takes; a dead server or network is found by TCP keepalive ({@link KeepAliveSocketFactory}),
   * and a bulk load that stops moving by the flush watchdog.
   */
  static Properties connectionProperties(PostgresConfig config, SslFiles sslFiles) {
    Properties properties = new Properties();
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("socketFactory", KeepAliveSocketFactory.class.getName());
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

  /**
   * Cancels the statement running on the connection on the server ({@code pg_cancel_backend}'s
   * request, so the server stops waiting on a lock at once), then aborts the connection on the
   * client side, so a thread blocked on a dead network is released too.
   */
  @Override
  public void cancel(Connection connection) throws SQLException {
    SQLException cancelFailure = null;
    try {
      connection.unwrap(PGConnection.class).cancelQuery();
    } catch (SQLException e) {
      cancelFailure = e;
    }
    try {
      connection.abort(Runnable::run);
    } catch (SQLException e) {
      if (cancelFailure != null) {
        e.addSuppressed(cancelFailure);
      }
      throw e;
    }
  }

  /** Hikari's soft eviction: idle connections close now, those in use when they come back. */
  @Override
  public void discardIdle() {
    pool.getHikariPoolMXBean().softEvictConnections();
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
