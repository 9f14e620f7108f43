package io.destkit.testkit.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When an attempt's destination process gets {@code kill -9}. Points that wait for the destination
 * (a number of STATE lines, a delay) also fire when the source has written all its input, so the
 * kill always comes before the attempt could end on its own, unless it is {@link AfterInputEnd}
 * with a delay the destination's end outruns.
 */
public sealed interface KillPoint {

  String describe();

  /**
   * The STATE lines of the killed attempt that the platform keeps, of those it read (in order): the
   * next attempt resumes from them. All of them, unless the kill point says the platform lost some.
   */
  default List<ObjectNode> statesKept(List<ObjectNode> read) {
    return read;
  }

  /** Once the destination has printed {@code states} STATE lines in this attempt. */
  record AfterStates(int states) implements KillPoint {
    @Override
    public String describe() {
      return "after " + states + " STATE" + (states == 1 ? "" : "s");
    }
  }

  /**
   * The source writes {@code records} records, then holds its input open; once the destination has
   * printed a STATE that moves {@code stream}, it is killed, and the platform loses the last such
   * STATE it read. The destination recorded that state's checkpoint before it wrote the state, so
   * this makes certain the one window the guarantee leaves: the next attempt keeps the rows the lost
   * state covers, and the source, resuming the stream from the state before, sends them again.
   */
  record LosingTheLastStateOf(String stream, long records) implements KillPoint {
    @Override
    public String describe() {
      return "after a STATE of " + stream + " (input held after " + records + " records), the last STATE of " + stream + " lost";
    }

    @Override
    public List<ObjectNode> statesKept(List<ObjectNode> read) {
      List<ObjectNode> kept = new ArrayList<>(read);
      for (int i = kept.size() - 1; i >= 0; i--) {
        if (moves(kept.get(i))) {
          kept.remove(i);
          break;
        }
      }
      return List.copyOf(kept);
    }

    /** Whether a STATE message moves the stream: a STREAM state of it, or a GLOBAL state that lists it. */
    public boolean moves(ObjectNode message) {
      JsonNode state = message.path("state");
      if (stream.equals(state.path("stream").path("stream_descriptor").path("name").asText(null))) {
        return true;
      }
      for (JsonNode streamState : state.path("global").path("stream_states")) {
        if (stream.equals(streamState.path("stream_descriptor").path("name").asText(null))) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code millis} after the process started. */
  record AfterDelay(long millis) implements KillPoint {
    @Override
    public String describe() {
      return "after " + millis + " ms";
    }
  }

  /**
   * {@code delayMillis} after the source has written {@code records} records in this attempt. With
   * {@code holdInput} the source then writes nothing more (the destination's input stalls, open).
   */
  record AfterRecords(long records, long delayMillis, boolean holdInput) implements KillPoint {
    @Override
    public String describe() {
      return "after " + records + " records" + (delayMillis > 0 ? " + " + delayMillis + " ms" : "")
          + (holdInput ? " (input held)" : "");
    }
  }

  /** {@code delayMillis} after the source has written this share (0 to 1) of the records its attempt sends. */
  record AfterShare(double share, long delayMillis) implements KillPoint {
    /** The records to write before the kill, of {@code toSend}: at least one, and not all. */
    public long records(long toSend) {
      return Math.max(1, Math.min(toSend - 1, (long) Math.floor(toSend * share)));
    }

    @Override
    public String describe() {
      return "after " + Math.round(share * 1000) / 10.0 + "% of the input" + (delayMillis > 0 ? " + " + delayMillis + " ms" : "");
    }
  }

  /** {@code delayMillis} after the source closed the destination's stdin: during the end of the sync. */
  record AfterInputEnd(long delayMillis) implements KillPoint {
    @Override
    public String describe() {
      return delayMillis + " ms after the input ended";
    }
  }

  /**
   * {@code kills} random kill points from the seed: the first right after the first STATE, the
   * last near the end of its attempt (late in the input, or just after it), the others after a
   * number of states, a delay, or a share of the input.
   */
  static List<KillPoint> randomPlan(long seed, int kills, long attemptMillis) {
    SplittableRandom random = new SplittableRandom(SyncPlan.mix(seed, 7, 7, 7));
    List<KillPoint> plan = new ArrayList<>();
    for (int i = 0; i < kills; i++) {
      if (i == 0) {
        plan.add(new AfterStates(1));
      } else if (i == kills - 1) {
        plan.add(random.nextBoolean()
            ? new AfterShare(0.92 + 0.07 * random.nextDouble(), random.nextLong(200))
            : new AfterInputEnd(random.nextLong(60)));
      } else {
        plan.add(switch (random.nextInt(3)) {
          case 0 -> new AfterStates(2 + random.nextInt(6));
          case 1 -> new AfterDelay(attemptMillis / 4 + random.nextLong(Math.max(1, attemptMillis)));
          default -> new AfterShare(0.1 + 0.8 * random.nextDouble(), random.nextLong(300));
        });
      }
    }
    return List.copyOf(plan);
  }
}
