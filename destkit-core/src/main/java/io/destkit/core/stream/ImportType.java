package io.destkit.core.stream;

import java.util.List;

/** How the records of a stream are applied to its table. */
public sealed interface ImportType {
  /** Rows are added; nothing is replaced. */
  record Append() implements ImportType {}

  /** Rows are added; the stream's table is replaced by this generation (legacy overwrite). */
  record Overwrite() implements ImportType {}

  /** One row per primary key; the newest cursor wins. */
  record Dedupe(List<List<String>> primaryKey, List<String> cursor) implements ImportType {
    public Dedupe {
      primaryKey = primaryKey.stream().map(List::copyOf).toList();
      cursor = List.copyOf(cursor);
    }
  }
}
