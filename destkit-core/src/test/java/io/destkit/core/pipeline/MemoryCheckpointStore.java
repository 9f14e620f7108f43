package io.destkit.core.pipeline;

import io.destkit.core.write.CheckpointStore;
import io.destkit.core.write.RawId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real, in-memory {@link CheckpointStore} that outlives a run, as a database table does: the next
 * run of the same test sees what the last one recorded. Every call is kept in {@link #events()}.
 */
public final class MemoryCheckpointStore implements CheckpointStore {
  private final int streams;
  private final Checkpoint[] checkpoints;
  private final List<String> events = new CopyOnWriteArrayList<>();
  /** Makes {@link #advance} fail (a lost connection) when set. */
  private volatile RuntimeException advanceFailure;

  public MemoryCheckpointStore(int streams) {
    this.streams = streams;
    this.checkpoints = new Checkpoint[streams];
  }

  public MemoryCheckpointStore failingAdvanceWith(RuntimeException failure) {
    this.advanceFailure = failure;
    return this;
  }

  @Override
  public synchronized List<Optional<Checkpoint>> load() {
    events.add("load");
    List<Optional<Checkpoint>> result = new ArrayList<>();
    for (Checkpoint checkpoint : checkpoints) {
      result.add(Optional.ofNullable(checkpoint));
    }
    return result;
  }

  @Override
  public synchronized void begin(RawId floor) {
    events.add("begin");
    for (int i = 0; i < streams; i++) {
      checkpoints[i] = new Checkpoint(floor, false);
    }
  }

  @Override
  public synchronized void advanceCoverage(Map<Integer, Coverage> coverage) {
    if (advanceFailure != null) {
      throw advanceFailure;
    }
    events.add("advance " + coverage.keySet());
    coverage.forEach((stream, covered) ->
        checkpoints[stream] = new Checkpoint(covered.mark(), false, covered.keptAbove()));
  }

  @Override
  public synchronized void finish(RawId end) {
    events.add("finish");
    for (int i = 0; i < streams; i++) {
      checkpoints[i] = new Checkpoint(end, true);
    }
  }

  public synchronized Checkpoint get(int stream) {
    return checkpoints[stream];
  }

  public List<String> events() {
    return events;
  }
}
