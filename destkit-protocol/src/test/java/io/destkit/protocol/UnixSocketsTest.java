package io.destkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Unix domain sockets: a listener the test binds late, a stale socket file, none at all. */
class UnixSocketsTest {
  @TempDir Path directory;

  @Test
  void aSocketBoundAfterTheDestinationStartsIsWaitedForAndRead() throws Exception {
    Path path = directory.resolve("airbyte_socket_1.sock");
    CompletableFuture<Void> source = CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(700);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
          server.bind(UnixDomainSocketAddress.of(path));
          try (SocketChannel client = server.accept()) {
            client.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
          }
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    try (SocketChannel channel = UnixSockets.connect(path, Duration.ofSeconds(20))) {
      ByteBuffer read = ByteBuffer.allocate(16);
      while (channel.read(read) >= 0 && read.position() < 6) {
        // until the line is in
      }
      assertThat(new String(read.array(), 0, read.position(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
    }
    source.get(20, TimeUnit.SECONDS);
  }

  @Test
  void aRefusedConnectionIsRetriedUntilTheSourceListens() throws Exception {
    Path path = directory.resolve("airbyte_socket_2.sock");
    // A socket file nobody listens on: connecting is refused until the source binds it again.
    try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stale.bind(UnixDomainSocketAddress.of(path));
    }
    assertThat(Files.exists(path)).isTrue();
    CompletableFuture<Void> source = CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(700);
        Files.delete(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
          server.bind(UnixDomainSocketAddress.of(path));
          server.accept().close();
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    try (SocketChannel channel = UnixSockets.connect(path, Duration.ofSeconds(20))) {
      assertThat(channel.isConnected()).isTrue();
    }
    source.get(20, TimeUnit.SECONDS);
  }

  @Test
  void noSocketOrNoListenerWithinTheTimeoutIsAnErrorNamingThePath() throws Exception {
    Path missing = directory.resolve("never.sock");
    assertThatThrownBy(() -> UnixSockets.connect(missing, Duration.ofMillis(500)))
        .isInstanceOf(IOException.class).hasMessageContaining(missing.toString()).hasMessageContaining("did not appear");

    Path stale = directory.resolve("stale.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(stale));
    }
    assertThatThrownBy(() -> UnixSockets.connect(stale, Duration.ofMillis(500)))
        .isInstanceOf(IOException.class).hasMessageContaining(stale.toString()).hasMessageContaining("refused every connection");
  }
}
