package io.destkit.core.operation;

import io.destkit.core.pipeline.StreamStats;
import io.destkit.core.pipeline.WritePipeline;
import io.destkit.core.stream.DestinationCatalog;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints a progress line to stderr while a write runs (records, MB, records/s) and a per-stream
 * summary at the end. Never writes to stdout, which carries only protocol messages.
 */
final class ProgressReporter implements AutoCloseable {
  private final PrintStream err;
  private final WritePipeline pipeline;
  private final DestinationCatalog catalog;
  private final long startNanos = System.nanoTime();
  private final Thread thread;
  /** On a terminal the line is redrawn in place; in a file each update is its own line. */
  private final String redraw = stderrIsTerminal() ? "\r" : "\n";
  private volatile boolean running = true;

  ProgressReporter(PrintStream err, WritePipeline pipeline, DestinationCatalog catalog) {
    this.err = err;
    this.pipeline = pipeline;
    this.catalog = catalog;
    this.thread = new Thread(this::loop, "destkit-progress");
    thread.setDaemon(true);
    thread.start();
  }

  /** True when stderr is a terminal (Linux: fd 2 points at a tty device). */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception | Error e) {
      return false;
    }
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        err.print(redraw + line());
        err.flush();
      }
    }
  }

  private String line() {
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long records = pipeline.recordsRead();
    return String.format(
        Locale.ROOT,
        "%,d records, %.1f MB read, %,.0f records/s, %.0fs",
        records,
        pipeline.bytesRead() / 1e6,
        records / seconds,
        seconds);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    err.println(redraw + line());
    err.println(
        String.format(
            Locale.ROOT,
            "CPU: read+parse+coerce %.2f s (one thread), bulk writes %.2f s (flush threads)",
            pipeline.readCpuNanos() / 1e9,
            pipeline.writeCpuNanos() / 1e9));
    err.println(String.format(Locale.ROOT, "%-40s %14s %10s %10s", "stream", "rows written", "nulled", "write s"));
    for (int i = 0; i < catalog.size(); i++) {
      StreamStats stats = pipeline.stats(i);
      err.println(
          String.format(
              Locale.ROOT,
              "%-40s %,14d %,10d %10.2f",
              catalog.get(i).descriptor(),
              stats.rowsWritten(),
              stats.nulledValues(),
              stats.writeNanos() / 1e9));
    }
    err.flush();
  }
}
