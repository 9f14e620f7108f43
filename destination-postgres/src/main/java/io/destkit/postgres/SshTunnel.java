package io.destkit.postgres;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.write.SyncLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Where the connections go: the database's own host and port, or the local end of an SSH tunnel
 * (a port forward through the {@code tunnel_method}'s SSH server to the database's host and port
 * as that server sees them). One SSH session carries every connection of the pool. The server's
 * host key is accepted whatever it is, as Airbyte's destinations do; its fingerprint is logged.
 * Failures the user fixes (the SSH server unreachable, the login refused, the database unreachable
 * from the SSH server) are {@link ConfigErrorException}s naming the field; none shows a secret.
 */
final class SshTunnel implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);
  /** A keep-alive request every 15 s; the session ends after 4 without an answer (a dead link). */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
  static final int HEARTBEATS_WITHOUT_REPLY = 4;
  /** At close, how long the connections' last bytes (pgjdbc's Terminate) may take to pass. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
  private static final String LOOPBACK = "127.0.0.1";

  private final String host;
  private final int port;
  private final SshClient client;
  private final OpenChannels channels;

  private SshTunnel(String host, int port, SshClient client, OpenChannels channels) {
    this.host = host;
    this.port = port;
    this.client = client;
    this.channels = channels;
  }

  /**
   * The way to {@code targetHost}:{@code targetPort}: direct for {@link TunnelMethod.NoTunnel}, else
   * a tunnel, open and checked (the SSH server has reached the target once) when this returns.
   */
  static SshTunnel open(TunnelMethod method, String targetHost, int targetPort, SyncLog log) {
    if (method instanceof TunnelMethod.Ssh ssh) {
      return openSsh(ssh, targetHost, targetPort, log);
    }
    return new SshTunnel(targetHost, targetPort, null, null);
  }

  /** The host connections go to: the database's, or the tunnel's local end. */
  String host() {
    return host;
  }

  /** The port connections go to: the database's, or the tunnel's local end. */
  int port() {
    return port;
  }

  /** Whether connections go through an SSH tunnel (to {@link #host()}:{@link #port()}, its local end). */
  boolean forwarded() {
    return client != null;
  }

  private static SshTunnel openSsh(TunnelMethod.Ssh ssh, String targetHost, int targetPort, SyncLog log) {
    List<KeyPair> keys = ssh instanceof TunnelMethod.SshKeyAuth key ? privateKeys(key.privateKey()) : List.of();
    AtomicReference<PublicKey> hostKey = new AtomicReference<>();
    SshClient client = client(hostKey);
    OpenChannels channels = new OpenChannels();
    client.addChannelListener(channels);
    client.start();
    try {
      ClientSession session = connect(client, ssh);
      keys.forEach(session::addPublicKeyIdentity);
      if (ssh instanceof TunnelMethod.SshPasswordAuth password) {
        session.addPasswordIdentity(password.password());
      }
      try {
        logIn(session, ssh);
      } finally {
        // Known once the key exchange is done, which the login waits for; reported whether it succeeds.
        PublicKey key = hostKey.get();
        if (key != null) {
          log.info("SSH tunnel: the server " + address(ssh) + " presented the host key " + KeyUtils.getKeyType(key)
              + " " + KeyUtils.getFingerPrint(key) + "; host keys are not verified (any is accepted), so compare it"
              + " with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on " + ssh.host() + ").");
        }
      }
      SshdSocketAddress target = new SshdSocketAddress(targetHost, targetPort);
      reach(session, ssh, target);
      ExplicitPortForwardingTracker forward =
          session.createLocalPortForwardingTracker(new SshdSocketAddress(LOOPBACK, 0), target);
      int localPort = forward.getBoundAddress().getPort();
      log.info("SSH tunnel open: " + ssh.user() + "@" + address(ssh) + " forwards " + LOOPBACK + ":" + localPort
          + " to " + targetHost + ":" + targetPort + ".");
      return new SshTunnel(LOOPBACK, localPort, client, channels);
    } catch (IOException e) {
      stop(client, e);
      throw new UncheckedIOException("Opening the SSH tunnel through " + address(ssh) + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      stop(client, e);
      throw e;
    }
  }

  /** A client that reads no ~/.ssh file, offers only the config's credentials and keeps the session alive. */
  private static SshClient client(AtomicReference<PublicKey> hostKey) {
    SshClient client = SshClient.setUpDefaultClient();
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setServerKeyVerifier((session, remote, key) -> {
      hostKey.set(key);
      return true;
    });
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, HEARTBEAT_INTERVAL);
    CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, HEARTBEATS_WITHOUT_REPLY);
    // A long statement sends nothing through the tunnel: only the heartbeat says whether it is alive.
    CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
    CoreModuleProperties.SOCKET_KEEPALIVE.set(client, true);
    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, CONNECT_TIMEOUT);
    return client;
  }

  private static ClientSession connect(SshClient client, TunnelMethod.Ssh ssh) {
    try {
      return client.connect(ssh.user(), ssh.host(), ssh.port()).verify(CONNECT_TIMEOUT).getSession();
    } catch (IOException | RuntimeException e) {
      throw new ConfigErrorException(
          "Cannot connect to the SSH server " + address(ssh) + " (" + rootMessage(e) + "). Check the fields"
              + " 'tunnel_method.tunnel_host' and 'tunnel_method.tunnel_port' (the SSH server's name or address and"
              + " port), that the SSH server is running, and that no firewall blocks the port.", e);
    }
  }

  private static void logIn(ClientSession session, TunnelMethod.Ssh ssh) {
    try {
      session.auth().verify(LOGIN_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      String reason = rootMessage(e);
      boolean refused = reason.toLowerCase(Locale.ROOT).contains("no more authentication methods");
      String fix = ssh instanceof TunnelMethod.SshKeyAuth
          ? "Check the fields 'tunnel_method.tunnel_user' and 'tunnel_method.ssh_key': the key's public half must"
              + " be in the user's ~/.ssh/authorized_keys on the SSH server."
          : "Check the fields 'tunnel_method.tunnel_user' and 'tunnel_method.tunnel_user_password', and that the"
              + " SSH server accepts passwords.";
      throw new ConfigErrorException(
          (refused ? "The SSH server " + address(ssh) + " refused the login of user '" + ssh.user() + "'"
                  : "Logging in to the SSH server " + address(ssh) + " as '" + ssh.user() + "' failed")
              + " (" + reason + "). " + fix, e);
    }
  }

  /**
   * Opens one channel to the target and closes it, so that a database the SSH server cannot reach is
   * named here rather than as a connection the tunnel dropped.
   */
  private static void reach(ClientSession session, TunnelMethod.Ssh ssh, SshdSocketAddress target) throws IOException {
    ChannelDirectTcpip probe = session.createDirectTcpipChannel(new SshdSocketAddress(LOOPBACK, 0), target);
    try {
      probe.open().verify(CONNECT_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      throw new ConfigErrorException(
          "The SSH server " + address(ssh) + " cannot connect to " + target.getHostName() + ":" + target.getPort()
              + " (" + rootMessage(e) + "). Check the fields 'host' and 'port': through a tunnel they name the"
              + " PostgreSQL server as the SSH server sees it (e.g. its private address), and the SSH server must"
              + " allow TCP forwarding (AllowTcpForwarding in sshd_config).", e);
    } finally {
      probe.close(true);
    }
  }

  /**
   * The key pairs of a private key's text. Messages never quote it, nor carry the parser's exception,
   * whose text may hold a part of it.
   */
  static List<KeyPair> privateKeys(String text) {
    String pem = text.strip().replace("\r\n", "\n") + "\n";
    if (pem.contains("ENCRYPTED")) {
      throw encrypted();
    }
    FilePasswordProvider noPassphrase = (session, resource, retry) -> {
      throw new EncryptedKey();
    };
    List<KeyPair> keys = new ArrayList<>();
    try {
      Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(
          null, NamedResource.ofName("tunnel_method.ssh_key"),
          new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)), noPassphrase);
      if (loaded != null) {
        loaded.forEach(keys::add);
      }
    } catch (EncryptedKey e) {
      throw encrypted();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw unreadable("(" + e.getClass().getSimpleName() + ")");
    }
    if (keys.isEmpty()) {
      throw unreadable("(no private key found in it)");
    }
    return keys;
  }

  private static ConfigErrorException unreadable(String why) {
    return new ConfigErrorException(
        "field 'tunnel_method.ssh_key' is not a private key that can be read " + why + ". Paste the whole private"
            + " key file, from its -----BEGIN ...----- line to its -----END ...----- line: OpenSSH (BEGIN OPENSSH"
            + " PRIVATE KEY: RSA, ECDSA or Ed25519) or PEM (an RSA key: BEGIN RSA PRIVATE KEY, from ssh-keygen -m PEM,"
            + " or PKCS#8 BEGIN PRIVATE KEY).");
  }

  private static ConfigErrorException encrypted() {
    return new ConfigErrorException(
        "field 'tunnel_method.ssh_key' is a private key protected by a passphrase, which the tunnel cannot use:"
            + " give a key without one (ssh-keygen -p -N '' -f KEYFILE removes it from a copy of the file).");
  }

  /** Thrown by the passphrase provider: the key wants a passphrase. */
  private static final class EncryptedKey extends IOException {
    EncryptedKey() {
      super("the key is encrypted");
    }
  }

  private static String address(TunnelMethod.Ssh ssh) {
    return (ssh.host().contains(":") ? "[" + ssh.host() + "]" : ssh.host()) + ":" + ssh.port();
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private static void stop(SshClient client, Throwable failure) {
    try {
      client.stop();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Closes the SSH session (and with it the forward) once the forwarded connections have ended
   * (the pool is closed first), so their last bytes are not cut; nothing for a direct connection.
   */
  @Override
  public void close() {
    if (client == null) {
      return;
    }
    try {
      channels.awaitNone(DRAIN_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.stop();
    }
  }

  /** The channels (forwarded connections) open now. */
  private static final class OpenChannels implements ChannelListener {
    private final Set<Channel> open = new HashSet<>();

    @Override
    public synchronized void channelOpenSuccess(Channel channel) {
      open.add(channel);
    }

    @Override
    public synchronized void channelClosed(Channel channel, Throwable reason) {
      open.remove(channel);
      notifyAll();
    }

    synchronized void awaitNone(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (long left = timeout.toNanos(); !open.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }
}
