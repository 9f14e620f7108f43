package io.destkit.core.write;

/** Messages a user should read about a sync (a type change that nulled values, a column kept). */
@FunctionalInterface
public interface SyncLog {
  SyncLog NONE = (level, message) -> { };

  /** @param level {@code INFO} or {@code WARN} */
  void log(String level, String message);

  default void info(String message) {
    log("INFO", message);
  }

  default void warn(String message) {
    log("WARN", message);
  }
}
