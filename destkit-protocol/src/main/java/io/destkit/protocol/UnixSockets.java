package io.destkit.protocol;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Connects to a Unix domain socket a source listens on. The source creates the socket file when it
 * binds and accepts once it listens, which may be after the destination starts: the connection
 * waits for the file and retries a refused connection, until a timeout.
 */
public final class UnixSockets {
  /** How often a missing socket or a refused connection is tried again. */
  static final Duration RETRY_INTERVAL = Duration.ofMillis(200);

  private UnixSockets() {}

  /**
   * A connected channel to {@code path}.
   *
   * @throws IOException naming the path and the time waited when the socket file did not appear or
   *     every connection was refused within {@code timeout}, or when connecting failed otherwise
   */
  public static SocketChannel connect(Path path, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
    while (true) {
      if (Files.exists(path)) {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          channel.connect(address);
          return channel;
        } catch (ConnectException refused) {
          channel.close();
          if (System.nanoTime() >= deadline) {
            throw new IOException("The socket " + path + " refused every connection for " + seconds(timeout)
                + " (" + refused.getMessage() + "): the source did not listen on it.", refused);
          }
        } catch (IOException e) {
          channel.close();
          throw new IOException("Cannot connect to the socket " + path + ": " + e.getMessage(), e);
        }
      } else if (System.nanoTime() >= deadline) {
        throw new IOException("The socket " + path + " did not appear within " + seconds(timeout)
            + ": the source did not create it.");
      }
      Thread.sleep(RETRY_INTERVAL.toMillis());
    }
  }

  private static String seconds(Duration duration) {
    return duration.toSeconds() + " s";
  }
}
