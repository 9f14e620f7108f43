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
import org.apache.iceberg.types.Types;

/** A stream's Iceberg table: created when missing, given the stream's new columns, loaded. */
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

  /**
   * Loads the stream's table, creating it when missing and adding the stream's columns it lacks
   * (optional, so existing rows hold null in them). Columns the stream no longer has are kept, and
   * the log says so.
   *
   * @throws ConfigErrorException when a column of the table has another type than the stream's
   */
  static Table open(Catalog catalog, StreamTables tables, SyncLog log) {
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
    addMissingColumns(table, tables);
    List<String> kept = columnsNotInTheStream(table, tables);
    if (!kept.isEmpty()) {
      log.info("Table " + tables.finalTable().namespace() + "." + tables.finalTable().name() + ": kept columns "
          + String.join(", ", kept) + ", which the stream does not have; new rows hold NULL in them.");
    }
    return table;
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

  private static void addMissingColumns(Table table, StreamTables tables) {
    UpdateSchema update = null;
    for (ColumnDef column : tables.columns()) {
      Types.NestedField existing = table.schema().findField(column.name());
      Type wanted = IcebergTypes.type(column);
      if (existing == null) {
        update = update == null ? table.updateSchema() : update;
        update.addColumn(column.name(), wanted);
      } else if (!existing.type().equals(wanted)) {
        throw new ConfigErrorException(
            "Stream '" + tables.stream().descriptor() + "': column '" + column.name() + "' of table "
                + tables.finalTable() + " is " + existing.type() + " but the stream's field '" + column.sourceName()
                + "' is now " + wanted + " (Airbyte type " + column.type() + "). Changing a column's type is not"
                + " supported yet: refresh the stream (its data is then replaced) or drop the table.");
      }
    }
    if (update != null) {
      update.commit();
    }
  }
}
