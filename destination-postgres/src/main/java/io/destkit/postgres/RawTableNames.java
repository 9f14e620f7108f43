package io.destkit.postgres;

import io.destkit.core.catalog.TableName;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.protocol.StreamDescriptor;
import java.util.Locale;
import java.util.function.Function;

/**
 * The raw tables of {@code disable_type_dedupe}, named as Airbyte's destination-postgres names them:
 * in {@code raw_data_schema}, {@code <namespace>_raw__stream_<name>} (the namespace is the stream's,
 * or {@code schema}), lower-cased (see {@link IdentifierRules#airbyteRawTableName}).
 */
final class RawTableNames implements Function<StreamDescriptor, TableName> {
  private final IdentifierRules rules;
  private final String defaultNamespace;
  private final String rawNamespace;

  RawTableNames(IdentifierRules rules, String defaultNamespace, String rawDataSchema) {
    this.rules = rules;
    this.defaultNamespace = defaultNamespace;
    this.rawNamespace = rules.sanitize(rawDataSchema.toLowerCase(Locale.ROOT));
  }

  @Override
  public TableName apply(StreamDescriptor stream) {
    String namespace = stream.namespace() == null ? defaultNamespace : stream.namespace();
    return new TableName(rawNamespace,
        rules.sanitize(IdentifierRules.airbyteRawTableName(namespace, stream.name()).toLowerCase(Locale.ROOT)));
  }
}
