package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.testkit.ConnectorRun;
import io.destkit.testkit.SyncInput;
import io.destkit.testkit.TestCatalogs;
import io.destkit.testkit.Fixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify-full} against a real PostgreSQL server with SSL on: its certificate names {@code
 * localhost} and is signed by a test CA; the user {@value #USER} may only log in over SSL with a
 * client certificate of that CA ({@code hostssl ... cert}). The certificates are made with the
 * JDK's {@code keytool}. Directly and through an SSH tunnel, the server's certificate is checked
 * against the config's {@code host}, not against the tunnel's loopback end.
 */
class PostgresSslTest {
  private static final String USER = "tls_user";
  private static final String STORE_PASSWORD = "store-pass-1";

  private static Path certificates;
  private static EmbeddedPostgres server;
  private static SshBastion bastion;
  private static String caPem;
  private static String clientCertPem;
  private static String clientKeyPem;

  @TempDir Path directory;

  @BeforeAll
  static void startServer() throws Exception {
    certificates = Files.createTempDirectory("destkit-ssl-test-");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=DestKit Test CA",
        "-ext", "bc:c", "-validity", "2");
    caPem = keytool("-exportcert", "-alias", "ca", "-rfc");
    String serverCert = signed("server", "CN=localhost", "SAN=dns:localhost");
    clientCertPem = signed("client", "CN=" + USER, null);
    clientKeyPem = privateKeyPem("client");
    Path serverCrt = write("server.crt", serverCert + caPem);
    Path serverKey = write("server.key", privateKeyPem("server"));
    Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------"));
    Path caCrt = write("ca.crt", caPem);

    server = EmbeddedPostgres.builder()
        .setRegisterShutdownHook(true)
        .setServerConfig("ssl", "on")
        .setServerConfig("ssl_cert_file", serverCrt.toString())
        .setServerConfig("ssl_key_file", serverKey.toString())
        .setServerConfig("ssl_ca_file", caCrt.toString())
        .setServerConfig("fsync", "off")
        .setDataDirectoryCustomizer(data -> {
          try {
            // tls_user: SSL and a client certificate, nothing else. Everyone else as initdb set it.
            Path hbaFile = data.toPath().resolve("pg_hba.conf");
            String hba = Files.readString(hbaFile);
            Files.writeString(hbaFile, "hostssl all " + USER + " all cert\n"
                + "host all " + USER + " all reject\n" + hba);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .start();
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE " + USER + " LOGIN");
      statement.execute("GRANT CREATE ON DATABASE postgres TO " + USER);
    }
    bastion = SshBastion.start();
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (bastion != null) {
      bastion.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void verifyFullChecksAndWritesDirectly() throws Exception {
    ObjectNode config = config("localhost", caPem);

    assertThat(status(check(config))).isEqualTo("SUCCEEDED");
    assertWrites(config, "direct");
  }

  @Test
  void verifyFullThroughAnSshTunnelChecksTheCertificateAgainstTheConfiguredHost() throws Exception {
    ObjectNode config = config("localhost", caPem);
    config.set("tunnel_method", bastion.keyAuth());

    ConnectorRun run = check(config);

    assertThat(status(run)).as("message: %s; stderr: %s", message(run), run.stderr()).isEqualTo("SUCCEEDED");
    assertWrites(config, "tunnelled");
  }

  @Test
  void aHostTheCertificateDoesNotNameFailsVerifyFullThroughTheTunnelToo() {
    // 127.0.0.1 reaches the same server, but the certificate names only localhost.
    ObjectNode config = config("127.0.0.1", caPem);
    config.set("tunnel_method", bastion.keyAuth());

    ConnectorRun run = check(config);

    assertThat(status(run)).isEqualTo("FAILED");
    assertThat(message(run)).contains("ssl_mode");
  }

  @Test
  void aServerCertificateAnotherCaSignedFailsNamingSslMode() throws Exception {
    Path other = Files.createTempDirectory(directory, "other-ca");
    keytoolIn(other, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Another CA",
        "-ext", "bc:c", "-validity", "2");
    String otherCa = keytoolIn(other, "-exportcert", "-alias", "ca", "-rfc");

    ConnectorRun run = check(config("localhost", otherCa));

    assertThat(status(run)).isEqualTo("FAILED");
    assertThat(message(run)).contains("ssl_mode");
  }

  // ---- helpers

  private ObjectNode config(String host, String ca) {
    ObjectNode config = MessageCodec.MAPPER.createObjectNode()
        .put("host", host)
        .put("port", server.getPort())
        .put("database", "postgres")
        .put("schema", "ssl_test")
        .put("raw_data_schema", "ssl_test_raw")
        .put("username", USER);
    config.putObject("ssl_mode").put("mode", "verify-full").put("ca_certificate", ca)
        .put("client_certificate", clientCertPem).put("client_key", clientKeyPem);
    return config;
  }

  private ConnectorRun check(ObjectNode config) {
    return ConnectorRun.check(new PostgresDestination(), config, directory);
  }

  private void assertWrites(ObjectNode config, String name) throws Exception {
    StreamDescriptor stream = new StreamDescriptor(null, name);
    ObjectNode configured = TestCatalogs.stream(null, name,
        Fixtures.json("{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}}}"));
    ConnectorRun run = ConnectorRun.write(new PostgresDestination(), config, TestCatalogs.catalog(configured),
        new SyncInput().record(stream, 1000, MessageCodec.MAPPER.createObjectNode().put("id", 7)).complete(stream).text(),
        directory);
    assertThat(run.exitCode()).as("stdout %s; stderr %s", run.messages(), run.stderr()).isZero();
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM ssl_test.\"" + name + "\"")) {
      List<Long> ids = new ArrayList<>();
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
      assertThat(ids).containsExactly(7L);
    }
  }

  private static String status(ConnectorRun run) {
    return run.single(MessageType.CONNECTION_STATUS).json().path("connectionStatus").path("status").asText();
  }

  private static String message(ConnectorRun run) {
    return run.single(MessageType.CONNECTION_STATUS).json().path("connectionStatus").path("message").asText();
  }

  /** The certificate of a new key pair {@code alias}, signed by the CA, as PEM. */
  private static String signed(String alias, String dname, String san) throws Exception {
    keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname, "-validity", "2");
    keytool("-certreq", "-alias", alias, "-file", certificates.resolve(alias + ".csr").toString());
    List<String> args = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-rfc", "-validity", "2",
        "-infile", certificates.resolve(alias + ".csr").toString()));
    if (san != null) {
      args.addAll(List.of("-ext", san));
    }
    return keytool(args.toArray(String[]::new));
  }

  /** The private key of {@code alias} as PKCS#8 PEM. */
  private static String privateKeyPem(String alias) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(certificates.resolve("store.p12"))) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    Key key = store.getKey(alias, STORE_PASSWORD.toCharArray());
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(certificates.resolve(name), text);
  }

  private static String keytool(String... args) throws Exception {
    return keytoolIn(certificates, args);
  }

  /** Runs the JDK's keytool on the store of {@code folder}; returns its stdout. */
  private static String keytoolIn(Path folder, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-keystore", folder.resolve("store.p12").toString(), "-storetype", "PKCS12",
        "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD, "-noprompt"));
    Path errors = folder.resolve("keytool.err");
    Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + args[0] + " failed: " + out + Files.readString(errors));
    }
    return out;
  }
}
