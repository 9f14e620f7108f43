package io.destkit.core.typing;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;

/**
 * Timestamps and times as most databases and table formats store them: to the microsecond. Finer
 * digits are cut, as the databases themselves cut (DuckDB) or round (PostgreSQL) them, but never
 * silently: the cut is recorded ({@code TRUNCATED}, {@code DESTINATION_FIELD_SIZE_LIMITATION}).
 */
public final class Microseconds {
  private Microseconds() {}

  /**
   * Returns the value cut to whole microseconds, recording the change when there was something to
   * cut; any value that is not a timestamp or a time is returned as it is.
   */
  public static Object truncate(Object value, ChangeSink changes) {
    if (value instanceof OffsetDateTime instant) {
      int cut = instant.getNano() % 1000;
      return cut == 0 ? value : cut(changes, instant.withNano(instant.getNano() - cut));
    } else if (value instanceof LocalDateTime dateTime) {
      int cut = dateTime.getNano() % 1000;
      return cut == 0 ? value : cut(changes, dateTime.withNano(dateTime.getNano() - cut));
    } else if (value instanceof OffsetTime time) {
      int cut = time.getNano() % 1000;
      return cut == 0 ? value : cut(changes, time.withNano(time.getNano() - cut));
    } else if (value instanceof LocalTime time) {
      int cut = time.getNano() % 1000;
      return cut == 0 ? value : cut(changes, time.withNano(time.getNano() - cut));
    }
    return value;
  }

  private static Object cut(ChangeSink changes, Object value) {
    changes.record(ValueChange.TRUNCATED, ChangeReason.DESTINATION_FIELD_SIZE_LIMITATION);
    return value;
  }
}
