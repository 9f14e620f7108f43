package io.destkit.core.catalog;

import io.destkit.core.naming.IdentifierRules;

/**
 * How a destination names its tables.
 *
 * @param defaultNamespace the namespace of streams that have none (the configured schema)
 * @param tempNamespace where temp tables go, or {@code null} to keep them beside the final table
 */
public record NamingPolicy(IdentifierRules rules, String defaultNamespace, String tempNamespace) {}
