package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.operation.Destination;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every suite needs from a destination: the destination itself and a config it accepts. Each
 * test gets its own temporary directory.
 *
 * @param <C> the destination's typed config
 */
public abstract class DestinationSuite<C> {
  @TempDir protected Path tempDir;

  /** The destination under test, with its configs and database access. */
  protected abstract TestTarget<C> target();

  protected final Destination<C> destination() {
    return target().destination();
  }

  protected final JsonNode validConfig(Path directory) {
    return target().validConfig(directory);
  }

  /** The valid config for this test, validated against the spec and bound, as the runner does. */
  protected final C config() {
    JsonNode json = validConfig(tempDir);
    destination().specification().validate(json);
    return destination().bindConfig(json);
  }
}
