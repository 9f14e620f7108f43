package io.destkit.iceberg;

import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.SessionCatalog;
import org.apache.iceberg.rest.HTTPClient;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.RESTClient;
import org.apache.iceberg.rest.RESTSessionCatalog;
import org.apache.iceberg.rest.RESTUtil;

/**
 * Iceberg's REST catalog whose files are written through this destination's warehouse (its S3
 * client or the local file system) rather than a FileIO named by the server.
 */
final class RestCatalogConnection extends RESTCatalog {
  /** Iceberg's HTTP client, carrying the warehouse to {@link #newSessionCatalog}, which runs in the super constructor. */
  private record HttpClientFor(Warehouse warehouse) implements Function<Map<String, String>, RESTClient> {
    @Override
    public RESTClient apply(Map<String, String> properties) {
      return HTTPClient.builder(properties)
          .uri(properties.get(CatalogProperties.URI))
          .withHeaders(RESTUtil.configHeaders(properties))
          .build();
    }
  }

  /** A catalog still to be initialised with its properties. */
  RestCatalogConnection(Warehouse warehouse) {
    super(SessionCatalog.SessionContext.createEmpty(), new HttpClientFor(warehouse));
  }

  @Override
  protected RESTSessionCatalog newSessionCatalog(Function<Map<String, String>, RESTClient> clientBuilder) {
    Warehouse warehouse = ((HttpClientFor) clientBuilder).warehouse();
    return new RESTSessionCatalog(clientBuilder, (context, properties) -> warehouse.openFileIO());
  }
}
