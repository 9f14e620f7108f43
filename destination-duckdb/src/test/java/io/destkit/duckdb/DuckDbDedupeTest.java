package io.destkit.duckdb;

import io.destkit.testkit.DedupeSuite;
import io.destkit.testkit.TestTarget;

class DuckDbDedupeTest extends DedupeSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
