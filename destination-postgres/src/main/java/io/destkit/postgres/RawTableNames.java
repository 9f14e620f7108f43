package io.destkit.postgres;

import io.destkit.core.catalog.TableName;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.protocol.StreamDescriptor;
import java.util.function.Function;

/**
 * The raw tables of {@code disable_type_dedupe}, named as Airbyte's destination-postgres names them:
 * in {@code raw_data_schema}, {@code <namespace>_raw__stream_<name>} (the namespace is the stream's,
 * or {@code schema}). The separator has one underscore more than the longest run of underscores in
 * the namespace and the name together (at least two), so that no two streams share a raw table.
 */
final class RawTableNames implements Function<StreamDescriptor, TableName> {
  private final IdentifierRules rules;
  private final String defaultNamespace;
  private final String rawNamespace;

  RawTableNames(IdentifierRules rules, String defaultNamespace, String rawDataSchema) {
    this.rules = rules;
    this.defaultNamespace = defaultNamespace;
    this.rawNamespace = rules.sanitize(rawDataSchema);
  }

  @Override
  public TableName apply(StreamDescriptor stream) {
    String namespace = stream.namespace() == null ? defaultNamespace : stream.namespace();
    return new TableName(rawNamespace, rules.sanitize(join(namespace, stream.name())));
  }

  /** {@code namespace + "_raw" + separator + "stream_" + name}. */
  static String join(String namespace, String name) {
    String both = namespace + name;
    int longest = 1;
    int run = 0;
    for (int i = 0; i < both.length(); i++) {
      run = both.charAt(i) == '_' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return namespace + "_raw" + "_".repeat(longest + 1) + "stream_" + name;
  }
}
