package io.destkit.duckdb;

import io.destkit.testkit.TableNamesSuite;
import io.destkit.testkit.TestTarget;

class DuckDbTableNamesTest extends TableNamesSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
