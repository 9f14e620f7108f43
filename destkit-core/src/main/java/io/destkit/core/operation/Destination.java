package io.destkit.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.config.Specification;
import io.destkit.core.typing.ValueLimits;
import io.destkit.core.write.DestinationWriter;
import io.destkit.core.write.WriteContext;
import java.util.List;

/**
 * What a destination supplies to the kit: its config, its check, its naming and value limits, and
 * its writer. Everything else (the protocol, the pipeline, states, errors) is the kit's.
 *
 * @param <C> the destination's typed config
 */
public interface Destination<C> {
  /** The connector's name, e.g. {@code destination-duckdb}. */
  String name();

  Specification specification();

  /**
   * Where users read about the connector: the SPEC message's {@code documentationUrl} (and the
   * {@code documentationUrl} of its {@code metadata.yaml}). By default the project's home.
   */
  default String documentationUrl() {
    return PROJECT_URL;
  }

  /** The project's home page. */
  String PROJECT_URL = "https://github.com/destkit/destkit";

  /** Wire names of the supported destination sync modes. */
  List<String> supportedSyncModes();

  /**
   * Binds a config that already passed the specification's validation.
   *
   * @throws io.destkit.core.ConfigErrorException naming the field at fault
   */
  C bindConfig(JsonNode json);

  /**
   * Verifies that the destination can be written with this config.
   *
   * @throws io.destkit.core.ConfigErrorException with a message that says what to fix
   */
  void check(C config) throws Exception;

  /**
   * {@link #check(Object)}, with a log for what the user should read (it becomes LOG messages on
   * stdout, secrets masked). By default the log is unused.
   */
  default void check(C config, io.destkit.core.write.SyncLog log) throws Exception {
    check(config);
  }

  NamingPolicy namingPolicy(C config);

  /**
   * The tables and columns a write of this config uses for the catalog's streams: by default each
   * stream's typed table under {@link #namingPolicy(Object)}.
   */
  default TableCatalog tableCatalog(C config, io.destkit.core.stream.DestinationCatalog catalog) {
    return TableCatalog.build(catalog, namingPolicy(config));
  }

  /**
   * Which failures of this config's check and write the user fixes (and how). The runner applies it
   * to every failure, so table operations, loaders and pools need not map errors themselves.
   */
  default ErrorClassifier errorClassifier(C config) {
    return ErrorClassifier.NONE;
  }

  ValueLimits valueLimits();

  /**
   * The writer of one sync. Pools and threads are sized from {@code context.settings()}, which
   * already holds the destination's tuning and the user's overrides.
   */
  DestinationWriter createWriter(C config, TableCatalog tables, WriteContext context) throws Exception;

  /**
   * The pipeline tuning this database prefers (e.g. a batch size its bulk path handles best), given
   * the defaults sized from the machine. Settings a user gives as system properties apply on top.
   */
  default io.destkit.core.write.PipelineSettings tunePipeline(io.destkit.core.write.PipelineSettings defaults) {
    return defaults;
  }
}
