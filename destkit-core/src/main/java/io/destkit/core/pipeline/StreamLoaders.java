package io.destkit.core.pipeline;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.StreamLoader;
import io.destkit.core.write.SyncLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;

/**
 * The stream loaders of one sync, through their whole life: created (all before any starts, so a
 * refused stream fails the sync before DDL runs), cleaned after an interrupted attempt, started,
 * written, closed. Starts, clean-ups and closes run several streams at once (as many as there are
 * flush threads); a failure names its stream.
 */
public final class StreamLoaders {
  private final List<StreamLoader> loaders;
  private final TableCatalog tables;
  private final int threads;

  public StreamLoaders(List<StreamLoader> loaders, TableCatalog tables, int threads) {
    this.loaders = List.copyOf(loaders);
    this.tables = tables;
    this.threads = Math.max(1, threads);
  }

  /** One loader per stream of the catalog, from the writer. */
  public static StreamLoaders create(DestinationWriter writer, TableCatalog tables, int threads) throws Exception {
    List<StreamLoader> loaders = new ArrayList<>();
    for (int i = 0; i < tables.tables().size(); i++) {
      loaders.add(writer.createStreamLoader(tables.get(i)));
    }
    return new StreamLoaders(loaders, tables, threads);
  }

  public int size() {
    return loaders.size();
  }

  public StreamLoader get(int stream) {
    return loaders.get(stream);
  }

  /**
   * For each stream an unfinished attempt wrote ({@code previous}, by stream), removes the rows it
   * committed after its last recorded STATE (keeping those in the ranges it kept above its mark), and
   * logs how many.
   */
  public void discardUncovered(List<Optional<CheckpointStore.Checkpoint>> previous, SyncLog log) {
    forEach("Removing the rows an interrupted attempt wrote after its last STATE from", i -> {
      Optional<CheckpointStore.Checkpoint> checkpoint = i < previous.size() ? previous.get(i) : Optional.empty();
      if (checkpoint.isPresent() && !checkpoint.get().finished()) {
        long removed = loaders.get(i).discardAfter(checkpoint.get().mark(), checkpoint.get().keptAbove());
        if (removed > 0) {
          log.info("Stream '" + tables.get(i).stream().descriptor() + "': removed " + removed + " rows that an"
              + " interrupted attempt committed after its last STATE; the source sends those records again.");
        }
      }
    });
  }

  /** Starts every loader (each creates or evolves its tables). */
  public void startAll() {
    forEach("Starting", i -> loaders.get(i).start());
  }

  /** Bulk-loads one batch of its stream. */
  public void write(RecordBatch batch) throws Exception {
    loaders.get(batch.streamIndex()).write(batch);
  }

  /**
   * Closes every loader, {@code completed} telling which streams are finalised as complete. Every
   * loader is closed even when others fail; the first failure is returned, named by its stream.
   */
  public Optional<Throwable> closeAll(IntPredicate completed) {
    List<Throwable> failures = run(i -> loaders.get(i).close(completed.test(i)), true);
    return failures.stream().findFirst().map(e -> namedFailure("Finalising", e));
  }

  @FunctionalInterface
  private interface Action {
    void run(int stream) throws Exception;
  }

  /** Runs an action for every stream, several at once; throws the first failure, named by its stream. */
  private void forEach(String verb, Action action) {
    List<Throwable> failures = run(action, false);
    if (!failures.isEmpty()) {
      Throwable failure = failures.get(0);
      if (failure instanceof ConfigErrorException configError) {
        throw configError;
      }
      throw namedFailure(verb, failure);
    }
  }

  private StreamFailure namedFailure(String verb, Throwable failure) {
    StreamFailure named = failure instanceof StreamFailure already ? already : null;
    if (named != null) {
      return named;
    }
    String stream = failure instanceof Indexed indexed ? " stream '" + tables.get(indexed.stream).stream().descriptor() + "'" : "";
    Throwable cause = failure instanceof Indexed indexed ? indexed.getCause() : failure;
    return new StreamFailure(verb + stream + " failed: " + cause.getMessage(), cause);
  }

  /**
   * Runs the action for each stream on a pool; returns the failures in stream order (each wrapped
   * with its stream). {@code all}: every stream runs even after a failure; else those not yet
   * begun are skipped.
   */
  private List<Throwable> run(Action action, boolean all) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, loaders.size())), runnable -> {
      Thread thread = new Thread(runnable, "destkit-loaders");
      thread.setDaemon(true);
      return thread;
    });
    List<Throwable> failures = new ArrayList<>();
    try {
      java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < loaders.size(); i++) {
        int stream = i;
        running.add(pool.submit(() -> {
          if (!all && failed.get()) {
            return null;
          }
          try {
            action.run(stream);
          } catch (Exception e) {
            failed.set(true);
            throw e;
          }
          return null;
        }));
      }
      for (int i = 0; i < running.size(); i++) {
        try {
          running.get(i).get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          failures.add(cause instanceof ConfigErrorException ? cause : new Indexed(i, cause));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failures.add(e);
          break;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return failures;
  }

  /** A failure with the stream it came from. */
  private static final class Indexed extends RuntimeException {
    final int stream;

    Indexed(int stream, Throwable cause) {
      super(cause.getMessage(), cause);
      this.stream = stream;
    }
  }

  /** A stream's start, clean-up or close that failed; the message names the stream. */
  public static final class StreamFailure extends RuntimeException {
    StreamFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
