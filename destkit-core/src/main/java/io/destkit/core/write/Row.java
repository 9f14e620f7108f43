package io.destkit.core.write;

/**
 * One record in the stream's column layout: {@code values[i]} is the typed value of the stream's
 * column {@code i} (see {@code ColumnDef}), or null.
 *
 * @param changes the {@code _airbyte_meta.changes} entries as one JSON array text, or null when there
 *     are none (the common case, which allocates nothing)
 */
public record Row(long rawIdHigh, long rawIdLow, long extractedAtMillis, String changes, Object[] values) {
  public java.util.UUID rawId() {
    return new java.util.UUID(rawIdHigh, rawIdLow);
  }
}
