package io.destkit.testkit.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ResumableSource.Message;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * One attempt of a sync: the packaged destination as a process, the source's messages written to
 * its stdin while its stdout is read line by line, and optionally a {@code kill -9} (SIGKILL) at a
 * {@link KillPoint}. A kill can cut the last stdout line short: only lines that end with a newline
 * count, as a platform reads them.
 */
public final class ConnectorAttempt {
  /** SIGKILL's exit status. */
  private static final int KILLED = 128 + 9;

  /**
   * How to start the destination: JVM options, the jar, the arguments, and where its files go; and
   * how fast the source writes ({@code recordsPerSecond}, 0 for as fast as the destination reads),
   * as a real source is often slower than the destination, so that the sync spans some seconds.
   */
  public record Launch(
      List<String> jvmOptions, Path jar, List<String> arguments, Path workDir, Duration timeout, long recordsPerSecond) {}

  /**
   * What the attempt did.
   *
   * @param killed whether the process died of the kill (not when it had already ended by itself)
   * @param killNote where the kill landed: states printed and records written by then
   * @param states the complete STATE lines the destination printed, in order
   * @param recordsWritten records the source wrote to stdin (before the kill)
   * @param endMillis from stdin closed to the process's exit (-1 when the input did not end)
   */
  public record Outcome(
      int exitCode,
      boolean killed,
      String killNote,
      List<ObjectNode> messages,
      List<ObjectNode> states,
      List<String> protocolErrors,
      long recordsWritten,
      long endMillis,
      long millis,
      Path stderr) {

    public List<JsonNode> errors() {
      return messages.stream()
          .filter(m -> "TRACE".equals(m.path("type").asText()) && "ERROR".equals(m.path("trace").path("type").asText()))
          .map(m -> m.path("trace").path("error"))
          .toList();
    }

    public String stderrTail() {
      try {
        String text = Files.readString(stderr, StandardCharsets.UTF_8);
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
      } catch (IOException e) {
        return "(stderr unreadable: " + e + ")";
      }
    }
  }

  private final Launch launch;
  private final String name;

  public ConnectorAttempt(Launch launch, String name) {
    this.launch = launch;
    this.name = name;
  }

  /**
   * Runs the attempt: the destination reads {@code messages}; {@code recordsToSend} is how many
   * records they hold (the base of {@link KillPoint.AfterRecords}).
   */
  public Outcome run(Iterator<Message> messages, long recordsToSend, Optional<KillPoint> kill) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(launch.jvmOptions());
    command.add("-jar");
    command.add(launch.jar().toString());
    command.addAll(launch.arguments());
    Path stderr = launch.workDir().resolve(name + ".stderr.txt");
    long started = System.nanoTime();
    Process process;
    try {
      process = new ProcessBuilder(command)
          .directory(launch.workDir().toFile())
          .redirectError(stderr.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    StdoutReader stdout = new StdoutReader(process.getInputStream(), launch.workDir().resolve(name + ".stdout.jsonl"));
    long killAtRecord = kill.map(k -> recordsBeforeKill(k, recordsToSend)).orElse(-1L);
    boolean hold = kill.filter(k -> k instanceof KillPoint.AfterRecords r && r.holdInput()
        || k instanceof KillPoint.LosingTheLastStateOf).isPresent();
    InputWriter stdin = new InputWriter(process, messages, killAtRecord, hold, launch.recordsPerSecond());
    // Threads of their own: the common pool may have a single thread on a small machine.
    ExecutorService threads = Executors.newFixedThreadPool(3);
    CompletableFuture<Void> reading = CompletableFuture.runAsync(stdout::readAll, threads);
    CompletableFuture<Void> writing = CompletableFuture.runAsync(stdin::writeAll, threads);
    String killNote = "";
    boolean killSent = false;
    long exited;
    try {
      if (kill.isPresent()) {
        CompletableFuture<?> trigger = trigger(kill.get(), stdout, stdin, threads);
        CompletableFuture.anyOf(trigger, process.onExit()).get(launch.timeout().toMillis(), TimeUnit.MILLISECONDS);
        long delay = delayAfterTrigger(kill.get());
        if (delay > 0) {
          process.waitFor(delay, TimeUnit.MILLISECONDS);
        }
        if (process.isAlive()) {
          killNote = kill.get().describe() + ": " + stdout.stateCount() + " STATEs printed, "
              + stdin.recordsWritten() + " of " + recordsToSend + " records written"
              + (stdin.inputEnd.isDone() ? ", input ended" : "");
          // SIGKILL through the handle: Process.destroyForcibly would also close our end of stdout,
          // losing the lines the destination wrote before it died, which a platform reads.
          process.toHandle().destroyForcibly();
          killSent = true;
        }
      }
      if (!process.waitFor(launch.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(name + ": the destination did not finish within " + launch.timeout() + "; stderr in " + stderr);
      }
      exited = System.nanoTime();
      reading.get(launch.timeout().toMillis(), TimeUnit.MILLISECONDS);
      writing.get(launch.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException(name + " interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError(name + ": " + e, e);
    } finally {
      threads.shutdownNow();
    }
    int exitCode = process.exitValue();
    long endMillis = stdin.inputEnd.isDone() ? (exited - stdin.inputEnd.join()) / 1_000_000 : -1;
    return new Outcome(exitCode, killSent && exitCode == KILLED, killNote, stdout.messages(), stdout.states(),
        stdout.errors(), stdin.recordsWritten(), endMillis, (exited - started) / 1_000_000, stderr);
  }

  private static CompletableFuture<?> trigger(
      KillPoint kill, StdoutReader stdout, InputWriter stdin, ExecutorService threads) {
    if (kill instanceof KillPoint.AfterStates states) {
      return CompletableFuture.anyOf(stdout.statesReached(states.states()), stdin.inputEnd);
    }
    if (kill instanceof KillPoint.LosingTheLastStateOf lost) {
      // The input is held open: the destination cannot end before it prints that state.
      return stdout.stateMatching(lost::moves);
    }
    if (kill instanceof KillPoint.AfterDelay delay) {
      Executor later = CompletableFuture.delayedExecutor(delay.millis(), TimeUnit.MILLISECONDS, threads);
      return CompletableFuture.anyOf(CompletableFuture.runAsync(() -> { }, later), stdin.inputEnd);
    }
    if (kill instanceof KillPoint.AfterRecords || kill instanceof KillPoint.AfterShare) {
      return CompletableFuture.anyOf(stdin.recordsReached, stdin.inputEnd);
    }
    return stdin.inputEnd;
  }

  /** The record after which the source signals the kill, or -1 for a kill point of another kind. */
  private static long recordsBeforeKill(KillPoint kill, long recordsToSend) {
    if (kill instanceof KillPoint.AfterRecords records) {
      return records.records();
    }
    if (kill instanceof KillPoint.AfterShare share) {
      return share.records(recordsToSend);
    }
    if (kill instanceof KillPoint.LosingTheLastStateOf lost) {
      return lost.records();
    }
    return -1;
  }

  private static long delayAfterTrigger(KillPoint kill) {
    if (kill instanceof KillPoint.AfterRecords records) {
      return records.delayMillis();
    }
    if (kill instanceof KillPoint.AfterShare share) {
      return share.delayMillis();
    }
    if (kill instanceof KillPoint.AfterInputEnd end) {
      return end.delayMillis();
    }
    return 0;
  }

  /** Writes the source's messages to stdin, then closes it; stops quietly when the process is gone. */
  private static final class InputWriter {
    /** Records between two checks of the pace. */
    private static final int PACE_STEP = 50;

    private final Process process;
    private final Iterator<Message> messages;
    private final long signalAt;
    private final boolean hold;
    private volatile long written;
    final CompletableFuture<Void> recordsReached = new CompletableFuture<>();
    /** Completes with System.nanoTime() when stdin is closed (or the process is gone). */
    final CompletableFuture<Long> inputEnd = new CompletableFuture<>();

    private final long nanosPerRecord;

    InputWriter(Process process, Iterator<Message> messages, long signalAt, boolean hold, long recordsPerSecond) {
      this.process = process;
      this.messages = messages;
      this.signalAt = signalAt;
      this.hold = hold;
      this.nanosPerRecord = recordsPerSecond > 0 ? 1_000_000_000L / recordsPerSecond : 0;
    }

    long recordsWritten() {
      return written;
    }

    void writeAll() {
      try (Writer out = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), 1 << 16)) {
        long start = System.nanoTime();
        while (messages.hasNext()) {
          Message message = messages.next();
          if (nanosPerRecord > 0 && message.isRecord() && written % PACE_STEP == 0) {
            long ahead = start + written * nanosPerRecord - System.nanoTime();
            if (ahead > 0) {
              out.flush();
              LockSupport.parkNanos(ahead);
            }
          }
          out.write(message.json());
          out.write('\n');
          if (message.isRecord() && ++written == signalAt) {
            out.flush();
            recordsReached.complete(null);
            if (hold) {
              process.onExit().join();
              return;
            }
          }
        }
        out.flush();
      } catch (IOException e) {
        // The destination is gone (killed): its stdin is a broken pipe. Nothing more to write.
      } finally {
        inputEnd.complete(System.nanoTime());
      }
    }
  }

  /** Reads stdout as a platform does: complete lines only, each a JSON object; keeps a copy in a file. */
  private static final class StdoutReader {
    private final InputStream in;
    private final Path copy;
    private final List<ObjectNode> messages = Collections.synchronizedList(new ArrayList<>());
    private final List<ObjectNode> states = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<Waiter> waiting = new ArrayList<>();

    /** Completes {@code reached} once the STATE lines printed so far meet {@code condition}. */
    private record Waiter(Predicate<List<ObjectNode>> condition, CompletableFuture<Void> reached) {}

    StdoutReader(InputStream in, Path copy) {
      this.in = in;
      this.copy = copy;
    }

    CompletableFuture<Void> statesReached(int count) {
      return when(printed -> printed.size() >= count);
    }

    /** Completes once the destination has printed a STATE that {@code state} accepts. */
    CompletableFuture<Void> stateMatching(Predicate<ObjectNode> state) {
      return when(printed -> printed.stream().anyMatch(state));
    }

    private synchronized CompletableFuture<Void> when(Predicate<List<ObjectNode>> condition) {
      CompletableFuture<Void> reached = new CompletableFuture<>();
      if (condition.test(states)) {
        reached.complete(null);
      } else {
        waiting.add(new Waiter(condition, reached));
      }
      return reached;
    }

    int stateCount() {
      return states.size();
    }

    List<ObjectNode> messages() {
      return List.copyOf(messages);
    }

    List<ObjectNode> states() {
      return List.copyOf(states);
    }

    List<String> errors() {
      return List.copyOf(errors);
    }

    void readAll() {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] buffer = new byte[1 << 16];
      try (in; Writer lines = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              String text = line.toString(StandardCharsets.UTF_8);
              accept(text);
              lines.write(text);
              lines.write('\n');
              line.reset();
            } else {
              line.write(buffer[i]);
            }
          }
        }
      } catch (IOException e) {
        errors.add("stdout unreadable: " + e);
      }
      // A line without its newline was cut short by the kill: a platform never sees it.
    }

    private void accept(String line) {
      JsonNode node;
      try {
        node = ConnectorProcess.JSON.readTree(line);
      } catch (IOException e) {
        errors.add("not JSON on stdout: " + line);
        return;
      }
      if (node == null || !node.isObject() || !node.path("type").isTextual()) {
        errors.add("not an Airbyte message on stdout: " + line);
        return;
      }
      messages.add((ObjectNode) node);
      if ("STATE".equals(node.path("type").asText())) {
        stateSeen((ObjectNode) node);
      }
    }

    private synchronized void stateSeen(ObjectNode state) {
      states.add(state);
      for (Iterator<Waiter> i = waiting.iterator(); i.hasNext(); ) {
        Waiter waiter = i.next();
        if (waiter.condition().test(states)) {
          waiter.reached().complete(null);
          i.remove();
        }
      }
    }
  }
}
