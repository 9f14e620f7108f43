package io.destkit.core.catalog;

import io.destkit.core.naming.IdentifierRules;
import io.destkit.protocol.StreamDescriptor;
import java.util.function.Function;

/**
 * How a destination names its tables.
 *
 * @param defaultNamespace the namespace of streams that have none (the configured schema)
 * @param tempNamespace where temp tables go, or {@code null} to keep them beside the final table
 * @param finalTableNamer each stream's final table, or {@code null} for the stream's name in its
 *     namespace (or {@code defaultNamespace}), sanitized by {@code rules}
 */
public record NamingPolicy(
    IdentifierRules rules,
    String defaultNamespace,
    String tempNamespace,
    Function<StreamDescriptor, TableName> finalTableNamer) {

  public NamingPolicy(IdentifierRules rules, String defaultNamespace, String tempNamespace) {
    this(rules, defaultNamespace, tempNamespace, null);
  }
}
