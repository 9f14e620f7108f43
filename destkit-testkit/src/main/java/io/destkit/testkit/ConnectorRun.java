package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.operation.Destination;
import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.write.PipelineSettings;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.socket.SocketScript;
import io.destkit.testkit.socket.SocketSource;
import io.destkit.protocol.MessageType;
import io.destkit.protocol.ProtocolMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One operation of a destination run in-process through {@link DestinationRunner}, as the platform
 * would run it: its exit code, the protocol messages it printed on stdout, and its stderr. Every
 * stdout line must decode as a protocol message.
 */
public record ConnectorRun(int exitCode, List<ProtocolMessage> messages, String stderr) {

  public ConnectorRun {
    messages = List.copyOf(messages);
  }

  /** {@code --spec}. */
  public static ConnectorRun spec(Destination<?> destination) {
    return run(destination, "", "--spec");
  }

  /** {@code --check} with the config written to a file in {@code directory}. */
  public static ConnectorRun check(Destination<?> destination, JsonNode config, Path directory) {
    return run(destination, "", "--check", "--config", writeJson(directory, "config", config).toString());
  }

  /** {@code --write} with the config and catalog written to files in {@code directory}. */
  public static ConnectorRun write(
      Destination<?> destination, JsonNode config, JsonNode catalog, String stdin, Path directory) {
    return run(
        destination, stdin, "--write",
        "--config", writeJson(directory, "config", config).toString(),
        "--catalog", writeJson(directory, "catalog", catalog).toString());
  }

  /**
   * {@code --write} reading its standard input from {@code stdin} as it comes (a test may feed it
   * while the sync runs), with these pipeline settings instead of the defaults (system properties
   * still apply on top, as in a real run).
   */
  public static ConnectorRun write(
      Destination<?> destination, JsonNode config, JsonNode catalog, InputStream stdin, Path directory,
      PipelineSettings settings) {
    return run(
        destination, stdin, settings, "--write",
        "--config", writeJson(directory, "config", config).toString(),
        "--catalog", writeJson(directory, "catalog", catalog).toString());
  }

  /**
   * {@code --write} over the socket data channel: {@code messages} (the JSON lines a STDIO source
   * prints) dealt over {@code channel}'s sockets by {@link SocketScript}, served by a {@link
   * SocketSource}, with nothing on standard input.
   */
  public static ConnectorRun writeOverSockets(
      Destination<?> destination, JsonNode config, JsonNode catalog, String messages, TestChannel channel,
      Path directory) {
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : messages.split("\n")) {
      if (!line.isBlank()) {
        parsed.add(MessageCodec.decode(line).json());
      }
    }
    SocketScript script = SocketScript.builder(ConfiguredCatalog.fromJson(catalog), channel.format())
        .sockets(channel.sockets()).build(parsed);
    Path socketDirectory;
    try {
      // Short: a socket path is at most 107 bytes.
      socketDirectory = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "dks");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] args = {"--write",
        "--config", writeJson(directory, "config", config).toString(),
        "--catalog", writeJson(directory, "catalog", catalog).toString()};
    try (SocketSource source = SocketSource.start(socketDirectory, script)) {
      return run(destination, new ByteArrayInputStream(new byte[0]), PipelineSettings.defaults(),
          source.environment(), args);
    } finally {
      try {
        Files.deleteIfExists(socketDirectory);
      } catch (IOException ignored) {
        // A leftover empty directory under the temp directory is harmless.
      }
    }
  }

  /** Runs the destination with these arguments and {@code stdin} as its standard input. */
  public static ConnectorRun run(Destination<?> destination, String stdin, String... args) {
    return run(
        destination, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), PipelineSettings.defaults(),
        args);
  }

  private static ConnectorRun run(
      Destination<?> destination, InputStream stdin, PipelineSettings settings, String... args) {
    return run(destination, stdin, settings, Map.of(), args);
  }

  private static ConnectorRun run(
      Destination<?> destination, InputStream stdin, PipelineSettings settings, Map<String, String> environment,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exitCode = runner(destination, stdin, settings, stdout, stderr).withEnvironment(environment).run(args);
    }
    List<ProtocolMessage> messages = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        messages.add(MessageCodec.decode(line));
      }
    }
    return new ConnectorRun(exitCode, messages, err.toString(StandardCharsets.UTF_8));
  }

  private static <C> DestinationRunner<C> runner(
      Destination<C> destination, InputStream stdin, PipelineSettings settings, PrintStream stdout,
      PrintStream stderr) {
    return new DestinationRunner<>(destination, stdin, stdout, stderr, settings);
  }

  private static Path writeJson(Path directory, String prefix, JsonNode json) {
    try {
      Path file = Files.createTempFile(directory, prefix, ".json");
      return Files.writeString(file, MessageCodec.encode(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The messages of one type, in the order printed. */
  public List<ProtocolMessage> messages(MessageType type) {
    return messages.stream().filter(message -> message.type() == type).toList();
  }

  /**
   * The one message of this type, asserting that there is exactly one and that every other message
   * is a LOG.
   */
  public ProtocolMessage single(MessageType type) {
    assertThat(messages)
        .as("stdout of a run that exited %d; stderr: %s", exitCode, stderr)
        .allMatch(message -> message.type() == type || message.type() == MessageType.LOG);
    List<ProtocolMessage> matching = messages(type);
    assertThat(matching).as("%s messages on stdout; stderr: %s", type, stderr).hasSize(1);
    return matching.get(0);
  }
}
