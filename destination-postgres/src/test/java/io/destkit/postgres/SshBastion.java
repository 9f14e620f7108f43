package io.destkit.postgres;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;

/**
 * A real SSH server (Apache MINA SSHD) in the test JVM, on a free loopback port: it lets {@link
 * #USER} in with the authorized key or with {@link #PASSWORD}, and forwards TCP connections
 * (direct-tcpip) wherever they ask, recording each target. Its host key is generated, so tests know
 * its fingerprint.
 */
final class SshBastion implements AutoCloseable {
  static final String USER = "tunnel";
  static final String PASSWORD = "Tunn3l-pass-8b1d";

  private final SshServer server;
  private final KeyPair authorizedKey;
  private final KeyPair hostKey;
  private final List<SshdSocketAddress> forwards = new CopyOnWriteArrayList<>();

  private SshBastion(KeyPair authorizedKey, boolean forwarding) {
    this.authorizedKey = authorizedKey;
    this.hostKey = generate("EC", 256);
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(
        (user, key, session) -> user.equals(USER) && KeyUtils.compareKeys(key, authorizedKey.getPublic()));
    server.setPasswordAuthenticator((user, password, session) -> user.equals(USER) && password.equals(PASSWORD));
    TcpForwardingFilter tcp = new TcpForwardingFilter() {
      @Override
      public boolean canListen(SshdSocketAddress address, org.apache.sshd.common.session.Session session) {
        return false;
      }

      @Override
      public boolean canConnect(Type type, SshdSocketAddress address, org.apache.sshd.common.session.Session session) {
        forwards.add(address);
        return forwarding;
      }
    };
    server.setForwardingFilter(ForwardingFilter.asForwardingFilter(null, null, tcp));
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server that forwards, authorizing a fresh RSA key. */
  static SshBastion start() {
    return new SshBastion(generate("RSA", 2048), true);
  }

  /** A server that authorizes {@code key}; it refuses to forward unless {@code forwarding}. */
  static SshBastion start(KeyPair key, boolean forwarding) {
    return new SshBastion(key, forwarding);
  }

  int port() {
    return server.getPort();
  }

  KeyPair authorizedKey() {
    return authorizedKey;
  }

  /** The host key's fingerprint, as {@code ssh-keygen -l} prints it (SHA256:...). */
  String hostKeyFingerprint() {
    return KeyUtils.getFingerPrint(hostKey.getPublic());
  }

  /** The targets the server was asked to connect to, in order. */
  List<SshdSocketAddress> forwards() {
    return List.copyOf(forwards);
  }

  /** The sessions open now. */
  int activeSessions() {
    return server.getActiveSessions().size();
  }

  /** The authorized key's private half as OpenSSH text (-----BEGIN OPENSSH PRIVATE KEY-----). */
  String privateKey() {
    return openSsh(authorizedKey, null);
  }

  /** A tunnel_method for this server, as Airbyte's UI saves it, logging in with the authorized key. */
  com.fasterxml.jackson.databind.node.ObjectNode keyAuth() {
    return keyAuth(privateKey());
  }

  com.fasterxml.jackson.databind.node.ObjectNode keyAuth(String privateKey) {
    return io.destkit.protocol.MessageCodec.MAPPER.createObjectNode()
        .put("tunnel_method", "SSH_KEY_AUTH")
        .put("tunnel_host", "127.0.0.1")
        .put("tunnel_port", port())
        .put("tunnel_user", USER)
        .put("ssh_key", privateKey);
  }

  /** A tunnel_method for this server, as Airbyte's UI saves it, logging in with a password. */
  com.fasterxml.jackson.databind.node.ObjectNode passwordAuth(String password) {
    return io.destkit.protocol.MessageCodec.MAPPER.createObjectNode()
        .put("tunnel_method", "SSH_PASSWORD_AUTH")
        .put("tunnel_host", "127.0.0.1")
        .put("tunnel_port", port())
        .put("tunnel_user", USER)
        .put("tunnel_user_password", password);
  }

  static KeyPair generate(String algorithm, int size) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (size > 0) {
        generator.initialize(size);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An Ed25519 key pair of the provider MINA SSHD uses for them. */
  static KeyPair ed25519() {
    try {
      return org.apache.sshd.common.util.security.SecurityUtils.getKeyPairGenerator(
          org.apache.sshd.common.util.security.SecurityUtils.EDDSA).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code key} as OpenSSH private key text, encrypted with {@code passphrase} unless it is null. */
  static String openSsh(KeyPair key, String passphrase) {
    OpenSSHKeyEncryptionContext encryption = null;
    if (passphrase != null) {
      encryption = new OpenSSHKeyEncryptionContext();
      encryption.setCipherName("AES");
      encryption.setCipherType("256");
      encryption.setCipherMode("CTR");
      encryption.setPassword(passphrase);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", encryption, out);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** {@code key} as PKCS#8 PEM text (-----BEGIN PRIVATE KEY-----). */
  static String pkcs8(KeyPair key) {
    return pem("PRIVATE KEY", key.getPrivate().getEncoded());
  }

  /**
   * An RSA key as PKCS#1 PEM text (-----BEGIN RSA PRIVATE KEY-----, what {@code ssh-keygen -m PEM}
   * writes): the RSAPrivateKey structure inside the PKCS#8 encoding's OCTET STRING.
   */
  static String pkcs1(KeyPair rsa) {
    byte[] der = rsa.getPrivate().getEncoded();
    int[] at = {0};
    header(der, at, 0x30); // PrivateKeyInfo
    int version = header(der, at, 0x02);
    at[0] += version;
    int algorithm = header(der, at, 0x30);
    at[0] += algorithm;
    int length = header(der, at, 0x04); // privateKey
    return pem("RSA PRIVATE KEY", java.util.Arrays.copyOfRange(der, at[0], at[0] + length));
  }

  /** Reads a DER tag and length at {@code at}, moving past them; returns the content's length. */
  private static int header(byte[] der, int[] at, int tag) {
    if ((der[at[0]++] & 0xff) != tag) {
      throw new IllegalStateException("unexpected DER tag");
    }
    int first = der[at[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[at[0]++] & 0xff);
    }
    return length;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(key);
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
