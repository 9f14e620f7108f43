package io.destkit.sql;

import java.util.OptionalLong;

/**
 * What a table holds before a sync writes to it.
 *
 * @param generationId the generation of its rows (any one row), empty when it has none
 */
public record TableStatus(boolean exists, boolean empty, OptionalLong generationId) {
  public static final TableStatus MISSING = new TableStatus(false, true, OptionalLong.empty());

  /** True when the table exists and holds rows of a generation older than {@code minimum}. */
  public boolean holdsGenerationsBefore(long minimum) {
    return exists && !empty && (generationId.isEmpty() || generationId.getAsLong() < minimum);
  }
}
