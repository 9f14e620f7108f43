package io.destkit.core.catalog;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The final and temp table names of a catalog's streams. Temp names, and only temp names, end with
 * {@value #TEMP_SUFFIX} (in any case): a final name that would end with it gets a trailing {@code _}.
 * So a temp table is never another stream's final table, wherever the temp tables live. Names are
 * compared case-insensitively, as a database that folds case would.
 */
final class TableNames {
  static final String TEMP_SUFFIX = "_airbyte_tmp";

  private TableNames() {}

  /**
   * Each stream's final table. Two streams that map to the same table are a config error naming
   * both: renaming one of them silently would move tables between syncs as streams come and go.
   */
  static TableName[] finalTables(List<StreamDescriptor> streams, NamingPolicy policy) {
    IdentifierRules rules = policy.rules();
    TableName[] tables = new TableName[streams.size()];
    Map<String, Integer> byKey = new HashMap<>();
    for (int i = 0; i < streams.size(); i++) {
      StreamDescriptor stream = streams.get(i);
      TableName named = policy.finalTableNamer() == null ? null : policy.finalTableNamer().apply(stream);
      String namespace = named != null ? named.namespace()
          : stream.namespace() == null ? policy.defaultNamespace() : rules.sanitize(stream.namespace());
      String name = named != null ? named.name() : rules.sanitize(stream.name());
      if (isTempName(name)) {
        name = rules.append(name, "_");
      }
      tables[i] = new TableName(namespace, name);
      Integer other = byKey.putIfAbsent(key(tables[i]), i);
      if (other != null) {
        throw collision(streams.get(other), stream, tables[i]);
      }
    }
    return tables;
  }

  /**
   * Each stream's temp table: {@code <table>_airbyte_tmp} beside the final table, or {@code
   * <namespace>_<table>_airbyte_tmp} in the policy's temp namespace; cut to the identifier limit
   * before the suffix. Two streams whose temp names still coincide (a shared temp namespace, or cut
   * names) are told apart by {@code _1}, {@code _2}, ... before the suffix, given in order of their
   * final tables, so the names do not depend on the catalog's order.
   */
  static TableName[] tempTables(TableName[] finals, NamingPolicy policy) {
    IdentifierRules rules = policy.rules();
    String[] bases = new String[finals.length];
    TableName[] temps = new TableName[finals.length];
    Map<String, List<Integer>> byKey = new TreeMap<>();
    for (int i = 0; i < finals.length; i++) {
      String namespace = policy.tempNamespace() == null ? finals[i].namespace() : policy.tempNamespace();
      bases[i] = policy.tempNamespace() == null ? finals[i].name() : finals[i].namespace() + "_" + finals[i].name();
      temps[i] = new TableName(namespace, rules.sanitizeWithSuffix(bases[i], TEMP_SUFFIX));
      byKey.computeIfAbsent(key(temps[i]), k -> new ArrayList<>()).add(i);
    }
    Set<String> taken = new HashSet<>(byKey.keySet());
    Comparator<Integer> byFinalTable = Comparator.comparing((Integer i) -> key(finals[i]));
    for (List<Integer> sharing : byKey.values()) {
      sharing.sort(byFinalTable);
      for (int k = 1; k < sharing.size(); k++) {
        int i = sharing.get(k);
        TableName candidate = temps[i];
        for (int n = 1; taken.contains(key(candidate)); n++) {
          candidate = new TableName(candidate.namespace(), rules.sanitizeWithSuffix(bases[i], "_" + n + TEMP_SUFFIX));
        }
        taken.add(key(candidate));
        temps[i] = candidate;
      }
    }
    return temps;
  }

  static boolean isTempName(String identifier) {
    return identifier.toLowerCase(Locale.ROOT).endsWith(TEMP_SUFFIX);
  }

  private static String key(TableName table) {
    return table.namespace().toLowerCase(Locale.ROOT) + '\0' + table.name().toLowerCase(Locale.ROOT);
  }

  private static ConfigErrorException collision(StreamDescriptor one, StreamDescriptor other, TableName table) {
    Comparator<StreamDescriptor> order =
        Comparator.comparing((StreamDescriptor s) -> s.namespace() == null ? "" : s.namespace())
            .thenComparing(StreamDescriptor::name);
    StreamDescriptor first = order.compare(one, other) <= 0 ? one : other;
    StreamDescriptor second = first == one ? other : one;
    return new ConfigErrorException(
        "Streams " + describe(first) + " and " + describe(second) + " both map to table " + table
            + ". Rename one of them in the source or the connection (a stream prefix or a namespace).");
  }

  private static String describe(StreamDescriptor stream) {
    return "'" + stream.name() + "' ("
        + (stream.namespace() == null ? "no namespace" : "namespace '" + stream.namespace() + "'") + ")";
  }
}
