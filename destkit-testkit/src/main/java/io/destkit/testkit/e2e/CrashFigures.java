package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.testkit.e2e.DeliveryCheck.Tally;
import java.util.List;
import java.util.Map;

/**
 * The figures of a killed sync: its attempts and kills, and how its tables differ from what the
 * source sent, per stream.
 *
 * @param records the records of the sync
 * @param resent records the source sent again after kills
 */
record CrashFigures(
    String label, int attempts, int kills, long records, long resent, Tally total, Map<String, Tally> streams,
    List<String> killNotes) {

  void assertExact() {
    assertThat(total.exact())
        .as(label + ": every record exactly once after " + kills + " kills in " + attempts + " attempts; "
            + total + "\n" + details())
        .isTrue();
  }

  String details() {
    StringBuilder text = new StringBuilder();
    streams.forEach((stream, tally) -> text.append("    ").append(stream).append(": ").append(tally).append('\n'));
    killNotes.forEach(note -> text.append("    ").append(note).append('\n'));
    return text.toString();
  }
}
