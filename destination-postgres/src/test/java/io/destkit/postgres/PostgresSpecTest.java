package io.destkit.postgres;

import io.destkit.testkit.SpecSuite;
import io.destkit.testkit.TestTarget;
import java.util.Set;

/** Compares with {@code src/test/resources/expected-spec.json}. */
class PostgresSpecTest extends SpecSuite<PostgresConfig> {
  @Override
  protected TestTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  @Override
  protected Set<String> secretFields() {
    return Set.of("password", "jdbc_url_params", "ssl_mode.ca_certificate", "ssl_mode.client_certificate", "ssl_mode.client_key",
        "ssl_mode.client_key_password", "tunnel_method.ssh_key", "tunnel_method.tunnel_user_password");
  }
}
