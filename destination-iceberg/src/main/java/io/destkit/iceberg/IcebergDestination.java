package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.config.Specification;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.operation.Destination;
import io.destkit.core.operation.DestinationRunner;
import io.destkit.core.operation.ErrorClassifier;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.WriteContext;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.catalog.Catalog;

/** Apache Iceberg tables (Parquet) through a JDBC or REST catalog, on the local file system or S3. */
public final class IcebergDestination implements Destination<IcebergConfig> {
  private static final Specification SPEC = Specification.fromResource(IcebergDestination.class, "spec.json");

  /**
   * Lower case, as Trino and Spark fold unquoted names; 255 bytes; no reserved words, since
   * Iceberg itself has none (an engine quotes a name that is one of its keywords).
   */
  static final IdentifierRules RULES = new IdentifierRules(255, true, Set.of());

  public static void main(String[] args) {
    DestinationRunner.main(new IcebergDestination(), args);
  }

  @Override
  public String name() {
    return "destination-iceberg";
  }

  @Override
  public Specification specification() {
    return SPEC;
  }

  /** This destination's README. */
  @Override
  public String documentationUrl() {
    return PROJECT_URL + "/tree/main/destination-iceberg";
  }

  @Override
  public List<String> supportedSyncModes() {
    return List.of("overwrite", "append", "append_dedup");
  }

  @Override
  public IcebergConfig bindConfig(JsonNode json) {
    return IcebergConfig.from(json);
  }

  @Override
  public void check(IcebergConfig config) throws Exception {
    ConnectionCheck.run(config);
  }

  @Override
  public ErrorClassifier errorClassifier(IcebergConfig config) {
    return new IcebergErrors(config);
  }

  @Override
  public NamingPolicy namingPolicy(IcebergConfig config) {
    return new NamingPolicy(RULES, config.namespace(), null);
  }

  @Override
  public ValueLimits valueLimits() {
    return new IcebergValueLimits();
  }

  @Override
  public DestinationWriter createWriter(IcebergConfig config, TableCatalog tables, WriteContext context) {
    config.warehouse().prepare();
    Catalog catalog = CatalogConnection.connect(config, context.settings().flushThreads() + 1);
    return new IcebergDestinationWriter(catalog, tables, config, context.log());
  }
}
