package io.destkit.benchmarks;

import io.destkit.core.write.PipelineSettings;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.pipeline.SyncResult;
import io.destkit.core.pipeline.WritePipeline;
import io.destkit.core.state.StateTracker;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.StreamLoader;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records per second through the public write path without a database: {@link WritePipeline} reads
 * an in-memory JSONL of {@value #RECORDS} records (and their STATE and STREAM_STATUS lines), parses
 * and coerces each record into its row, buffers it, and hands full buffers to a loader that does
 * nothing. Parsing, coercion and buffering run on the benchmark thread, so the score is per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(PipelineBenchmark.RECORDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class PipelineBenchmark {
  static final int RECORDS = 10_000;

  @Param({"users", "wide"})
  public String shape;

  private BenchData data;
  private final AtomicLong rowsSeen = new AtomicLong();

  @Setup
  public void setUp() throws Exception {
    data = BenchData.load(shape, RECORDS);
    SyncResult result = run();
    if (result.failure() != null || result.records() != RECORDS) {
      throw new IllegalStateException("pipeline did not read " + RECORDS + " records: " + result, result.failure());
    }
  }

  @Benchmark
  public SyncResult parseCoerceBuffer() {
    return run();
  }

  private SyncResult run() {
    List<StreamLoader> loaders = new ArrayList<>();
    for (int i = 0; i < data.catalog.size(); i++) {
      loaders.add(new NoOpLoader(rowsSeen));
    }
    StateTracker tracker = new StateTracker(data.catalog, state -> { });
    WritePipeline pipeline =
        new WritePipeline(data.catalog, data.tables, loaders, tracker, ValueLimits.NONE, PipelineSettings.defaults());
    return pipeline.run(new ByteArrayInputStream(data.messages));
  }

  /** Accepts every batch at once: what is left is the connector's own per-record work. */
  private record NoOpLoader(AtomicLong rowsSeen) implements StreamLoader {
    @Override
    public long discardAfter(
        io.destkit.core.write.RawId mark, java.util.List<io.destkit.core.write.RawIdRange> kept) {
      return 0;
    }

    @Override
    public void start() {}

    @Override
    public void write(RecordBatch batch) {
      rowsSeen.addAndGet(batch.size());
    }

    @Override
    public void close(boolean streamCompleted) {}
  }
}
