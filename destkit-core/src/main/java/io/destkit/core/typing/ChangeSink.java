package io.destkit.core.typing;

/**
 * Receives the changes made to the value being read when it is stored altered rather than nulled
 * (a refused value is a {@link CoercionFailure} instead). The caller knows the field; the change
 * goes into the record's {@code _airbyte_meta.changes}.
 */
@FunctionalInterface
public interface ChangeSink {
  /** Drops every change (for callers that keep no {@code _airbyte_meta}). */
  ChangeSink IGNORE = (change, reason) -> {};

  void record(ValueChange change, ChangeReason reason);
}
