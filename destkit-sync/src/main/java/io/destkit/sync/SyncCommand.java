package io.destkit.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.config.Specification;
import io.destkit.core.operation.Destination;
import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.operation.SecretScrubber;
import io.destkit.core.pipeline.StreamStats;
import io.destkit.core.pipeline.SyncResult;
import io.destkit.core.pipeline.WritePipeline;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.write.CheckpointStore.StreamProgress;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.WriteContext;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code destkit sync}: runs an Airbyte source into a DestKit destination in one process, doing what
 * the platform does around them: spec and check of both sides, discovery into a configured catalog,
 * sync and generation ids across runs, the last committed state per stream kept in the destination
 * and given to the source on the next run, and STREAM_STATUS COMPLETE for every stream when the
 * source exits successfully.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs an Airbyte source into a destination in one process, as the Airbyte platform would: spec and check"
            + " of both sides, discover, then read into the destination. Each stream resumes from the state the"
            + " destination committed last time (kept in the destination's database), so a second run reads only"
            + " what is new, and a run after a failed one goes on from where it stopped.",
        "",
        "Example:",
        "  destkit sync --source bin/source-example --source-config examples/source-example.json \\",
        "      --destination duckdb --config examples/config.json",
        "",
        "Exit codes: 0 the sync completed; 1 invalid options or files; 2 the source failed (its config, check,"
            + " discover or read); 3 the destination failed."},
    footer = {
        "",
        "Streams file (--streams-file), YAML:",
        "  streams:",
        "    users: {sync_mode: incremental, destination_sync_mode: append_dedup, primary_key: [id], cursor_field: updated_at}",
        "    products: {}          # selected with the source's defaults"})
public final class SyncCommand implements Callable<Integer> {
  @Option(names = "--source", paramLabel = "CMD",
      description = "The source as a command line, run by /bin/sh with the operation's arguments appended, e.g."
          + " 'node main.js', 'python -m source_x', 'bin/source-example'.")
  String sourceCommand;

  @Option(names = "--source-image", paramLabel = "IMAGE",
      description = "The source as a container image, e.g. airbyte/source-faker:6.2.0, run with podman or docker"
          + " (--container-runtime), its files mounted read-only at /config as the platform mounts them.")
  String sourceImage;

  @Option(names = "--container-runtime", paramLabel = "CMD",
      description = "The command that runs images, with its options, e.g. 'podman --runtime /usr/sbin/runc'."
          + " Default: $DESTKIT_CONTAINER_RUNTIME, else podman when installed, else docker.")
  String containerRuntime;

  @Option(names = "--source-config", paramLabel = "FILE", required = true,
      description = "The source's config JSON file, e.g. examples/source-example.json.")
  Path sourceConfig;

  @Option(names = "--destination", paramLabel = "NAME", defaultValue = "duckdb",
      description = "duckdb (default), postgres or iceberg.")
  DestinationKind destination;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The destination's config JSON file, e.g. examples/config.json. Required but for duckdb, which"
          + " defaults to {\"destination_path\": \"destkit.duckdb\"} (a file in the current folder).")
  Path destinationConfig;

  @Option(names = "--streams", paramLabel = "NAME", split = ",",
      description = "Only these streams (names, or namespace.name), e.g. --streams users,purchases. Default: every"
          + " stream of the source's catalog, or those of --streams-file.")
  List<String> streams;

  @Option(names = "--streams-file", paramLabel = "FILE",
      description = "YAML with the streams to sync and each one's sync_mode, destination_sync_mode, primary_key and"
          + " cursor_field (see below). Choices given win over the source's defaults: incremental where the"
          + " stream has a cursor, deduplicated where it has a primary key, else a full refresh that overwrites.")
  Path streamsFile;

  @Option(names = "--full-refresh",
      description = "Start a new generation of every selected stream: read everything again, without state, and"
          + " replace the tables' rows when the sync completes (the platform's refresh). Without it an unfinished"
          + " earlier run is resumed.")
  boolean fullRefresh;

  @Option(names = "--verbose", description = "Also show DEBUG and TRACE logs of both sides.")
  boolean verbose;

  @Option(names = "--progress-seconds", paramLabel = "N", defaultValue = "5",
      description = "Seconds between progress lines on stderr (default 5; 0 for none).")
  int progressSeconds;

  private final PrintStream err = System.err;

  @Override
  public Integer call() {
    SyncConsole console = new SyncConsole(err, verbose);
    Path workDir = null;
    try {
      workDir = Files.createTempDirectory("destkit-sync-");
      Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
      return sync(console, workDir);
    } catch (SourceFailure e) {
      console.info("FAILED: the source failed (" + e.failureType() + "): " + e.getMessage());
      return SourceFailure.EXIT_CODE;
    } catch (DestinationFailure e) {
      console.info("FAILED: the destination failed (" + e.failureType() + "): " + e.getMessage());
      return DestinationFailure.EXIT_CODE;
    } catch (ConfigErrorException e) {
      console.info("FAILED: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      console.info("FAILED: unexpected error: " + e);
      return 1;
    } finally {
      if (workDir != null) {
        deleteTree(workDir);
      }
    }
  }

  private int sync(SyncConsole console, Path workDir) throws Exception {
    long startNanos = System.nanoTime();
    SourceLauncher launcher = launcher(workDir);
    JsonNode sourceConfigJson = readJson(sourceConfig, "source config (--source-config)");
    Destination<?> dest = destination.create();
    JsonNode destinationConfigJson = destinationConfig != null
        ? readJson(destinationConfig, "destination config (--config)")
        : defaultDestinationConfig();
    console.maskDestination(SecretScrubber.of(dest.specification().schema(), destinationConfigJson));
    StreamChoices choices = streamsFile != null ? StreamChoices.fromFile(streamsFile) : StreamChoices.all();
    if (streams != null && !streams.isEmpty()) {
      choices = choices.selecting(streams);
    }

    // 1. spec and check on both sides: a bad config fails before anything is written.
    SourceConnector source = new SourceConnector(launcher, console);
    JsonNode sourceSpec = source.spec();
    if (sourceSpec.isObject()) {
      console.maskSource(SecretScrubber.of(sourceSpec, sourceConfigJson));
      List<String> problems = new Specification((ObjectNode) sourceSpec).problems(sourceConfigJson);
      if (!problems.isEmpty()) {
        throw new SourceFailure(SourceFailure.Stage.CONFIG, "config_error", "The source config " + sourceConfig
            + " does not match the source's spec: " + String.join("; ", problems), null);
      }
    }
    String sourceConfigText = MessageCodec.MAPPER.writeValueAsString(sourceConfigJson);
    source.check(sourceConfigText);
    Path destinationConfigFile = writePrivate(workDir.resolve("destination_config.json"),
        MessageCodec.MAPPER.writeValueAsString(destinationConfigJson));
    checkDestination(dest, destinationConfigFile, console);
    console.info("Checked the " + launcher.describe() + " and the " + destination + " destination.");

    // 2. discover into a configured catalog, with the ids and states of earlier runs.
    JsonNode discovered = source.discover(sourceConfigText);
    SyncPlan plan = SyncPlan.plan(discovered, choices, dest.supportedSyncModes());
    List<Optional<StreamProgress>> progress = loadProgress(dest, destinationConfigJson, plan.configuredCatalog());
    plan = plan.withProgress(progress, fullRefresh);
    describePlan(console, plan);

    // 3. read into the destination, in this process.
    ObjectNode catalog = plan.configuredCatalog();
    Path catalogFile = writePrivate(workDir.resolve("destination_catalog.json"), MessageCodec.MAPPER.writeValueAsString(catalog));
    List<SourceLauncher.InputFile> files = new ArrayList<>();
    files.add(new SourceLauncher.InputFile("--config", "source_config.json", sourceConfigText));
    files.add(new SourceLauncher.InputFile("--catalog", "source_catalog.json", MessageCodec.MAPPER.writeValueAsString(catalog)));
    Optional<JsonNode> state = plan.inputState();
    if (state.isPresent()) {
      files.add(new SourceLauncher.InputFile("--state", "input_state.json", MessageCodec.MAPPER.writeValueAsString(state.get())));
    }
    Process process;
    try {
      process = launcher.start("read", files);
    } catch (IOException e) {
      throw new SourceFailure(SourceFailure.Stage.READ, "config_error", "Cannot start the " + launcher.describe()
          + " for 'read': " + e.getMessage(), e);
    }
    Thread stderr = SourceConnector.pump(process.getErrorStream(), console::sourceStderr);
    AtomicReference<String> sourceError = new AtomicReference<>();
    SourceOutput input = new SourceOutput(process, plan.descriptors(), new SourceOutput.SourceEvents() {
      @Override
      public void log(String level, String message) {
        console.sourceLog(level, message);
      }

      @Override
      public void error(String failureType, String message, String internalMessage) {
        sourceError.compareAndSet(null, failureType + ": " + message);
        console.sourceError(failureType, message);
      }

      @Override
      public void otherLine(String line) {
        console.sourceStderr(line);
      }
    });
    DestinationOutput output = new DestinationOutput(console::destinationLog);
    SyncProgress observer = new SyncProgress(console, progressSeconds);
    int destinationCode;
    try (PrintStream destinationOut = new PrintStream(output, true, java.nio.charset.StandardCharsets.UTF_8)) {
      destinationCode = runner(dest, input, destinationOut).observingWrite(observer)
          .run(new String[] {"--write", "--config", destinationConfigFile.toString(), "--catalog", catalogFile.toString()});
    } finally {
      observer.stop();
    }
    Integer sourceExitAtEnd = input.exitCode();
    int sourceCode = input.stop(sourceExitAtEnd == null ? 5 : 0);
    stderr.join(5000);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    observer.summary(plan, seconds, input, output);

    // 4. the outcome: which side failed, if one did.
    if (destinationCode != 0 && sourceExitAtEnd == null) {
      throw new DestinationFailure(String.valueOf(output.errorType()), output.errorMessage() + " (the source was stopped)");
    }
    if (sourceCode != 0 || input.sourceFailed()) {
      String reason = sourceError.get() != null ? sourceError.get() : "exited with code " + sourceCode;
      throw new SourceFailure(SourceFailure.Stage.READ, sourceError.get() != null ? reason.substring(0, reason.indexOf(':')) : "system_error",
          "its read failed after " + input.records() + " records (" + reason + "). The destination kept what the "
              + output.statesCommitted() + " committed state(s) cover; the next run resumes from there.", null);
    }
    if (destinationCode != 0) {
      throw new DestinationFailure(String.valueOf(output.errorType()), String.valueOf(output.errorMessage()));
    }
    console.info(String.format(Locale.ROOT, "Sync %d completed in %.1f s.", plan.syncId(), seconds));
    return 0;
  }

  private SourceLauncher launcher(Path workDir) {
    if ((sourceCommand == null) == (sourceImage == null)) {
      throw new ConfigErrorException("Give the source as exactly one of --source CMD or --source-image IMAGE.");
    }
    if (sourceCommand != null) {
      return new SourceLauncher.Command(sourceCommand, workDir);
    }
    String runtime = containerRuntime;
    if (runtime == null || runtime.isBlank()) {
      runtime = System.getenv("DESTKIT_CONTAINER_RUNTIME");
    }
    if (runtime == null || runtime.isBlank()) {
      runtime = onPath("podman") ? "podman" : "docker";
    }
    return new SourceLauncher.Image(sourceImage, Arrays.asList(runtime.trim().split("\\s+")), workDir);
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private JsonNode defaultDestinationConfig() {
    if (destination != DestinationKind.duckdb) {
      throw new ConfigErrorException("--config FILE is required for the " + destination + " destination.");
    }
    ObjectNode config = MessageCodec.MAPPER.createObjectNode();
    config.put("destination_path", Path.of("destkit.duckdb").toAbsolutePath().toString());
    return config;
  }

  private static <C> DestinationRunner<C> runner(Destination<C> destination, InputStream in, PrintStream out) {
    return new DestinationRunner<>(destination, in, out, System.err, PipelineSettings.defaults());
  }

  private void checkDestination(Destination<?> dest, Path configFile, SyncConsole console) {
    DestinationOutput output = new DestinationOutput(console::destinationLog);
    try (PrintStream out = new PrintStream(output, true, java.nio.charset.StandardCharsets.UTF_8)) {
      runner(dest, InputStream.nullInputStream(), out).run(new String[] {"--check", "--config", configFile.toString()});
    }
    JsonNode status = output.connectionStatus();
    if (status == null || !"SUCCEEDED".equals(status.path("status").asText())) {
      String message = status == null ? String.valueOf(output.errorMessage()) : status.path("message").asText();
      throw new DestinationFailure("config_error", "its check failed: " + message + ". Fix the destination config"
          + (destinationConfig != null ? " (" + destinationConfig + ")" : "") + ".");
    }
  }

  /** What the destination recorded of each planned stream's earlier runs. */
  private static List<Optional<StreamProgress>> loadProgress(Destination<?> dest, JsonNode config, ObjectNode catalog)
      throws Exception {
    return progressOf(dest, config, catalog);
  }

  private static <C> List<Optional<StreamProgress>> progressOf(Destination<C> dest, JsonNode json, ObjectNode catalogJson)
      throws Exception {
    dest.specification().validate(json);
    C config = dest.bindConfig(json);
    DestinationCatalog catalog = DestinationCatalog.from(ConfiguredCatalog.fromJson(catalogJson));
    TableCatalog tables = dest.tableCatalog(config, catalog);
    PipelineSettings settings = dest.tunePipeline(PipelineSettings.defaults()).withSystemOverrides();
    try (DestinationWriter writer = dest.createWriter(config, tables, WriteContext.of(settings))) {
      writer.setup();
      return writer.checkpoints().loadProgress();
    } catch (UnsupportedOperationException e) {
      throw new DestinationFailure("system_error", "it cannot keep the sync's state: " + e.getMessage());
    }
  }

  private static void describePlan(SyncConsole console, SyncPlan plan) {
    console.info("Sync " + plan.syncId() + (plan.resumed() ? " (resuming the unfinished previous run)" : "") + ":");
    for (SyncPlan.PlannedStream stream : plan.streams()) {
      console.info(String.format(Locale.ROOT, "  %-32s %s / %s, generation %d%s", stream.descriptor(),
          stream.syncMode(), stream.destinationSyncMode(), stream.generationId(),
          stream.state() != null ? ", from its last state" : ""));
    }
  }

  private static JsonNode readJson(Path path, String what) {
    try {
      return MessageCodec.MAPPER.readTree(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new ConfigErrorException("The " + what + " file " + path + " does not exist.");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new ConfigErrorException("The " + what + " file " + path + " is not valid JSON" + where + ".");
    } catch (IOException e) {
      throw new ConfigErrorException("The " + what + " file " + path + " cannot be read: " + e.getMessage());
    }
  }

  private static Path writePrivate(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A temporary folder left behind is harmless.
    }
  }

  /** Progress lines while the write runs, and the per-stream summary at the end. */
  static final class SyncProgress implements DestinationRunner.WriteObserver {
    private final SyncConsole console;
    private final int everySeconds;
    private volatile WritePipeline pipeline;
    private volatile DestinationCatalog catalog;
    private volatile Thread thread;
    private final long startNanos = System.nanoTime();

    SyncProgress(SyncConsole console, int everySeconds) {
      this.console = console;
      this.everySeconds = everySeconds;
    }

    @Override
    public void started(DestinationCatalog catalog, WritePipeline pipeline) {
      this.catalog = catalog;
      this.pipeline = pipeline;
      if (everySeconds > 0) {
        Thread loop = new Thread(() -> {
          try {
            while (true) {
              Thread.sleep(everySeconds * 1000L);
              console.info(line());
            }
          } catch (InterruptedException e) {
            // Stopped at the end of the write.
          }
        }, "destkit-sync-progress");
        loop.setDaemon(true);
        loop.start();
        thread = loop;
      }
    }

    @Override
    public void ended(SyncResult result) {
      stop();
    }

    void stop() {
      Thread loop = thread;
      if (loop != null) {
        loop.interrupt();
      }
    }

    private String line() {
      double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
      long written = 0;
      for (int i = 0; i < catalog.size(); i++) {
        written += pipeline.stats(i).rowsWritten();
      }
      return String.format(Locale.ROOT, "  ... %,d records read (%.1f MB), %,d rows written, %,.0f records/s, %.0f s",
          pipeline.recordsRead(), pipeline.bytesRead() / 1e6, written, pipeline.recordsRead() / seconds, seconds);
    }

    void summary(SyncPlan plan, double seconds, SourceOutput input, DestinationOutput output) {
      if (pipeline == null) {
        return;
      }
      console.info(String.format(Locale.ROOT, "%-32s %-26s %14s %14s %10s %9s", "stream", "mode", "records read",
          "rows written", "nulled", "MB"));
      long bytes = 0;
      for (int i = 0; i < catalog.size(); i++) {
        StreamStats stats = pipeline.stats(i);
        SyncPlan.PlannedStream stream = plan.streams().get(i);
        bytes += stats.bytesRead();
        console.info(String.format(Locale.ROOT, "%-32s %-26s %,14d %,14d %,10d %9.1f", stream.descriptor(),
            stream.syncMode() + "/" + stream.destinationSyncMode(), stats.recordsRead(), stats.rowsWritten(),
            stats.nulledValues(), stats.bytesRead() / 1e6));
      }
      console.info(String.format(Locale.ROOT, "%,d records, %.1f MB in %.1f s (%.1f MB/s, %,.0f records/s); %,d of the"
              + " source's %,d states committed.", input.records(), bytes / 1e6, seconds, bytes / 1e6 / Math.max(seconds, 1e-3),
          input.records() / Math.max(seconds, 1e-3), output.statesCommitted(), input.states()));
    }
  }
}
