package io.destkit.duckdb;

import io.destkit.testkit.SpecSuite;
import io.destkit.testkit.TestTarget;
import java.util.Set;

/** Compares with {@code src/test/resources/expected-spec.json}. */
class DuckDbSpecTest extends SpecSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }

  @Override
  protected Set<String> secretFields() {
    return Set.of("motherduck_api_key");
  }
}
