package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.protocol.DataChannel.Format;
import io.destkit.testkit.socket.SocketSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConnectorProcess#runWithEnvironment} runs a connector with a socket source's environment
 * and stdin held open and empty, as the platform runs a destination in socket mode; {@link
 * ConnectorProcess#run} still closes stdin at once. The connector is {@link SocketReadingConnector},
 * packaged here as the jar {@code destkit.jar} names.
 */
class ConnectorProcessEnvironmentTest {

  private static Path connectorJar(Path dir) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SocketReadingConnector.class.getName());
    Path jar = dir.resolve("connector.jar");
    String entry = SocketReadingConnector.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry(entry));
      try (var in = SocketReadingConnector.class.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
    return jar;
  }

  private static <T> T withJar(Path jar, java.util.function.Supplier<T> run) {
    String before = System.getProperty("destkit.jar");
    System.setProperty("destkit.jar", jar.toString());
    try {
      return run.get();
    } finally {
      if (before == null) {
        System.clearProperty("destkit.jar");
      } else {
        System.setProperty("destkit.jar", before);
      }
    }
  }

  @Test
  void aConnectorGetsTheSocketEnvironmentAndAnOpenEmptyStdin(@TempDir Path work) throws Exception {
    Path jar = connectorJar(work);
    Path sockets = Files.createTempDirectory(Path.of("/tmp"), "cpenv");
    try (SocketSource source = SocketSource.start(sockets, Format.PROTOBUF,
        List.of(new byte[3], new byte[70_000]), Duration.ofMillis(200))) {
      ConnectorProcess.Result result =
          withJar(jar, () -> ConnectorProcess.runWithEnvironment(work, source.environment(), "--write"));
      result.assertSucceeded();
      assertThat(result.ofType("LOG")).extracting(m -> m.path("log").path("message").asText())
          .containsExactly("socket 1 PROTOBUF 3 bytes", "socket 2 PROTOBUF 70000 bytes", "stdin open");
      source.requireServed(Duration.ofSeconds(10));
    } finally {
      Files.deleteIfExists(sockets);
    }
  }

  @Test
  void runWithoutStdinStillClosesItAtOnce(@TempDir Path work) throws Exception {
    Path jar = connectorJar(work);
    ConnectorProcess.Result result = withJar(jar, () -> ConnectorProcess.run(work, "--write"));
    result.assertSucceeded();
    assertThat(result.ofType("LOG")).extracting(m -> m.path("log").path("message").asText())
        .containsExactly("stdin ended");
  }
}
