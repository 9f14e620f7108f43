package io.destkit.postgres;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.TableContentsProcessSuite;
import io.destkit.testkit.e2e.ProcessTarget;

class PostgresTableContentsIT extends TableContentsProcessSuite<PostgresConfig> {
  @Override
  protected ProcessTarget<PostgresConfig> target() {
    return PostgresTarget.INSTANCE;
  }

  /** The suite names its tables in lower case; Airbyte's names are {@link PostgresAirbyteNamesTest}'s. */
  @Override
  protected ObjectNode configJson(String defaultSchema) {
    return super.configJson(defaultSchema).put("identifier_case", "lower");
  }
}
