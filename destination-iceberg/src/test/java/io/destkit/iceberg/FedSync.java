package io.destkit.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.operation.Destination;
import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.write.PipelineSettings;
import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.SyncInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code --write} run in-process on a thread of its own, its standard input fed by the test while
 * it runs, so the test can look at the tables between two messages. Each batch is flushed at two
 * records, so a STATE is printed as soon as the two records before it are committed.
 */
final class FedSync implements AutoCloseable {
  private static final long WAIT_SECONDS = 120;

  private final PipedOutputStream input = new PipedOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final CountDownLatch statePrinted = new CountDownLatch(1);
  private final CompletableFuture<Integer> exitCode;

  FedSync(Destination<?> destination, JsonNode config, JsonNode catalog, Path directory) throws IOException {
    Path configFile = Files.writeString(Files.createTempFile(directory, "config", ".json"), MessageCodec.encode(config));
    Path catalogFile = Files.writeString(Files.createTempFile(directory, "catalog", ".json"), MessageCodec.encode(catalog));
    PipedInputStream stdin = new PipedInputStream(input, 1 << 16);
    PrintStream out = new PrintStream(new StateLines(statePrinted), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
    DestinationRunner<?> runner = runner(destination, stdin, out, err);
    exitCode = CompletableFuture.supplyAsync(() -> runner.run(new String[] {
        "--write", "--config", configFile.toString(), "--catalog", catalogFile.toString()}));
  }

  private static <C> DestinationRunner<C> runner(
      Destination<C> destination, PipedInputStream stdin, PrintStream out, PrintStream err) {
    return new DestinationRunner<>(destination, stdin, out, err, PipelineSettings.defaults().withBatchRecords(2));
  }

  void send(SyncInput messages) throws IOException {
    input.write(messages.text().getBytes(StandardCharsets.UTF_8));
    input.flush();
  }

  /** Waits until the run has printed a STATE. */
  void awaitState() throws InterruptedException {
    assertThat(statePrinted.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("a STATE printed; stderr: %s", stderr()).isTrue();
  }

  /** Ends the input and waits for the run's exit code. */
  int finish() throws IOException, ExecutionException, TimeoutException {
    input.close();
    try {
      return exitCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the sync to end", e);
    }
  }

  String stderr() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  /** Ends the input (a run not yet finished then ends without its streams complete) and waits for it. */
  @Override
  public void close() throws IOException, ExecutionException, TimeoutException {
    finish();
  }

  /** Counts down once a STATE line has been written to it. */
  private static final class StateLines extends OutputStream {
    private final CountDownLatch statePrinted;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    StateLines(CountDownLatch statePrinted) {
      this.statePrinted = statePrinted;
    }

    @Override
    public synchronized void write(int b) {
      if (b != '\n') {
        line.write(b);
        return;
      }
      if (line.toString(StandardCharsets.UTF_8).contains("\"type\":\"STATE\"")) {
        statePrinted.countDown();
      }
      line.reset();
    }
  }
}
