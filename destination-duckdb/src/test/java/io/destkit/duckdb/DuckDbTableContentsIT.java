package io.destkit.duckdb;

import io.destkit.testkit.e2e.TableContentsProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class DuckDbTableContentsIT extends TableContentsProcessSuite<DuckDbConfig> {
  @Override
  protected ProcessTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
