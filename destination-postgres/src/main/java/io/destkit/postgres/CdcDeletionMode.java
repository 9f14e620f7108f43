package io.destkit.postgres;

/** What a CDC delete does in a deduped stream (config field {@code cdc_deletion_mode}). */
public enum CdcDeletionMode {
  /** The key's row is removed; deleted records are never inserted. */
  HARD_DELETE("Hard delete"),
  /** The newest version is kept, tombstone included. */
  SOFT_DELETE("Soft delete");

  private final String wireName;

  CdcDeletionMode(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The mode of a spec-validated config value. */
  static CdcDeletionMode fromWire(String value) {
    for (CdcDeletionMode mode : values()) {
      if (mode.wireName.equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown cdc_deletion_mode " + value);
  }
}
