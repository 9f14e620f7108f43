package io.destkit.core.operation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.InputException;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.pipeline.SyncResult;
import io.destkit.core.pipeline.StreamLoaders;
import io.destkit.core.pipeline.WritePipeline;
import io.destkit.core.state.SocketStateTracker;
import io.destkit.core.state.StateTracker;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.RawId;
import io.destkit.core.write.SyncLog;
import io.destkit.core.write.WriteContext;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.DataChannel;
import io.destkit.protocol.NamespaceMapping;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.MessageWriter;
import io.destkit.protocol.Messages.FailureType;
import io.destkit.protocol.Messages;
import io.destkit.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Runs one operation of a destination ({@code --spec}, {@code --check}, {@code --write}) over the
 * Airbyte protocol: stdout carries only protocol messages; a failure ends with a TRACE ERROR and
 * exit code 1.
 */
public final class DestinationRunner<C> {

  @Command(
      name = "destination",
      mixinStandardHelpOptions = true,
      description = "An Airbyte-protocol destination. stdout carries only Airbyte messages, one per line.")
  static final class Arguments {
    @Option(names = "--spec", description = "Print the config specification.")
    boolean spec;

    @Option(names = "--check", description = "Check that the destination can be written with --config.")
    boolean check;

    @Option(names = "--write", description = "Write the messages on stdin (needs --config and --catalog).")
    boolean write;

    @Option(names = "--config", paramLabel = "FILE", description = "The config JSON file.")
    Path config;

    @Option(names = "--catalog", paramLabel = "FILE", description = "The configured catalog JSON file.")
    Path catalog;

    @Option(names = "--progress", description = "Print progress and a summary to stderr (default: only when stderr is a terminal).")
    boolean progress;
  }

  private final Destination<C> destination;
  private final InputStream in;
  private final MessageWriter out;
  private PrintStream err;
  private final PipelineSettings settings;
  private SecretScrubber scrubber = SecretScrubber.none();
  private ErrorClassifier classifier = ErrorClassifier.NONE;
  /** Set when the runner is the process's main program: it then also scrubs the process's stderr. */
  private boolean ownsProcessStreams;
  /** The variables the platform sets (the data channel, the namespace mapping). */
  private Map<String, String> environment = System.getenv();

  /** Told when a write's pipeline starts and when the write ends (a program that runs the destination in-process). */
  private WriteObserver observer = WriteObserver.NONE;

  /**
   * What a program that runs the destination in its own process (as {@code destkit sync} does) sees
   * of a write: the pipeline once it is built (its counters: records read, rows written per stream),
   * and the write's result.
   */
  public interface WriteObserver {
    WriteObserver NONE = new WriteObserver() { };

    /** The write's pipeline is built and about to read its input. */
    default void started(DestinationCatalog catalog, WritePipeline pipeline) {
    }

    /** The write ended (its failure, if any, is in the result); the tables are finalised. */
    default void ended(SyncResult result) {
    }
  }

  /** Makes this runner tell {@code observer} about its write. */
  public DestinationRunner<C> observingWrite(WriteObserver observer) {
    this.observer = observer;
    return this;
  }

  /** How long a socket of the data channel is waited for (the source binds it when it starts). */
  static final Duration DEFAULT_SOCKET_WAIT = Duration.ofMinutes(15);

  public DestinationRunner(
      Destination<C> destination, InputStream in, PrintStream out, PrintStream err, PipelineSettings settings) {
    this.destination = destination;
    this.in = in;
    this.out = new MessageWriter(out);
    this.err = err;
    this.settings = settings;
  }

  /** Runs the destination as the process's main program and exits with its exit code. */
  public static <C> void main(Destination<C> destination, String[] args) {
    StderrLogging.install();
    int code = new DestinationRunner<>(destination, System.in, System.out, System.err, PipelineSettings.defaults())
        .scrubbingProcessStderr()
        .run(args);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Makes this runner scrub {@link System#err} too, once the config's secrets are known, as {@link
   * #main} does: libraries log there.
   */
  DestinationRunner<C> scrubbingProcessStderr() {
    ownsProcessStreams = true;
    return this;
  }

  /**
   * Makes this runner read the platform's variables from {@code environment} instead of the
   * process's: {@value DataChannel#MEDIUM}, {@value DataChannel#FORMAT}, {@value
   * DataChannel#SOCKET_PATHS} and {@value NamespaceMapping#PATH_VARIABLE}.
   */
  public DestinationRunner<C> withEnvironment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  /** Runs one operation; returns the exit code. */
  public int run(String[] rawArgs) {
    Arguments args = new Arguments();
    CommandLine commandLine = new CommandLine(args);
    try {
      commandLine.parseArgs(normalise(rawArgs));
    } catch (CommandLine.ParameterException e) {
      return fail(FailureType.CONFIG_ERROR, "Invalid arguments: " + e.getMessage() + ". Use --spec, --check --config FILE, or --write --config FILE --catalog FILE.", null);
    }
    if (commandLine.isUsageHelpRequested()) {
      commandLine.usage(err);
      return 0;
    }
    int operations = (args.spec ? 1 : 0) + (args.check ? 1 : 0) + (args.write ? 1 : 0);
    if (operations != 1) {
      return fail(FailureType.CONFIG_ERROR, "Give exactly one of --spec, --check or --write.", null);
    }
    try {
      if (args.spec) {
        return spec();
      }
      if (args.check) {
        return check(args.config);
      }
      return write(readConfig(args.config), args);
    } catch (Throwable e) {
      return fail(e);
    }
  }

  /** Accepts the platform's bare command words (spec, check, write) as well as the options. */
  private static String[] normalise(String[] args) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i == 0 && (arg.equals("spec") || arg.equals("check") || arg.equals("write"))) {
        result.add("--" + arg);
      } else {
        result.add(arg);
      }
    }
    return result.toArray(new String[0]);
  }

  private int spec() {
    out.write(
        Messages.spec(
            destination.documentationUrl(),
            destination.specification().schema(),
            true,
            destination.supportedSyncModes().toArray(new String[0])));
    return 0;
  }

  private C readConfig(Path path) {
    if (path == null) {
      throw new ConfigErrorException("--config FILE is required.");
    }
    JsonNode json = readJsonFile(path, "config");
    scrubber = SecretScrubber.of(destination.specification().schema(), json);
    if (ownsProcessStreams) {
      // Libraries (the pool, the driver) log to the process's stderr: from now on it is scrubbed too.
      err = scrubber.filter(err);
      System.setErr(err);
    }
    destination.specification().validate(json);
    C config = destination.bindConfig(json);
    classifier = destination.errorClassifier(config);
    return config;
  }

  private static JsonNode readJsonFile(Path path, String what) {
    try {
      return MessageCodec.MAPPER.readTree(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new ConfigErrorException("The " + what + " file " + path + " does not exist.");
    } catch (JsonProcessingException e) {
      // The parser's own message quotes the text at fault, which may be an unquoted password.
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigErrorException(
          "The " + what + " file " + path + " is not valid JSON" + where + ". Fix the JSON syntax there"
              + " (quote every string value).");
    } catch (IOException e) {
      throw new ConfigErrorException("The " + what + " file " + path + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * A check the config fails (a bad config, a refused connection, a missing privilege) is a FAILED
   * connection status that says what to fix. Any other failure is a bug or an outage, not the
   * config's fault: as Airbyte's destinations do, it is a TRACE ERROR (system_error, with the stack
   * trace) followed by a FAILED status that says it is an internal error. Exit code 0 either way.
   */
  private int check(Path configPath) {
    try {
      C config = readConfig(configPath);
      destination.check(config, (level, message) -> out.write(Messages.log(level, scrubber.scrub(message))));
      out.write(Messages.connectionStatus(true, null));
    } catch (Throwable e) {
      Optional<String> configError = configErrorMessage(e);
      if (configError.isPresent()) {
        out.write(Messages.connectionStatus(false, scrubber.scrub(configError.get())));
      } else {
        String message = "Internal error of " + destination.name() + " during the check (not a problem of the"
            + " config): " + describe(e);
        String safe = scrubber.scrub(message);
        err.println("ERROR: " + safe);
        out.write(Messages.error(FailureType.SYSTEM_ERROR, safe, scrubber.scrub(stackTrace(e))));
        out.write(Messages.connectionStatus(false, safe));
      }
    }
    return 0;
  }

  /**
   * The message of the config error a failure is: a {@link ConfigErrorException} in its causes, or
   * what the destination's classifier makes of it, after what was being done (a stream's write).
   */
  private Optional<String> configErrorMessage(Throwable e) {
    ConfigErrorException thrown = find(e, ConfigErrorException.class);
    if (thrown != null) {
      return Optional.of(thrown.getMessage());
    }
    Optional<ConfigErrorException> classified;
    try {
      classified = classifier.configError(e);
    } catch (RuntimeException classifierFailure) {
      // A bug of the classifier must not hide the failure it was given.
      e.addSuppressed(classifierFailure);
      return Optional.empty();
    }
    return classified.map(configError -> context(e).map(c -> c + ": ").orElse("") + configError.getMessage());
  }

  /** "Writing 3 records of stream 'x' failed": the part of a stream failure's message before its cause's. */
  private static Optional<String> context(Throwable e) {
    if (!namesItsStage(e) || e.getCause() == null) {
      return Optional.empty();
    }
    String message = String.valueOf(e.getMessage());
    String cause = String.valueOf(e.getCause().getMessage());
    if (!message.endsWith(cause)) {
      return Optional.empty();
    }
    String prefix = message.substring(0, message.length() - cause.length()).strip();
    return Optional.of(prefix.endsWith(":") ? prefix.substring(0, prefix.length() - 1) : prefix);
  }

  private int write(C config, Arguments args) throws Exception {
    if (args.catalog == null) {
      throw new ConfigErrorException("--catalog FILE is required for --write.");
    }
    DestinationCatalog catalog;
    try {
      catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(readJsonFile(args.catalog, "catalog")));
    } catch (ProtocolException e) {
      throw new ConfigErrorException("The catalog file " + args.catalog + " is invalid: " + e.getMessage(), e);
    }
    DataChannel channel;
    try {
      channel = DataChannel.fromEnvironment(environment);
    } catch (IllegalArgumentException e) {
      throw new ConfigErrorException("The data channel the platform set is invalid: " + e.getMessage(), e);
    }
    if (channel.medium() == DataChannel.Medium.SOCKET) {
      // In socket mode the platform leaves the namespace mapping to the destination.
      Optional<NamespaceMapping> mapping;
      try {
        mapping = NamespaceMapping.fromEnvironment(environment);
      } catch (IllegalArgumentException e) {
        throw new ConfigErrorException("The namespace mapping the platform gave is invalid: " + e.getMessage(), e);
      }
      if (mapping.isPresent()) {
        catalog = catalog.mapped(mapping.get()::apply);
      }
    }
    TableCatalog tables = destination.tableCatalog(config, catalog);
    // Tuned before anything is created: pools, starts and flushes all use the same settings.
    PipelineSettings tuned = destination.tunePipeline(settings).withSystemOverrides();
    WriteContext context = new WriteContext(tuned, (level, message) -> {
      try {
        out.write(Messages.log(level, scrubber.scrub(message)));
      } catch (RuntimeException e) {
        throw new StageFailure("Cannot write a LOG message to stdout (" + e.getMessage() + "): the reader of the"
            + " destination's output has gone. The records committed after the last STATE written are removed by"
            + " the next attempt, whose source sends them again.", e);
      }
    });
    SyncResult result;
    try (DestinationWriter writer = destination.createWriter(config, tables, context)) {
      writer.setup();
      // Every loader is chosen before any is started: a refused stream fails the sync before DDL runs.
      StreamLoaders loaders = StreamLoaders.create(writer, tables, tuned.flushThreads());
      CheckpointStore checkpoints = writer.checkpoints();
      long startNanos = System.nanoTime();
      RawId floor = recover(checkpoints, loaders, context.log());
      loaders.startAll();
      context.log().info("Prepared the tables of " + loaders.size() + " stream(s) in "
          + seconds(System.nanoTime() - startNanos) + ".");
      StateTracker tracker = null;
      SocketStateTracker socketTracker = null;
      WritePipeline pipeline;
      if (channel.medium() == DataChannel.Medium.SOCKET) {
        socketTracker = new SocketStateTracker(catalog, out::writeAll, checkpoints, floor);
        pipeline = new WritePipeline(catalog, tables, loaders, socketTracker, destination.valueLimits(), tuned, floor);
        context.log().info("Reading " + channel.format() + " from " + channel.socketPaths().size() + " socket(s).");
      } else {
        tracker = StateTracker.writingGroups(catalog, out::writeAll, checkpoints);
        pipeline = new WritePipeline(catalog, tables, loaders, tracker, destination.valueLimits(), tuned, floor);
      }
      observer.started(catalog, pipeline);
      boolean progress = args.progress || (observer == WriteObserver.NONE && ProgressReporter.stderrIsTerminal());
      ProgressReporter reporter = progress ? new ProgressReporter(err, pipeline, catalog) : null;
      try {
        result = socketTracker != null
            ? pipeline.run(channel.socketPaths(), channel.format(), socketWait(), out::writeAll)
            : pipeline.run(in);
      } finally {
        if (reporter != null) {
          reporter.close();
        }
      }
      context.log().info("Finalised the tables of " + loaders.size() + " stream(s) in "
          + seconds(result.finaliseNanos()) + ".");
      observer.ended(result);
      if (result.failure() == null && result.incompleteStreams().isEmpty()) {
        // Every stream is complete: this attempt's rows are all kept, whatever a later one does.
        try {
          checkpoints.finish(RawId.max(floor, tracker != null ? tracker.lastRawId() : socketTracker.lastRawId()));
        } catch (Exception e) {
          throw new StageFailure("Recording in the destination that every stream completed failed: " + e.getMessage(), e);
        }
      }
    }
    if (result.failure() != null) {
      return fail(result.failure());
    }
    if (!result.incompleteStreams().isEmpty()) {
      return fail(
          FailureType.SYSTEM_ERROR,
          "The input ended without STREAM_STATUS COMPLETE for stream(s) "
              + String.join(", ", result.incompleteStreams())
              + ". Their records up to the last emitted STATE are committed; the sync is incomplete.",
          null);
    }
    out.write(Messages.log("INFO", "Wrote " + result.records() + " records; emitted " + result.statesEmitted() + " states."));
    return 0;
  }

  /**
   * Makes the tables agree with the states the previous attempt emitted: for each stream that an
   * unfinished attempt wrote, the rows it committed after its last recorded STATE are removed (its
   * source sends them again). Then this attempt is recorded as begun, with a raw id floor above every
   * row kept, before any batch is written. Returns that floor.
   */
  private RawId recover(CheckpointStore checkpoints, StreamLoaders loaders, SyncLog log) throws Exception {
    List<Optional<CheckpointStore.Checkpoint>> previous = checkpoints.load();
    RawId floor = RawId.firstOf(System.currentTimeMillis());
    for (Optional<CheckpointStore.Checkpoint> checkpoint : previous) {
      if (checkpoint.isPresent()) {
        floor = RawId.max(floor, checkpoint.get().highestCovered());
      }
    }
    loaders.discardUncovered(previous, log);
    checkpoints.begin(floor);
    return floor;
  }

  /** How long each socket is waited for: {@code destkit.socket.wait.seconds}, 15 minutes by default. */
  private static Duration socketWait() {
    String value = System.getProperty("destkit.socket.wait.seconds");
    if (value == null || value.isBlank()) {
      return DEFAULT_SOCKET_WAIT;
    }
    try {
      return Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      throw new ConfigErrorException("The system property destkit.socket.wait.seconds is '" + value
          + "', not a number of seconds.", e);
    }
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private int fail(Throwable e) {
    Optional<String> configError = configErrorMessage(e);
    if (configError.isPresent()) {
      return fail(FailureType.CONFIG_ERROR, configError.get(), stackTrace(e));
    }
    InputException inputError = find(e, InputException.class);
    if (inputError != null) {
      return fail(FailureType.SYSTEM_ERROR, inputError.getMessage(), stackTrace(e));
    }
    String message = namesItsStage(e)
        ? e.getMessage()
        : "Unexpected error: " + rootMessage(e);
    return fail(FailureType.SYSTEM_ERROR, message, stackTrace(e));
  }

  /** Failures whose message already says what was being done (a stream's write, start or state). */
  private static boolean namesItsStage(Throwable e) {
    return e instanceof WritePipeline.WriteFailure
        || e instanceof StageFailure
        || e instanceof StreamLoaders.StreamFailure
        || e instanceof StateTracker.CheckpointFailure
        || e instanceof StateTracker.OutputFailure;
  }

  /** A stage of the write that failed: a stream's start, the recovery of an attempt, the final record. */
  private static final class StageFailure extends RuntimeException {
    StageFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private int fail(FailureType type, String message, String internal) {
    String safe = scrubber.scrub(message);
    err.println("ERROR: " + safe);
    try {
      out.write(Messages.error(type, safe, scrubber.scrub(internal)));
    } catch (RuntimeException stdoutGone) {
      // The reason is on stderr already; the exit code says the rest.
      err.println("ERROR: the error could not be written to stdout either: " + stdoutGone.getMessage());
    }
    return 1;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** The failure's type and message, and its root cause's when that is another. */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
    return root == e ? outer : outer + " (caused by " + root.getClass().getName() + ": " + rootMessage(root) + ")";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private static String stackTrace(Throwable e) {
    StringWriter text = new StringWriter();
    e.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
