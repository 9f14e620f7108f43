package io.destkit.core.stream;

import java.util.List;

/** How the records of a stream are applied to its table. */
public sealed interface ImportType {
  /** Rows are added; nothing is replaced. */
  record Append() implements ImportType {}

  /** Rows are added; the stream's table is replaced by this generation (legacy overwrite). */
  record Overwrite() implements ImportType {}

  /**
   * One row per primary key; the newest cursor wins.
   *
   * @param primaryKey one path per key component, each a single top-level field
   * @param cursor the cursor's path, a single top-level field, or empty for none
   */
  record Dedupe(List<List<String>> primaryKey, List<String> cursor) implements ImportType {
    public Dedupe {
      if (primaryKey.stream().anyMatch(path -> path.size() != 1) || cursor.size() > 1) {
        throw new IllegalArgumentException(
            "primary key and cursor paths must be single fields: " + primaryKey + ", " + cursor);
      }
      primaryKey = primaryKey.stream().map(List::copyOf).toList();
      cursor = List.copyOf(cursor);
    }
  }
}
