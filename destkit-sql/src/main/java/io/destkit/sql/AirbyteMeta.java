package io.destkit.sql;

/** Renders the {@code _airbyte_meta} value of a row: {@code {"sync_id":N,"changes":[...]}}. */
public final class AirbyteMeta {
  private final String prefix;
  private final String empty;

  public AirbyteMeta(long syncId) {
    this.prefix = "{\"sync_id\":" + syncId + ",\"changes\":";
    this.empty = prefix + "[]}";
  }

  /** @param changes the changes as a JSON array text, or null for none */
  public String render(String changes) {
    return changes == null ? empty : prefix + changes + "}";
  }
}
