package io.destkit.iceberg;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableName;
import io.destkit.core.write.SyncLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/** A stream's Iceberg table: created when missing, its schema evolved to the stream's, loaded. */
final class StreamTable {
  /** Format version 2 (row-level deletes, for dedupe), zstd Parquet. */
  static final Map<String, String> FORMAT = Map.of(
      TableProperties.FORMAT_VERSION, "2",
      TableProperties.DEFAULT_FILE_FORMAT, "parquet",
      TableProperties.PARQUET_COMPRESSION, "zstd");

  /**
   * {@link #FORMAT}, and full metrics of the raw id so that the files holding rows after a raw id
   * are found from their bounds alone.
   */
  static final Map<String, String> PROPERTIES = with(
      FORMAT, TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + MetaColumns.RAW_ID, "full");

  private static Map<String, String> with(Map<String, String> properties, String key, String value) {
    Map<String, String> all = new HashMap<>(properties);
    all.put(key, value);
    return Map.copyOf(all);
  }

  private StreamTable() {}

  static TableIdentifier identifier(TableName name) {
    return TableIdentifier.of(Namespace.of(name.namespace()), name.name());
  }

  /** The table when it exists. */
  static Optional<Table> load(Catalog catalog, TableName name) {
    TableIdentifier id = identifier(name);
    return catalog.tableExists(id) ? Optional.of(catalog.loadTable(id)) : Optional.empty();
  }

  /** The stream's table, and the columns whose type it keeps though the stream's is another. */
  record Opened(Table table, KeptColumnTypes keptTypes) {}

  /**
   * Loads the stream's table, creating it when missing, and evolves its schema to the stream's in
   * one schema update: the stream's columns it lacks are added (optional, so existing rows hold null
   * in them), and a column whose type Iceberg can promote to the stream's (int to long, float to
   * double, a decimal to a larger precision of the same scale) is promoted. A column whose type it
   * cannot promote keeps its type, and the stream's values are converted into it ({@link
   * KeptColumnTypes}). Columns the stream no longer has are kept. The log says what changed.
   *
   * @throws ConfigErrorException when a column keeps a type the stream's values cannot be converted into
   */
  static Opened open(Catalog catalog, StreamTables tables, SyncLog log) {
    TableIdentifier id = identifier(tables.finalTable());
    Table table;
    if (catalog.tableExists(id)) {
      table = catalog.loadTable(id);
    } else {
      try {
        table = catalog.buildTable(id, IcebergTypes.schema(tables.columns()))
            .withPartitionSpec(PartitionSpec.unpartitioned())
            .withProperties(PROPERTIES)
            .create();
      } catch (AlreadyExistsException created) {
        table = catalog.loadTable(id);
      }
    }
    KeptColumnTypes kept = evolve(table, tables, log);
    List<String> notInTheStream = columnsNotInTheStream(table, tables);
    if (!notInTheStream.isEmpty()) {
      log.info("Table " + readable(tables) + ": kept columns " + String.join(", ", notInTheStream)
          + ", which the stream does not have; new rows hold NULL in them.");
    }
    return new Opened(table, kept);
  }

  /** The table's user columns that are not among the stream's, in table order. */
  static List<String> columnsNotInTheStream(Table table, StreamTables tables) {
    List<String> names = new ArrayList<>();
    for (Types.NestedField field : table.schema().columns()) {
      boolean ofTheStream = MetaColumns.ALL.contains(field.name())
          || tables.columns().stream().anyMatch(column -> column.name().equals(field.name()));
      if (!ofTheStream) {
        names.add(field.name());
      }
    }
    return names;
  }

  private static String readable(StreamTables tables) {
    return tables.finalTable().namespace() + "." + tables.finalTable().name();
  }

  /** A column of the stream whose table type is another that Iceberg cannot promote to the stream's. */
  private record Mismatch(ColumnDef column, Type kept, Type wanted) {}

  private static KeptColumnTypes evolve(Table table, StreamTables tables, SyncLog log) {
    UpdateSchema update = null;
    List<String> promoted = new ArrayList<>();
    List<Mismatch> keptTypes = new ArrayList<>();
    for (ColumnDef column : tables.columns()) {
      Types.NestedField existing = table.schema().findField(column.name());
      Type wanted = IcebergTypes.type(column);
      if (existing == null) {
        update = update == null ? table.updateSchema() : update;
        update.addColumn(column.name(), wanted);
      } else if (!existing.type().equals(wanted)) {
        if (existing.type().isPrimitiveType() && wanted.isPrimitiveType()
            && TypeUtil.isPromotionAllowed(existing.type(), wanted.asPrimitiveType())) {
          update = update == null ? table.updateSchema() : update;
          update.updateColumn(column.name(), wanted.asPrimitiveType());
          promoted.add(column.name() + " from " + existing.type() + " to " + wanted);
        } else {
          keptTypes.add(new Mismatch(column, existing.type(), wanted));
          if (KeptColumnTypes.into(existing.type()).isEmpty()) {
            throw new ConfigErrorException(
                "Stream '" + tables.stream().descriptor() + "': column '" + column.name() + "' of table "
                    + tables.finalTable() + " is " + existing.type() + " but the stream's field '"
                    + column.sourceName() + "' is now " + wanted + " (Airbyte type " + column.type() + "). Iceberg"
                    + " cannot change that type in place, and the stream's values cannot be written as "
                    + existing.type() + ": drop the table (or rename the column) to have it created anew.");
          }
        }
      }
    }
    if (update != null) {
      update.commit();
    }
    if (!promoted.isEmpty()) {
      log.info("Table " + readable(tables) + ": widened column " + String.join(", column ", promoted)
          + " (an Iceberg type promotion: the data files are not rewritten, older values read in the new type).");
    }
    KeptColumnTypes kept = new KeptColumnTypes();
    for (Mismatch mismatch : keptTypes) {
      ColumnDef column = mismatch.column();
      kept.keep(table.schema(), column.name(), column.sourceName(), KeptColumnTypes.into(mismatch.kept()).orElseThrow());
      log.warn("Table " + readable(tables) + ": column " + column.name() + " keeps its type " + mismatch.kept()
          + ", which Iceberg cannot change to the stream's " + mismatch.wanted() + " in place; new values are"
          + " written as " + mismatch.kept() + ", and a value that cannot be becomes NULL, recorded in"
          + " _airbyte_meta.changes.");
    }
    return kept;
  }
}
