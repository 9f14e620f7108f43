package io.destkit.testkit.e2e;

import io.destkit.protocol.MessageCodec;
import io.destkit.testkit.e2e.ConnectorAttempt.Launch;
import io.destkit.testkit.e2e.ConnectorAttempt.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sync as a platform runs it: attempts with the same catalog (sync id and generations), each
 * resuming the source from the last states the destination emitted before it died, until one
 * attempt ends with exit code 0. Attempt {@code i} is killed at the {@code i}-th kill point; the
 * attempt after the last kill point runs to its end and must succeed.
 */
public final class CrashSync {

  /** What the caller does around the attempts. */
  public interface Observer {
    /** Before each attempt starts (e.g. close the test's connections to a database file). */
    default void beforeAttempt(int attempt) {}

    /** After an attempt died of its kill, before the next one starts; {@code next} is where the next resumes. */
    default void afterKill(int attempt, Outcome outcome, ResumePosition next) {}
  }

  /**
   * A finished sync.
   *
   * @param kills attempts that died of their kill
   * @param recordsSent records the source sent over all attempts (the sync's records, and those resent)
   * @param killNotes where each kill landed
   */
  public record Result(int attempts, int kills, long recordsSent, List<String> killNotes, Outcome last) {}

  private final Launch launch;
  private final ResumableSource source;
  private final String label;

  /** {@code label} names the sync in failures and in its files (with its seed). */
  public CrashSync(Launch launch, SyncPlan plan, String label) {
    this.launch = launch;
    this.source = new ResumableSource(plan);
    this.label = label;
  }

  public Result run(List<KillPoint> kills, Observer observer) {
    ResumePosition position = ResumePosition.START;
    List<String> notes = new ArrayList<>();
    long sent = 0;
    int killed = 0;
    for (int attempt = 1; ; attempt++) {
      Optional<KillPoint> kill = attempt <= kills.size() ? Optional.of(kills.get(attempt - 1)) : Optional.empty();
      observer.beforeAttempt(attempt);
      String name = label + "-attempt" + attempt;
      Outcome outcome = new ConnectorAttempt(launch, name)
          .run(source.messages(position, attempt), source.recordsToSend(position), kill);
      sent += outcome.recordsWritten();
      if (!outcome.protocolErrors().isEmpty()) {
        throw new AssertionError(name + ": stdout is not Airbyte messages: " + outcome.protocolErrors());
      }
      // A kill point may have the platform lose some of the states it read.
      position = position.after(outcome.killed() ? kill.orElseThrow().statesKept(outcome.states()) : outcome.states());
      if (outcome.killed()) {
        killed++;
        notes.add("attempt " + attempt + " killed " + outcome.killNote() + "; the next resumes from " + position);
        observer.afterKill(attempt, outcome, position);
        continue;
      }
      if (outcome.exitCode() != 0 || !outcome.errors().isEmpty()) {
        throw new AssertionError(name + " (" + (kill.isPresent() ? "ended before its kill " + kill.get().describe() : "not killed")
            + ") failed with exit code " + outcome.exitCode() + ", errors "
            + outcome.errors().stream().map(MessageCodec::encode).toList() + "\nstderr:\n" + outcome.stderrTail());
      }
      kill.ifPresent(k -> notes.add("attempt ended before its kill " + k.describe()));
      return new Result(attempt, killed, sent, List.copyOf(notes), outcome);
    }
  }
}
