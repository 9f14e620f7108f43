package io.destkit.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the platform's source side of the socket data channel in tests: binds every path, accepts
 * one connection on each, writes that socket's bytes, then closes it.
 */
public final class UnixSocketSource implements AutoCloseable {
  private final List<ServerSocketChannel> servers = new ArrayList<>();
  private final List<Path> paths;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  public UnixSocketSource(List<Path> paths, List<byte[]> contents) throws IOException {
    this.paths = List.copyOf(paths);
    for (int i = 0; i < paths.size(); i++) {
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(paths.get(i)));
      servers.add(server);
      byte[] content = contents.get(i);
      Thread thread = new Thread(() -> {
        try (SocketChannel client = server.accept()) {
          ByteBuffer buffer = ByteBuffer.wrap(content);
          while (buffer.hasRemaining()) {
            client.write(buffer);
          }
        } catch (IOException e) {
          failures.add(e);
        }
      });
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Waits until every socket was written and closed, and checks that none failed. */
  public void awaitWritten() throws InterruptedException {
    awaitEnded();
    assertThat(failures).isEmpty();
  }

  /**
   * Waits until every socket was written and closed, or failed (a destination that stopped after a
   * failure closes the sockets it has not read to their end).
   */
  public void awaitEnded() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }

  @Override
  public void close() throws IOException {
    for (ServerSocketChannel server : servers) {
      server.close();
    }
    for (Path path : paths) {
      Files.deleteIfExists(path);
    }
  }
}
