package io.destkit.protocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the platform hands the destination its messages: on standard input as JSON lines (the
 * default), or over Unix domain sockets the source listens on, as JSON lines or length-delimited
 * protobuf messages. Read from the environment the platform sets for both connectors:
 * {@value #MEDIUM}, {@value #FORMAT} and {@value #SOCKET_PATHS}.
 *
 * @param socketPaths the sockets to connect to, in the given order (empty for {@link Medium#STDIO})
 */
public record DataChannel(Medium medium, Format format, List<Path> socketPaths) {
  public static final String MEDIUM = "DATA_CHANNEL_MEDIUM";
  public static final String FORMAT = "DATA_CHANNEL_FORMAT";
  public static final String SOCKET_PATHS = "DATA_CHANNEL_SOCKET_PATHS";

  /** Standard input, as JSON lines. */
  public static final DataChannel STDIO = new DataChannel(Medium.STDIO, Format.JSONL, List.of());

  public enum Medium {
    STDIO,
    SOCKET
  }

  public enum Format {
    JSONL,
    PROTOBUF
  }

  public DataChannel {
    socketPaths = List.copyOf(socketPaths);
    if (medium == Medium.SOCKET && socketPaths.isEmpty()) {
      throw new IllegalArgumentException("A socket data channel needs at least one socket path");
    }
    if (medium == Medium.STDIO && format == Format.PROTOBUF) {
      throw new IllegalArgumentException("Protobuf is only sent over sockets");
    }
  }

  /**
   * The channel the environment describes; STDIO and JSONL where a variable is unset or blank.
   *
   * @throws IllegalArgumentException naming the variable when a value is not one of the known ones,
   *     or when the combination cannot be (PROTOBUF on STDIO, SOCKET without paths)
   */
  public static DataChannel fromEnvironment(Map<String, String> environment) {
    Medium medium = value(environment, MEDIUM, Medium.class, Medium.STDIO);
    Format format = value(environment, FORMAT, Format.class, Format.JSONL);
    List<Path> paths = new ArrayList<>();
    String listed = environment.get(SOCKET_PATHS);
    if (medium == Medium.SOCKET) {
      if (listed != null) {
        for (String path : listed.split(",")) {
          if (!path.isBlank()) {
            paths.add(Path.of(path.trim()));
          }
        }
      }
      if (paths.isEmpty()) {
        throw new IllegalArgumentException(MEDIUM + " is SOCKET but " + SOCKET_PATHS + " lists no socket path");
      }
    } else if (format == Format.PROTOBUF) {
      throw new IllegalArgumentException(FORMAT + " is PROTOBUF, which is only sent over sockets, but " + MEDIUM
          + " is STDIO");
    }
    return new DataChannel(medium, format, paths);
  }

  private static <E extends Enum<E>> E value(Map<String, String> environment, String name, Class<E> type, E fallback) {
    String text = environment.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> known = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        known.add(constant.name());
      }
      throw new IllegalArgumentException(name + " is '" + text + "', not one of " + String.join(", ", known), e);
    }
  }
}
