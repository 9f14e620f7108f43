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
 * The final and temp table names of a catalog's streams. In the {@link IdentifierRules.Style#DESTKIT}
 * style, temp names, and only temp names, end with {@value #TEMP_SUFFIX} (in any case): a final name
 * that would end with it gets a trailing {@code _}; names are compared case-insensitively, as a
 * database that folds case would. In the {@link IdentifierRules.Style#AIRBYTE} style, names are
 * Airbyte's and compared case-sensitively. Either way a temp table is never another stream's final
 * table, wherever the temp tables live.
 */
final class TableNames {
  static final String TEMP_SUFFIX = "_airbyte_tmp";

  private TableNames() {}

  /**
   * Each stream's final table. In the {@link IdentifierRules.Style#DESTKIT} style, two streams that
   * map to the same table are a config error naming both: renaming one of them silently would move
   * tables between syncs as streams come and go. In the {@link IdentifierRules.Style#AIRBYTE} style,
   * as Airbyte's destinations do, the later stream in catalog order gets {@code _} and 3 hex digits of
   * a SHA-1 of its namespace and name after its name; a collision after that is the config error.
   */
  static TableName[] finalTables(List<StreamDescriptor> streams, NamingPolicy policy) {
    IdentifierRules rules = policy.rules();
    boolean airbyte = rules.style() == IdentifierRules.Style.AIRBYTE;
    TableName[] tables = new TableName[streams.size()];
    Map<String, Integer> byKey = new HashMap<>();
    for (int i = 0; i < streams.size(); i++) {
      StreamDescriptor stream = streams.get(i);
      TableName named = policy.finalTableNamer() == null ? null : policy.finalTableNamer().apply(stream);
      String namespace = named != null ? named.namespace()
          : stream.namespace() == null ? policy.defaultNamespace() : rules.sanitize(stream.namespace());
      String name = named != null ? named.name() : rules.sanitize(stream.name());
      if (!airbyte && isTempName(name)) {
        name = rules.append(name, "_");
      }
      tables[i] = new TableName(namespace, name);
      if (airbyte && named == null && byKey.containsKey(key(tables[i], rules))) {
        String hash = Hashes.hex("SHA-1", namespace + "&airbyte&" + stream.name()).substring(0, 3);
        tables[i] = new TableName(namespace, rules.sanitize(stream.name() + "_" + hash));
      }
      Integer other = byKey.putIfAbsent(key(tables[i], rules), i);
      if (other != null) {
        throw collision(streams.get(other), stream, tables[i]);
      }
    }
    return tables;
  }

  /**
   * Each stream's temp table as Airbyte's destinations name it: in the policy's temp namespace (or
   * beside the final table), the first and last 8 characters of the final table's namespace and of
   * its name (the whole when 16 or fewer), then the first 32 hex digits of the SHA-256 of the raw
   * table name of {@code <table>_airbyte_tmp}; cut to the identifier limit, as the database cuts it.
   */
  private static TableName[] airbyteTempTables(TableName[] finals, NamingPolicy policy) {
    IdentifierRules rules = policy.rules();
    Map<String, Integer> finalKeys = new HashMap<>();
    for (int i = 0; i < finals.length; i++) {
      finalKeys.put(key(finals[i], rules), i);
    }
    TableName[] temps = new TableName[finals.length];
    Map<String, Integer> byKey = new HashMap<>();
    for (int i = 0; i < finals.length; i++) {
      TableName table = finals[i];
      String hash = Hashes.hex("SHA-256",
          IdentifierRules.airbyteRawTableName(table.namespace(), table.name() + TEMP_SUFFIX)).substring(0, 32);
      String name = rules.append(ends(table.namespace()) + ends(table.name()) + hash, "");
      temps[i] = new TableName(policy.tempNamespace() == null ? table.namespace() : policy.tempNamespace(), name);
      Integer other = byKey.putIfAbsent(key(temps[i], rules), i);
      Integer finalOne = finalKeys.get(key(temps[i], rules));
      if (other != null || finalOne != null) {
        throw new ConfigErrorException("The temp table " + temps[i] + " of table " + table
            + " is also the " + (other != null ? "temp table of " + finals[other] : "table of another stream")
            + ". Rename one of the streams in the source or the connection.");
      }
    }
    return temps;
  }

  private static String ends(String s) {
    return s.length() <= 16 ? s : s.substring(0, 8) + s.substring(s.length() - 8);
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
    if (rules.style() == IdentifierRules.Style.AIRBYTE) {
      return airbyteTempTables(finals, policy);
    }
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

  private static String key(TableName table, IdentifierRules rules) {
    return rules.tableNamesCaseSensitive() ? table.namespace() + '\0' + table.name() : key(table);
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
