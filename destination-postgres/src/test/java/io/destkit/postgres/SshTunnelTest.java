package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.write.SyncLog;
import io.destkit.protocol.MessageType;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.postgres.PostgresServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSH tunnel against a real SSH server in this JVM ({@link SshBastion}) and the testkit's real
 * PostgreSQL: checks through it with a key and with a password, every key format, and each login
 * failure as a config error naming the field to fix, with no secret in its message.
 */
class SshTunnelTest {
  private static SshBastion bastion;

  @TempDir Path directory;

  @BeforeAll
  static void startBastion() {
    bastion = SshBastion.start();
  }

  @AfterAll
  static void stopBastion() {
    bastion.close();
  }

  private static ObjectNode config(ObjectNode tunnel) {
    ObjectNode config = PostgresTarget.config(PostgresServer.DEFAULT_DATABASE, "ssh_tunnel_test")
        .put("raw_data_schema", "ssh_tunnel_test_raw");
    config.set("tunnel_method", tunnel);
    return config;
  }

  private static PostgresConfig bind(ObjectNode json) {
    PostgresDestination destination = new PostgresDestination();
    destination.specification().validate(json);
    return destination.bindConfig(json);
  }

  private static SshdSocketAddress database() {
    return new SshdSocketAddress(PostgresServer.HOST, PostgresTarget.server().port());
  }

  private ConnectorRun check(ObjectNode config) {
    return ConnectorRun.check(new PostgresDestination(), config, directory);
  }

  private static String status(ConnectorRun run) {
    return run.single(MessageType.CONNECTION_STATUS).json().path("connectionStatus").path("status").asText();
  }

  private static String statusMessage(ConnectorRun run) {
    return run.single(MessageType.CONNECTION_STATUS).json().path("connectionStatus").path("message").asText();
  }

  private static String logs(ConnectorRun run) {
    return run.messages(MessageType.LOG).stream().map(m -> m.json().path("log").path("message").asText())
        .reduce("", (a, b) -> a + b + "\n");
  }

  @Test
  void aCheckWithTheKeyGoesThroughTheTunnelAndLogsTheHostKeyFingerprint() {
    int before = bastion.forwards().size();

    ConnectorRun run = check(config(bastion.keyAuth()));

    assertThat(status(run)).as("stderr: %s", run.stderr()).isEqualTo("SUCCEEDED");
    assertThat(bastion.forwards().subList(before, bastion.forwards().size())).isNotEmpty().containsOnly(database());
    assertThat(logs(run)).contains(bastion.hostKeyFingerprint(), "ecdsa-sha2-nistp256", "not verified");
  }

  @Test
  void aCheckWithThePasswordGoesThroughTheTunnel() {
    int before = bastion.forwards().size();

    ConnectorRun run = check(config(bastion.passwordAuth(SshBastion.PASSWORD)));

    assertThat(status(run)).as("stderr: %s", run.stderr()).isEqualTo("SUCCEEDED");
    assertThat(bastion.forwards().subList(before, bastion.forwards().size())).isNotEmpty().containsOnly(database());
  }

  static Stream<Arguments> keyFormats() {
    KeyPair rsa = SshBastion.generate("RSA", 2048);
    KeyPair ec = SshBastion.generate("EC", 256);
    KeyPair ed25519 = SshBastion.ed25519();
    return Stream.of(
        Arguments.of("OpenSSH RSA", rsa, SshBastion.openSsh(rsa, null)),
        Arguments.of("PEM RSA (ssh-keygen -m PEM)", rsa, SshBastion.pkcs1(rsa)),
        Arguments.of("PKCS#8 RSA", rsa, SshBastion.pkcs8(rsa)),
        Arguments.of("PKCS#1 RSA with Windows line ends", rsa, SshBastion.pkcs1(rsa).replace("\n", "\r\n")),
        Arguments.of("OpenSSH ECDSA", ec, SshBastion.openSsh(ec, null)),
        Arguments.of("OpenSSH Ed25519", ed25519, SshBastion.openSsh(ed25519, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyFormats")
  void everyKeyFormatLogsIn(String format, KeyPair key, String text) throws Exception {
    try (SshBastion server = SshBastion.start(key, true);
        PostgresDatabase database = PostgresDatabase.open(bind(config(server.keyAuth(text))));
        Connection connection = database.open();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      assertThat(result.next()).isTrue();
      assertThat(server.forwards()).contains(database());
    }
  }

  @Test
  void anotherKeyIsAConfigErrorNamingSshKeyWithoutTheKey() {
    String wrong = SshBastion.openSsh(SshBastion.generate("RSA", 2048), null);

    ConnectorRun run = check(config(bastion.keyAuth(wrong)));

    assertThat(status(run)).isEqualTo("FAILED");
    assertThat(statusMessage(run)).contains("refused the login of user 'tunnel'", "'tunnel_method.ssh_key'",
        "authorized_keys");
    assertNoLineOf(wrong, run);
  }

  @Test
  void aWrongPasswordIsAConfigErrorNamingThePasswordField() {
    ConnectorRun run = check(config(bastion.passwordAuth("not-the-Passw0rd")));

    assertThat(status(run)).isEqualTo("FAILED");
    assertThat(statusMessage(run)).contains("refused the login", "'tunnel_method.tunnel_user_password'");
    assertThat(output(run)).doesNotContain("not-the-Passw0rd");
  }

  @Test
  void aRefusedSshPortIsAConfigErrorNamingTunnelHost() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    ConnectorRun run = check(config(bastion.keyAuth().put("tunnel_port", closed)));

    assertThat(status(run)).isEqualTo("FAILED");
    assertThat(statusMessage(run)).contains("Cannot connect to the SSH server 127.0.0.1:" + closed,
        "'tunnel_method.tunnel_host'", "'tunnel_method.tunnel_port'");
  }

  @Test
  void anUnknownSshHostIsAConfigErrorNamingTunnelHost() {
    ConnectorRun run = check(config(bastion.keyAuth().put("tunnel_host", "no-such-host.invalid")));

    assertThat(status(run)).isEqualTo("FAILED");
    assertThat(statusMessage(run)).contains("no-such-host.invalid", "'tunnel_method.tunnel_host'");
  }

  @Test
  void aDatabaseTheSshServerCannotReachIsAConfigErrorNamingHostAndPort() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ObjectNode unreachable = config(bastion.keyAuth()).put("port", closed);

    ConnectorRun run = check(unreachable);

    assertThat(status(run)).isEqualTo("FAILED");
    assertThat(statusMessage(run)).contains("cannot connect to localhost:" + closed, "'host' and 'port'");
  }

  @Test
  void aServerThatRefusesToForwardIsAConfigErrorSayingSo() {
    try (SshBastion noForwarding = SshBastion.start(bastion.authorizedKey(), false)) {
      ConnectorRun run = check(config(noForwarding.keyAuth()));

      assertThat(status(run)).isEqualTo("FAILED");
      assertThat(statusMessage(run)).contains("cannot connect to localhost:", "AllowTcpForwarding");
    }
  }

  @Test
  void aKeyThatIsNotAKeyIsAConfigErrorThatQuotesNoLineOfIt() {
    String garbage = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-this-is-not-a-key-QUJD\n"
        + "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0\n-----END OPENSSH PRIVATE KEY-----\n";

    ConnectorRun run = check(config(bastion.keyAuth(garbage)));

    assertThat(status(run)).isEqualTo("FAILED");
    assertThat(statusMessage(run)).contains("field 'tunnel_method.ssh_key' is not a private key");
    assertNoLineOf(garbage, run);
  }

  @Test
  void aKeyWithAPassphraseIsAConfigErrorSayingSo() {
    String openSsh = SshBastion.openSsh(bastion.authorizedKey(), "a passphrase");
    assertThatThrownBy(() -> SshTunnel.privateKeys(openSsh))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("'tunnel_method.ssh_key' is a private key protected by a passphrase");
    String pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n"
        + "-----END ENCRYPTED PRIVATE KEY-----\n";
    assertThatThrownBy(() -> SshTunnel.privateKeys(pem))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("protected by a passphrase");
  }

  @Test
  void closingTheTunnelClosesItsLocalPort() throws IOException {
    List<String> log = new ArrayList<>();
    SyncLog collect = (level, message) -> log.add(level + " " + message);
    TunnelMethod method = bind(config(bastion.keyAuth())).tunnelMethod();
    int port;
    try (SshTunnel tunnel = SshTunnel.open(method, PostgresServer.HOST, PostgresTarget.server().port(), collect)) {
      assertThat(tunnel.host()).isEqualTo("127.0.0.1");
      port = tunnel.port();
      try (Socket socket = new Socket("127.0.0.1", port)) {
        assertThat(socket.isConnected()).isTrue();
      }
    }
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    assertThat(log).anySatisfy(line -> assertThat(line).startsWith("INFO ").contains(bastion.hostKeyFingerprint()));
    assertThat(log).anySatisfy(line -> assertThat(line).contains("forwards 127.0.0.1:" + port + " to localhost:"));
  }

  @Test
  void noTunnelConnectsDirectly() {
    try (SshTunnel direct = SshTunnel.open(new TunnelMethod.NoTunnel(), "db.example.com", 6543, SyncLog.NONE)) {
      assertThat(direct.host()).isEqualTo("db.example.com");
      assertThat(direct.port()).isEqualTo(6543);
    }
  }

  private static String output(ConnectorRun run) {
    return run.messages().stream().map(m -> m.json().toString()).reduce("", String::concat) + run.stderr();
  }

  /** Neither the whole key nor any line of it on stdout or stderr. */
  private static void assertNoLineOf(String key, ConnectorRun run) {
    String output = output(run);
    for (String line : key.split("\n")) {
      if (!line.isBlank() && !line.startsWith("-----")) {
        assertThat(output).doesNotContain(line.strip());
      }
    }
  }
}
