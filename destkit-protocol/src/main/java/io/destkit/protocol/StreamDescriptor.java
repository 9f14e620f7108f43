package io.destkit.protocol;

import java.util.Objects;

/** Identifies a stream: an optional namespace and a name. */
public record StreamDescriptor(String namespace, String name) {
  public StreamDescriptor {
    Objects.requireNonNull(name, "stream name");
  }

  @Override
  public String toString() {
    return namespace == null ? name : namespace + "." + name;
  }
}
