package io.destkit.core.typing;

/** What happened to a value on its way into the destination: the {@code change} of an {@code _airbyte_meta} entry. */
public enum ValueChange {
  /** The value was replaced by NULL. */
  NULLED,
  /** The value was stored, but not whole (cut, or characters the database cannot hold removed). */
  TRUNCATED
}
