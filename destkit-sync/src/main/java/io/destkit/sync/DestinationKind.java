package io.destkit.sync;

import io.destkit.core.operation.Destination;
import io.destkit.duckdb.DuckDbDestination;
import io.destkit.iceberg.IcebergDestination;
import io.destkit.postgres.PostgresDestination;
import java.util.function.Supplier;

/** The destinations {@code destkit sync} writes to, by the name {@code --destination} takes. */
enum DestinationKind {
  duckdb(DuckDbDestination::new),
  postgres(PostgresDestination::new),
  iceberg(IcebergDestination::new);

  private final Supplier<Destination<?>> factory;

  DestinationKind(Supplier<Destination<?>> factory) {
    this.factory = factory;
  }

  Destination<?> create() {
    return factory.get();
  }
}
