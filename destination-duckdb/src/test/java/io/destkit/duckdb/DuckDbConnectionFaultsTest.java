package io.destkit.duckdb;

import io.destkit.testkit.ConnectionFaultsSuite;
import io.destkit.testkit.TestTarget;

/** DuckDB runs in-process: only the lost acknowledgements apply, not the faults of a server. */
class DuckDbConnectionFaultsTest extends ConnectionFaultsSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
