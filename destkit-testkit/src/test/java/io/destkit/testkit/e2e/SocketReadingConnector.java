package io.destkit.testkit.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in connector for {@link ConnectorProcessEnvironmentTest}, on the JDK alone (it runs from a
 * jar of this one class): reads each socket DATA_CHANNEL_SOCKET_PATHS names (if any) to EOF, prints a LOG
 * message with its byte count, then one saying whether stdin ended within a second.
 */
public final class SocketReadingConnector {
  private SocketReadingConnector() {}

  public static void main(String[] args) throws Exception {
    CountDownLatch stdinEnded = new CountDownLatch(1);
    Thread stdin = new Thread(() -> {
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // Nothing is expected on stdin; whatever comes is read and dropped.
        }
        stdinEnded.countDown();
      } catch (IOException e) {
        stdinEnded.countDown();
      }
    });
    stdin.setDaemon(true);
    stdin.start();
    String paths = System.getenv("DATA_CHANNEL_SOCKET_PATHS");
    int socket = 0;
    for (String path : paths == null ? new String[0] : paths.split(",")) {
      socket++;
      long bytes = 0;
      try (SocketChannel channel = connect(Path.of(path))) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        for (int n; (n = channel.read(buffer)) >= 0; buffer.clear()) {
          bytes += n;
        }
      }
      log("socket " + socket + " " + System.getenv("DATA_CHANNEL_FORMAT") + " " + bytes + " bytes");
    }
    log(stdinEnded.await(1, TimeUnit.SECONDS) ? "stdin ended" : "stdin open");
  }

  private static SocketChannel connect(Path path) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      if (Files.exists(path)) {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          channel.connect(UnixDomainSocketAddress.of(path));
          return channel;
        } catch (IOException e) {
          channel.close();
          if (attempt > 100) {
            throw e;
          }
        }
      }
      Thread.sleep(100);
    }
  }

  private static void log(String message) {
    System.out.println("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"" + message + "\"}}");
  }
}
