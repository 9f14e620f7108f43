package io.destkit.protocol;

/** How a destination writes a stream (protocol {@code destination_sync_mode}). */
public enum DestinationSyncMode {
  APPEND("append"),
  OVERWRITE("overwrite"),
  APPEND_DEDUP("append_dedup"),
  UPDATE("update"),
  SOFT_DELETE("soft_delete");

  private final String wireName;

  DestinationSyncMode(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static DestinationSyncMode fromWire(String value) {
    for (DestinationSyncMode mode : values()) {
      if (mode.wireName.equals(value)) {
        return mode;
      }
    }
    throw new ProtocolException("unknown destination_sync_mode '" + value + "'");
  }
}
