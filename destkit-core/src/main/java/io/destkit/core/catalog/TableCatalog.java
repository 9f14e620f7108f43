package io.destkit.core.catalog;

import io.destkit.core.naming.NameResolver;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.FieldType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * For each stream of a catalog, its final and temp table names and its column names. Names are
 * assigned in sorted order of the raw names, so the result does not depend on the catalog's order
 * and is identical across runs.
 */
public final class TableCatalog {
  private static final String TEMP_SUFFIX = "_airbyte_tmp";
  private final List<StreamTables> tables;

  private TableCatalog(List<StreamTables> tables) {
    this.tables = List.copyOf(tables);
  }

  public static TableCatalog build(DestinationCatalog catalog, NamingPolicy policy) {
    NameResolver resolver = new NameResolver(policy.rules());
    List<DestinationStream> streams = catalog.streams();
    String[] namespaces = new String[streams.size()];
    for (int i = 0; i < streams.size(); i++) {
      String raw = streams.get(i).descriptor().namespace();
      namespaces[i] = raw == null ? policy.defaultNamespace() : resolver.resolve(raw);
    }
    String[] names = resolveTableNames(streams, namespaces, resolver);
    List<StreamTables> tables = new ArrayList<>(streams.size());
    for (int i = 0; i < streams.size(); i++) {
      DestinationStream stream = streams.get(i);
      TableName finalTable = new TableName(namespaces[i], names[i]);
      String tempNamespace = policy.tempNamespace() == null ? namespaces[i] : policy.tempNamespace();
      String tempName = policy.rules().sanitize(
          (policy.tempNamespace() == null ? "" : namespaces[i] + "_") + names[i] + TEMP_SUFFIX);
      tables.add(
          new StreamTables(stream, finalTable, new TableName(tempNamespace, tempName), columns(stream, resolver)));
    }
    return new TableCatalog(tables);
  }

  /** Within each namespace, resolves table names over the raw stream names in sorted order. */
  private static String[] resolveTableNames(
      List<DestinationStream> streams, String[] namespaces, NameResolver resolver) {
    Map<String, List<Integer>> byNamespace = new LinkedHashMap<>();
    for (int i = 0; i < streams.size(); i++) {
      byNamespace.computeIfAbsent(namespaces[i], k -> new ArrayList<>()).add(i);
    }
    String[] names = new String[streams.size()];
    Comparator<Integer> rawOrder =
        Comparator.comparing((Integer i) -> Objects.toString(streams.get(i).descriptor().namespace(), ""))
            .thenComparing(i -> streams.get(i).descriptor().name());
    for (List<Integer> members : byNamespace.values()) {
      members.sort(rawOrder);
      List<String> raw = members.stream().map(i -> streams.get(i).descriptor().name()).toList();
      List<String> resolved = resolver.resolveAll(raw, Set.of());
      for (int k = 0; k < members.size(); k++) {
        names[members.get(k)] = resolved.get(k);
      }
    }
    return names;
  }

  private static List<ColumnDef> columns(DestinationStream stream, NameResolver resolver) {
    if (stream.schemaless()) {
      return List.of(new ColumnDef(null, MetaColumns.DATA, AirbyteType.UNKNOWN, true));
    }
    List<String> raw = new ArrayList<>(stream.fields().keySet());
    List<String> sorted = new ArrayList<>(raw);
    sorted.sort(Comparator.naturalOrder());
    List<String> resolvedSorted = resolver.resolveAll(sorted, new HashSet<>(MetaColumns.ALL));
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

  /** The tables of the stream at this catalog position. */
  public StreamTables get(int streamIndex) {
    return tables.get(streamIndex);
  }
}
