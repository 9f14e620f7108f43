package io.destkit.testkit.socket;

import io.destkit.protocol.DataChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The platform's source side of speed mode: binds one Unix domain socket per content ({@code
 * airbyte_socket_<i>.sock}, i from 1, in a directory), listens, accepts exactly one connection on
 * each (each socket on its own thread), writes that socket's bytes, then closes the connection (the
 * destination reads EOF). A destination in the same process connects through {@link #dataChannel()};
 * a spawned connector gets {@link #environment()}.
 *
 * <p>A failed write (the destination closed its end) is recorded in the socket's {@link Report},
 * not thrown on the socket's thread. {@link #close()} stops every socket (a pending accept or a
 * write in progress), deletes the socket files, and throws when a socket failed otherwise (it could
 * not bind, or its accept failed).
 */
public final class SocketSource implements AutoCloseable {
  /** Unix domain socket paths are at most 107 bytes on Linux (sun_path holds 108 with its NUL). */
  private static final int MAX_PATH_BYTES = 107;
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** Where a socket is in its life. */
  public enum State {
    /** Waiting for its bind delay. */
    WAITING,
    LISTENING,
    WRITING,
    /** Every byte written and the connection closed. */
    SERVED,
    /** A write failed: the destination closed its end early. */
    WRITE_FAILED,
    /** Stopped by {@link #close()} before it was served. */
    STOPPED,
    /** Binding or accepting failed. */
    FAILED
  }

  /**
   * A socket's state now.
   *
   * @param socket its number, from 1
   * @param bytesWritten the bytes written so far (of {@code bytesToWrite})
   * @param error the write error ({@link State#WRITE_FAILED}) or failure ({@link State#FAILED}), else null
   */
  public record Report(int socket, Path path, State state, long bytesWritten, long bytesToWrite, Exception error) {
    @Override
    public String toString() {
      return "socket " + socket + " (" + path + "): " + state + ", " + bytesWritten + " of " + bytesToWrite + " bytes"
          + (error != null ? ", " + error : "");
    }
  }

  private final DataChannel.Format format;
  private final List<Server> servers = new ArrayList<>();
  private final CountDownLatch finished;
  private volatile boolean stopping;

  private SocketSource(Path directory, DataChannel.Format format, List<byte[]> contents, Duration bindDelay) {
    this.format = Objects.requireNonNull(format, "format");
    if (contents.isEmpty()) {
      throw new IllegalArgumentException("A socket source needs at least one socket");
    }
    if (bindDelay.isNegative()) {
      throw new IllegalArgumentException("bindDelay must not be negative: " + bindDelay);
    }
    Path dir = directory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the socket directory " + dir + ": " + e.getMessage(), e);
    }
    this.finished = new CountDownLatch(contents.size());
    for (int i = 0; i < contents.size(); i++) {
      Path path = dir.resolve("airbyte_socket_" + (i + 1) + ".sock");
      if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
        throw new IllegalArgumentException("The socket path " + path + " is over " + MAX_PATH_BYTES + " bytes, the"
            + " limit of a Unix domain socket: use a shorter directory (e.g. one under /tmp)");
      }
      servers.add(new Server(i + 1, path, contents.get(i).clone(), bindDelay));
    }
  }

  /** Serves {@code script}'s sockets in {@code directory}, binding them at once. */
  public static SocketSource start(Path directory, SocketScript script) {
    return start(directory, script, Duration.ZERO);
  }

  /** Serves {@code script}'s sockets in {@code directory}, binding them after {@code bindDelay}. */
  public static SocketSource start(Path directory, SocketScript script, Duration bindDelay) {
    return start(directory, script.format(), script.contents(), bindDelay);
  }

  /**
   * Serves one socket per element of {@code contents} (its bytes, as they are) in {@code directory},
   * binding them after {@code bindDelay}.
   */
  public static SocketSource start(Path directory, DataChannel.Format format, List<byte[]> contents, Duration bindDelay) {
    SocketSource source = new SocketSource(directory, format, contents, bindDelay);
    for (Server server : source.servers) {
      server.thread.start();
    }
    return source;
  }

  /** The socket paths, socket 1 first (absolute). */
  public List<Path> paths() {
    return servers.stream().map(s -> s.path).toList();
  }

  /** The channel a destination in this process reads. */
  public DataChannel dataChannel() {
    return new DataChannel(DataChannel.Medium.SOCKET, format, paths());
  }

  /**
   * The environment the platform sets for a destination reading these sockets: {@code
   * DATA_CHANNEL_MEDIUM=SOCKET}, {@code DATA_CHANNEL_FORMAT} and {@code DATA_CHANNEL_SOCKET_PATHS}
   * (the paths, comma-separated).
   */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put(DataChannel.MEDIUM, DataChannel.Medium.SOCKET.name());
    environment.put(DataChannel.FORMAT, format.name());
    environment.put(DataChannel.SOCKET_PATHS, String.join(",", paths().stream().map(Path::toString).toList()));
    return environment;
  }

  /** Each socket's state now, socket 1 first. */
  public List<Report> reports() {
    return servers.stream().map(Server::report).toList();
  }

  /** Waits until every socket is served, failed or stopped; false when {@code timeout} passed first. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Waits up to {@code timeout} for every socket to be served (connected to, written whole, closed).
   *
   * @throws AssertionError listing every socket's report when one is not served in time
   */
  public void requireServed(Duration timeout) throws InterruptedException {
    awaitFinished(timeout);
    if (reports().stream().anyMatch(r -> r.state() != State.SERVED)) {
      throw new AssertionError("Not every socket was served within " + timeout + ": " + reports());
    }
  }

  /**
   * Stops every socket, waits for their threads, deletes the socket files.
   *
   * @throws IllegalStateException when a socket could not bind or accept (each failure attached),
   *     or a thread did not stop
   */
  @Override
  public void close() {
    stopping = true;
    List<String> problems = new ArrayList<>();
    List<Exception> causes = new ArrayList<>();
    for (Server server : servers) {
      for (IOException e : server.stop()) {
        problems.add("socket " + server.number + ": cannot close its channel: " + e.getMessage());
        causes.add(e);
      }
    }
    for (Server server : servers) {
      try {
        server.thread.join(STOP_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (server.thread.isAlive()) {
        problems.add("socket " + server.number + " (" + server.path + ") did not stop within " + STOP_TIMEOUT);
      }
      try {
        Files.deleteIfExists(server.path);
      } catch (IOException e) {
        problems.add("socket " + server.number + ": cannot delete " + server.path + ": " + e.getMessage());
        causes.add(e);
      }
      Report report = server.report();
      if (report.state() == State.FAILED) {
        problems.add(report.toString());
        causes.add(report.error());
      }
    }
    if (!problems.isEmpty()) {
      IllegalStateException failure = new IllegalStateException("The socket source failed: " + String.join("; ", problems));
      causes.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  /** One socket: its thread binds, accepts once, writes, closes. */
  private final class Server implements Runnable {
    final int number;
    final Path path;
    final byte[] content;
    final Duration bindDelay;
    final Thread thread;
    private volatile State state = State.WAITING;
    private volatile long written;
    private volatile Exception error;
    private volatile ServerSocketChannel listening;
    private volatile SocketChannel connection;

    Server(int number, Path path, byte[] content, Duration bindDelay) {
      this.number = number;
      this.path = path;
      this.content = content;
      this.bindDelay = bindDelay;
      this.thread = new Thread(this, "socket-source-" + number);
      this.thread.setDaemon(true);
    }

    Report report() {
      return new Report(number, path, state, written, content.length, error);
    }

    @Override
    public void run() {
      try {
        if (!bindDelay.isZero()) {
          Thread.sleep(bindDelay.toMillis());
        }
        SocketChannel client;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
          listening = server;
          if (stopping) {
            state = State.STOPPED;
            return;
          }
          // A file left by an earlier run would make the bind fail.
          Files.deleteIfExists(path);
          server.bind(UnixDomainSocketAddress.of(path));
          state = State.LISTENING;
          client = server.accept();
        }
        // One connection per path: the listening channel is closed; its file stays until close().
        connection = client;
        state = State.WRITING;
        write(client);
      } catch (InterruptedException e) {
        state = State.STOPPED;
      } catch (Exception e) {
        if (stopping) {
          state = State.STOPPED;
        } else {
          error = e;
          state = State.FAILED;
        }
      } finally {
        finished.countDown();
      }
    }

    private void write(SocketChannel client) {
      try (client) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          buffer.limit(Math.min(content.length, buffer.position() + CHUNK_BYTES));
          while (buffer.hasRemaining()) {
            client.write(buffer);
          }
          written = buffer.position();
          buffer.limit(content.length);
        }
        state = State.SERVED;
      } catch (IOException e) {
        if (stopping) {
          state = State.STOPPED;
        } else {
          error = e;
          state = State.WRITE_FAILED;
        }
      }
    }

    /** Wakes the thread from a wait, an accept or a write; returns what failed to close. */
    List<IOException> stop() {
      thread.interrupt();
      List<IOException> failures = new ArrayList<>();
      for (Channel channel : new Channel[] {listening, connection}) {
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException e) {
            failures.add(e);
          }
        }
      }
      return failures;
    }
  }
}
