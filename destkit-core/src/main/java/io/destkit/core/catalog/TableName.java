package io.destkit.core.catalog;

/** A table's namespace (schema) and name, both already legal identifiers of the database. */
public record TableName(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "." + name;
  }
}
