package io.destkit.duckdb;

import io.destkit.testkit.ConnectionFaultsSuite;
import io.destkit.testkit.TestTarget;

/** DuckDB runs in-process: it has no server whose connections could fail, and these tests are skipped. */
class DuckDbConnectionFaultsTest extends ConnectionFaultsSuite<DuckDbConfig> {
  @Override
  protected TestTarget<DuckDbConfig> target() {
    return DuckDbTarget.INSTANCE;
  }
}
