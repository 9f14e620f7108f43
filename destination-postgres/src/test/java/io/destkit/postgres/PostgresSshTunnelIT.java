package io.destkit.postgres;

import static io.destkit.testkit.e2e.DatabaseReader.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import io.destkit.testkit.e2e.ProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.postgres.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged connector through an SSH tunnel: a real SSH server in the test JVM ({@link
 * SshBastion}) forwards the process's connections to the testkit's PostgreSQL. Checks and writes
 * with a key and with a password, the login failures as config errors naming the field, and no key
 * line or password on stdout or stderr.
 */
class PostgresSshTunnelIT extends ProcessSuite<PostgresConfig> {
  private static SshBastion bastion;

  @BeforeAll
  static void startBastion() {
    bastion = SshBastion.start();
  }

  @AfterAll
  static void stopBastion() {
    bastion.close();
  }

  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  private ObjectNode withTunnel(ObjectNode tunnel) {
    ObjectNode config = configJson(MAIN);
    config.set("tunnel_method", tunnel);
    return config;
  }

  private ObjectNode tunnel(String method) {
    return method.equals("SSH_KEY_AUTH") ? bastion.keyAuth() : bastion.passwordAuth(SshBastion.PASSWORD);
  }

  private static JsonNode status(Result check) {
    assertThat(check.ofType("CONNECTION_STATUS")).as("stderr: %s", check.stderr()).hasSize(1);
    return check.ofType("CONNECTION_STATUS").get(0).path("connectionStatus");
  }

  private static String logs(Result result) {
    return result.ofType("LOG").stream().map(m -> m.path("log").path("message").asText()).reduce("", String::concat);
  }

  /** No secret, nor a line of the key, on stdout or stderr. */
  private static void assertNoSecretIn(Result result, String... secrets) {
    String output = result.messages().toString() + result.stderr();
    for (String secret : secrets) {
      assertThat(output).doesNotContain(secret.strip());
      for (String line : secret.split("\n")) {
        if (line.length() >= 8 && !line.startsWith("-----")) {
          assertThat(output).doesNotContain(line.strip());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"SSH_KEY_AUTH", "SSH_PASSWORD_AUTH"})
  void checkAndWriteGoThroughTheTunnel(String method) {
    int before = bastion.forwards().size();
    Path config = writeConfig(withTunnel(tunnel(method)));

    Result check = run("--check", "--config", config.toString()).assertSucceeded();
    assertThat(status(check).path("status").asText()).as("%s", status(check)).isEqualTo("SUCCEEDED");
    assertThat(logs(check)).contains(bastion.hostKeyFingerprint(), "host keys are not verified");

    Path messages = fixture("users_messages.jsonl");
    Result write = writeWithConfig(config, fixture("users_catalog.json"), messages)
        .assertSucceeded().assertStatesEchoedFrom(messages);
    assertThat(logs(write)).contains(bastion.hostKeyFingerprint(), "SSH tunnel open");

    List<SshdSocketAddress> forwarded = bastion.forwards().subList(before, bastion.forwards().size());
    assertThat(forwarded).isNotEmpty()
        .containsOnly(new SshdSocketAddress(PostgresServer.HOST, PostgresTarget.server().port()));
    assertThat(db().query("SELECT id, name FROM main.users ORDER BY id"))
        .startsWith(row("id", 1L, "name", "Ann"), row("id", 2L, "name", "Bob"));
    assertNoSecretIn(check, bastion.privateKey(), SshBastion.PASSWORD);
    assertNoSecretIn(write, bastion.privateKey(), SshBastion.PASSWORD);
    // The tunnel closes after the pool's last bytes have passed: no warning of a cut connection.
    assertThat(check.stderr()).doesNotContain("WARN");
    assertThat(write.stderr()).doesNotContain("WARN");
  }

  @Test
  void aKeyTheServerDoesNotAuthorizeIsAConfigErrorNamingSshKey() {
    String wrong = SshBastion.openSsh(SshBastion.generate("RSA", 2048), null);
    Path config = writeConfig(withTunnel(bastion.keyAuth(wrong)));

    Result check = run("--check", "--config", config.toString()).assertSucceeded();
    assertThat(status(check).path("status").asText()).isEqualTo("FAILED");
    assertThat(status(check).path("message").asText()).contains("'tunnel_method.ssh_key'", "refused the login");

    Result write = writeWithConfig(config, fixture("users_catalog.json"), fixture("users_messages.jsonl"));
    assertThat(write.assertFailedWith("config_error")).contains("'tunnel_method.ssh_key'");
    assertNoSecretIn(check, wrong, bastion.privateKey());
    assertNoSecretIn(write, wrong, bastion.privateKey());
  }

  @Test
  void aKeyThatCannotBeReadIsAConfigErrorThatShowsNoLineOfIt() {
    String broken = bastion.privateKey().replaceFirst("\n[A-Za-z0-9+/]{20}", "\nnot-base64-at-all!!!");
    Path config = writeConfig(withTunnel(bastion.keyAuth(broken)));

    Result check = run("--check", "--config", config.toString()).assertSucceeded();

    assertThat(status(check).path("message").asText()).contains("field 'tunnel_method.ssh_key'");
    assertNoSecretIn(check, broken, bastion.privateKey());
  }

  @Test
  void aWrongPasswordIsAConfigErrorNamingThePasswordField() {
    String wrong = "Wr0ng-tunnel-pass";
    Path config = writeConfig(withTunnel(bastion.passwordAuth(wrong)));

    Result check = run("--check", "--config", config.toString()).assertSucceeded();
    assertThat(status(check).path("status").asText()).isEqualTo("FAILED");
    assertThat(status(check).path("message").asText()).contains("'tunnel_method.tunnel_user_password'");

    Result write = writeWithConfig(config, fixture("users_catalog.json"), fixture("users_messages.jsonl"));
    assertThat(write.assertFailedWith("config_error")).contains("'tunnel_method.tunnel_user_password'");
    assertNoSecretIn(check, wrong);
    assertNoSecretIn(write, wrong);
  }

  @Test
  void anSshPortThatRefusesIsAConfigErrorNamingTunnelHost() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path config = writeConfig(withTunnel(bastion.keyAuth().put("tunnel_port", closed)));

    Result check = run("--check", "--config", config.toString()).assertSucceeded();

    assertThat(status(check).path("status").asText()).isEqualTo("FAILED");
    assertThat(status(check).path("message").asText()).contains("'tunnel_method.tunnel_host'", ":" + closed);
    assertNoSecretIn(check, bastion.privateKey());
  }
}
