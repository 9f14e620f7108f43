import io.destkit.protocol.DataChannel;
import io.destkit.testkit.socket.SocketScript;
import io.destkit.testkit.socket.SocketSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The source side of the socket benchmarks, as the platform's source plays it: {@code --prepare}
 * deals a benchmark's messages (a STDIO source's JSON lines) into the content of N sockets, with
 * partition ids, state ids and record counts, as JSONL or protobuf, once; {@code --serve} binds the
 * sockets, writes each its prepared bytes from memory, and exits when every socket was read to its
 * end. The bytes are ready before the destination starts, so serving costs little next to it.
 *
 * <pre>
 * SocketFeed --prepare --catalog C --messages M --format jsonl|protobuf --sockets N --out DIR
 * SocketFeed --serve DIR --socket-dir D
 * </pre>
 */
public final class SocketFeed {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--prepare")) {
      prepare(Path.of(value(args, "--catalog")), Path.of(value(args, "--messages")),
          DataChannel.Format.valueOf(value(args, "--format").toUpperCase(Locale.ROOT)),
          Integer.parseInt(value(args, "--sockets")), Path.of(value(args, "--out")));
    } else if (args.length > 1 && args[0].equals("--serve")) {
      System.exit(serve(Path.of(args[1]), Path.of(value(args, "--socket-dir"))));
    } else {
      System.err.println("usage: SocketFeed --prepare --catalog C --messages M --format F --sockets N --out DIR"
          + " | --serve DIR --socket-dir D");
      System.exit(2);
    }
  }

  private static String value(String[] args, String name) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    throw new IllegalArgumentException("missing " + name);
  }

  private static void prepare(Path catalog, Path messages, DataChannel.Format format, int sockets, Path out)
      throws Exception {
    SocketScript script = SocketScript.builder(catalog, format).sockets(sockets).build(messages);
    Files.createDirectories(out);
    long bytes = 0;
    for (int i = 1; i <= sockets; i++) {
      byte[] content = script.bytes(i);
      Files.write(out.resolve("socket-" + i + ".bin"), content);
      bytes += content.length;
    }
    Files.writeString(out.resolve("format"), format.name() + "\n");
    System.out.println("bytes=" + bytes + " states=" + script.states().size());
  }

  private static int serve(Path prepared, Path socketDir) throws Exception {
    DataChannel.Format format = DataChannel.Format.valueOf(Files.readString(prepared.resolve("format")).strip());
    List<byte[]> contents = new ArrayList<>();
    for (int i = 1; Files.exists(prepared.resolve("socket-" + i + ".bin")); i++) {
      contents.add(Files.readAllBytes(prepared.resolve("socket-" + i + ".bin")));
    }
    try (SocketSource source = SocketSource.start(socketDir, format, contents, Duration.ZERO)) {
      System.out.println("ready " + String.join(",", source.paths().stream().map(Path::toString).toList()));
      System.out.flush();
      if (!source.awaitFinished(Duration.ofHours(2))) {
        System.err.println("the destination did not read every socket within 2 hours: " + source.reports());
        return 1;
      }
      for (SocketSource.Report report : source.reports()) {
        if (report.state() != SocketSource.State.SERVED) {
          System.err.println(report);
          return 1;
        }
      }
      return 0;
    }
  }
}
