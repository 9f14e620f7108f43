package io.destkit.core.catalog;

import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.naming.NameResolver;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.stream.ImportType;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.FieldType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For each stream of a catalog, its final and temp table names and its column names, identical
 * across runs; a temp table is never another stream's final table. In the {@link
 * IdentifierRules.Style#DESTKIT} style names do not depend on the order of streams or fields, and
 * only temp names end with {@code _airbyte_tmp}. In the {@link IdentifierRules.Style#AIRBYTE} style
 * they are Airbyte's, whose collisions are resolved in catalog and schema order.
 */
public final class TableCatalog {
  private final List<StreamTables> tables;
  private final String internalNamespace;

  private TableCatalog(List<StreamTables> tables, String internalNamespace) {
    this.tables = List.copyOf(tables);
    this.internalNamespace = internalNamespace;
  }

  /**
   * Names every stream's tables and columns.
   *
   * @throws io.destkit.core.ConfigErrorException when two streams map to the same final table
   */
  public static TableCatalog build(DestinationCatalog catalog, NamingPolicy policy) {
    NameResolver resolver = new NameResolver(policy.rules());
    List<DestinationStream> streams = catalog.streams();
    TableName[] finals = TableNames.finalTables(streams.stream().map(DestinationStream::descriptor).toList(), policy);
    TableName[] temps = TableNames.tempTables(finals, policy);
    List<StreamTables> tables = new ArrayList<>(streams.size());
    for (int i = 0; i < streams.size(); i++) {
      DestinationStream stream = streams.get(i);
      tables.add(new StreamTables(stream, finals[i], temps[i], columns(stream, resolver, policy.rules().style() == IdentifierRules.Style.AIRBYTE)));
    }
    String internal = policy.tempNamespace() != null ? policy.tempNamespace() : policy.defaultNamespace();
    return new TableCatalog(tables, internal);
  }

  /**
   * Raw tables only: every stream keeps each record whole, as JSON in {@code _airbyte_data}, beside
   * {@code _airbyte_loaded_at} (always NULL: nothing types the records later), whatever its schema;
   * a deduped stream is appended (its versions are all kept), the other sync modes stay as they are.
   * The policy's {@link NamingPolicy#finalTableNamer()} names the raw tables.
   */
  public static TableCatalog buildRaw(DestinationCatalog catalog, NamingPolicy policy) {
    List<DestinationStream> raw = new ArrayList<>(catalog.size());
    for (DestinationStream stream : catalog.streams()) {
      ImportType importType = stream.importType() instanceof ImportType.Dedupe ? new ImportType.Append() : stream.importType();
      raw.add(new DestinationStream(stream.descriptor(), stream.schema(), Map.of(), true, importType,
          stream.generationId(), stream.minimumGenerationId(), stream.syncId()));
    }
    TableCatalog typed = build(new DestinationCatalog(raw), policy);
    List<ColumnDef> columns = List.of(
        new ColumnDef(null, MetaColumns.LOADED_AT, AirbyteType.TIMESTAMP_WITH_TIMEZONE, true),
        new ColumnDef(null, MetaColumns.DATA, AirbyteType.UNKNOWN, true));
    List<StreamTables> tables = new ArrayList<>(raw.size());
    for (StreamTables table : typed.tables) {
      tables.add(new StreamTables(table.stream(), table.finalTable(), table.tempTable(), columns));
    }
    return new TableCatalog(tables, typed.internalNamespace);
  }

  private static List<ColumnDef> columns(DestinationStream stream, NameResolver resolver, boolean airbyteOrder) {
    if (stream.schemaless()) {
      return List.of(new ColumnDef(null, MetaColumns.DATA, AirbyteType.UNKNOWN, true));
    }
    List<String> raw = new ArrayList<>(stream.fields().keySet());
    List<String> sorted = new ArrayList<>(raw);
    if (!airbyteOrder) {
      // Sorted, so names do not depend on the order of the schema's properties; Airbyte resolves
      // collisions in the schema's order.
      sorted.sort(Comparator.naturalOrder());
    }
    List<String> resolvedSorted = resolver.resolveAll(sorted, new HashSet<>(MetaColumns.RESERVED));
    Map<String, String> byRaw = new LinkedHashMap<>();
    for (int k = 0; k < sorted.size(); k++) {
      byRaw.put(sorted.get(k), resolvedSorted.get(k));
    }
    List<ColumnDef> columns = new ArrayList<>(raw.size());
    for (String field : raw) {
      FieldType type = stream.fields().get(field);
      columns.add(new ColumnDef(field, byRaw.get(field), type.type(), type.nullable()));
    }
    return columns;
  }

  public List<StreamTables> tables() {
    return tables;
  }

  /**
   * Where the kit's own tables go (its checkpoint table): the namespace of temp tables when they
   * have one of their own, else the default namespace.
   */
  public String internalNamespace() {
    return internalNamespace;
  }

  /** The tables of the stream at this catalog position. */
  public StreamTables get(int streamIndex) {
    return tables.get(streamIndex);
  }
}
