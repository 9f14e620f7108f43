package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.destkit.protocol.MessageCodec;
import java.net.ServerSocket;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** The connections' sockets probe a silent server within minutes, and pgjdbc is told to use them. */
class KeepAliveSocketFactoryTest {
  private final KeepAliveSocketFactory factory = new KeepAliveSocketFactory();

  @Test
  void socketsProbeAfterAMinuteOfSilenceEveryTenSecondsAndGiveUpAfterSixProbes() throws Exception {
    try (ServerSocket server = new ServerSocket(0);
        Socket socket = factory.createSocket("localhost", server.getLocalPort())) {
      assertThat(socket.isConnected()).isTrue();
      assertThat(socket.getKeepAlive()).isTrue();
      assumeTrue(socket.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE), "TCP_KEEPIDLE on this system");
      assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(60);
      assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(10);
      assertThat(socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(6);
    }
  }

  @Test
  void pgjdbcConnectsThroughTheFactoryWithAConnectTimeoutAndNoSocketTimeout() {
    PostgresConfig config = PostgresConfig.from(MessageCodec.MAPPER.createObjectNode()
        .put("host", "h").put("database", "d").put("username", "u"));
    try (SslFiles ssl = SslFiles.write(config.sslMode())) {
      assertThat(PostgresDatabase.connectionProperties(config, ssl))
          .containsEntry("socketFactory", KeepAliveSocketFactory.class.getName())
          .containsEntry("connectTimeout", "10")
          .containsEntry("tcpKeepAlive", "true")
          .containsEntry("ApplicationName", PostgresDatabase.APPLICATION_NAME)
          .doesNotContainKey("socketTimeout");
    }
  }

  @Test
  void jdbcUrlParamsOverrideTheTimeouts() {
    PostgresConfig config = PostgresConfig.from(MessageCodec.MAPPER.createObjectNode()
        .put("host", "h").put("database", "d").put("username", "u")
        .put("jdbc_url_params", "connectTimeout=3&socketTimeout=600"));
    try (SslFiles ssl = SslFiles.write(config.sslMode())) {
      assertThat(PostgresDatabase.connectionProperties(config, ssl))
          .containsEntry("connectTimeout", "3")
          .containsEntry("socketTimeout", "600");
    }
  }
}
