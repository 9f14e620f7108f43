package io.destkit.iceberg;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RESTSerializers;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.OAuthTokenResponse;

/**
 * An Iceberg REST catalog server on the loopback address: the JDK's HTTP server routing the REST
 * protocol's requests to Iceberg's own server-side handlers ({@link CatalogHandlers}, with Iceberg's
 * serializers) over a real JDBC catalog. It accepts one bearer token, which it also issues for one
 * OAuth2 client credential (client credentials grant), and refuses with 403 the calls it is told
 * to ({@link #forbid}).
 */
final class RestCatalogServer implements AutoCloseable {
  static final String TOKEN = "Rest-token-5d8e21";
  static final String CLIENT_ID = "destkit-client";
  static final String CLIENT_SECRET = "Rest-client-secret-90af";

  private static final String SEPARATOR = "%1F";

  /** The kinds of calls of the REST protocol, as a server's grants cover them. */
  enum Route { CONFIG, NAMESPACE, TABLE }

  /** A call the server refuses with 403 Forbidden: a route, and a method or null for all of them. */
  private record Refusal(Route route, String method) {}

  private final Set<Refusal> refused = ConcurrentHashMap.newKeySet();
  private volatile Set<String> warehouses;
  private final JdbcCatalog backing;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final ObjectMapper json = new ObjectMapper();

  RestCatalogServer(JdbcCatalog backing) throws IOException {
    this.backing = backing;
    json.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    json.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    json.setPropertyNamingStrategy(new PropertyNamingStrategies.KebabCaseStrategy());
    RESTSerializers.registerAll(json);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /**
   * From now on, answers 403 Forbidden to the calls of this route with one of these methods (all of
   * them when none is given), as a server answers a principal that lacks the grant.
   */
  void forbid(Route route, String... methods) {
    if (methods.length == 0) {
      refused.add(new Refusal(route, null));
    }
    for (String method : methods) {
      refused.add(new Refusal(route, method));
    }
  }

  /** From now on, serves only these warehouses (the {@code warehouse} of the configuration call), as Polaris does. */
  void serveOnly(String... names) {
    warehouses = Set.of(names);
  }

  /** A server over the JDBC catalog of {@code backingConfig}, which it closes with itself. */
  static RestCatalogServer over(ObjectNode backingConfig) throws IOException {
    return new RestCatalogServer(CatalogConnection.open(IcebergConfig.from(backingConfig), 2));
  }

  /**
   * {@code backingConfig} (its warehouse and S3 fields) with this server as its catalog, reached
   * with the token, streams without a namespace going to {@code public}.
   */
  ObjectNode clientConfig(ObjectNode backingConfig) {
    ObjectNode config = backingConfig.deepCopy();
    ObjectNode catalog = config.putObject("catalog_type");
    catalog.put("catalog_type", "REST");
    catalog.put("server_uri", uri().toString());
    catalog.put("token", TOKEN);
    catalog.put("namespace", "public");
    return config;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/v1/oauth/tokens") && method.equals("POST")) {
        token(exchange);
        return;
      }
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        error(exchange, 401, "NotAuthorizedException", "Not authorized: a bearer token is required");
        return;
      }
      String[] parts = path.split("/");
      Route route = parts.length == 3 && parts[2].equals("config") ? Route.CONFIG
          : parts.length <= 4 ? Route.NAMESPACE : Route.TABLE;
      if (refused.contains(new Refusal(route, null)) || refused.contains(new Refusal(route, method))) {
        error(exchange, 403, "ForbiddenException", "Principal '" + CLIENT_ID + "' is not authorized for "
            + method + " " + path);
        return;
      }
      try {
        route(exchange, method, parts);
      } catch (NoSuchNamespaceException | NoSuchTableException e) {
        error(exchange, 404, e.getClass().getSimpleName(), e.getMessage());
      } catch (AlreadyExistsException | CommitFailedException | NamespaceNotEmptyException e) {
        error(exchange, 409, e.getClass().getSimpleName(), e.getMessage());
      } catch (ValidationException | IllegalArgumentException e) {
        error(exchange, 400, e.getClass().getSimpleName(), e.getMessage());
      } catch (RuntimeException e) {
        error(exchange, 500, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
      }
    }
  }

  /** Routes {@code /v1/...}: config, namespaces, tables. */
  private void route(HttpExchange exchange, String method, String[] parts) throws IOException {
    // parts: "", "v1", then the route
    if (parts.length == 3 && parts[2].equals("config") && method.equals("GET")) {
      String warehouse = query(exchange).get("warehouse");
      if (warehouses != null && !warehouses.contains(warehouse)) {
        error(exchange, 404, "NoSuchWarehouseException", "Warehouse '" + warehouse + "' not found");
        return;
      }
      send(exchange, 200, ConfigResponse.builder().build());
      return;
    }
    if (parts.length < 3 || !parts[1].equals("v1") || !parts[2].equals("namespaces")) {
      error(exchange, 404, "NoSuchNamespaceException", "No route " + method + " " + String.join("/", parts));
      return;
    }
    if (parts.length == 3) {
      if (method.equals("GET")) {
        String parent = query(exchange).get("parent");
        send(exchange, 200, CatalogHandlers.listNamespaces(backing,
            parent == null ? Namespace.empty() : RESTUtil.decodeNamespace(parent, SEPARATOR)));
      } else {
        send(exchange, 200, CatalogHandlers.createNamespace(backing, read(exchange, CreateNamespaceRequest.class)));
      }
      return;
    }
    Namespace namespace = RESTUtil.decodeNamespace(parts[3], SEPARATOR);
    if (parts.length == 4) {
      switch (method) {
        case "HEAD" -> {
          CatalogHandlers.namespaceExists(backing, namespace);
          empty(exchange);
        }
        case "DELETE" -> {
          CatalogHandlers.dropNamespace(backing, namespace);
          empty(exchange);
        }
        default -> send(exchange, 200, CatalogHandlers.loadNamespace(backing, namespace));
      }
      return;
    }
    if (parts.length == 5 && parts[4].equals("tables")) {
      if (method.equals("GET")) {
        send(exchange, 200, CatalogHandlers.listTables(backing, namespace));
      } else {
        CreateTableRequest request = read(exchange, CreateTableRequest.class);
        send(exchange, 200, request.stageCreate()
            ? CatalogHandlers.stageTableCreate(backing, namespace, request)
            : CatalogHandlers.createTable(backing, namespace, request));
      }
      return;
    }
    if (parts.length == 6 && parts[4].equals("tables")) {
      TableIdentifier table = TableIdentifier.of(namespace, RESTUtil.decodeString(parts[5]));
      switch (method) {
        case "HEAD" -> {
          CatalogHandlers.tableExists(backing, table);
          empty(exchange);
        }
        case "DELETE" -> {
          if ("true".equals(query(exchange).get("purgeRequested"))) {
            CatalogHandlers.purgeTable(backing, table);
          } else {
            CatalogHandlers.dropTable(backing, table);
          }
          empty(exchange);
        }
        case "POST" -> send(exchange, 200,
            CatalogHandlers.updateTable(backing, table, read(exchange, UpdateTableRequest.class)));
        default -> send(exchange, 200,
            CatalogHandlers.loadTable(backing, table, RESTCatalogProperties.SnapshotMode.ALL));
      }
      return;
    }
    error(exchange, 404, "NoSuchTableException", "No route " + method + " " + String.join("/", parts));
  }

  /** The client credentials grant: the one client's credential gets the one token. */
  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form = RESTUtil.decodeFormData(body(exchange));
    if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
      // An OAuth2 error (RFC 6749, section 5.2), as token endpoints answer, not a REST catalog error.
      byte[] bytes = json.writeValueAsBytes(
          Map.of("error", "invalid_client", "error_description", "unknown client credential"));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(401, bytes.length);
      exchange.getResponseBody().write(bytes);
      return;
    }
    send(exchange, 200, OAuthTokenResponse.builder()
        .withToken(TOKEN).withTokenType("bearer").withIssuedTokenType("urn:ietf:params:oauth:token-type:access_token")
        .setExpirationInSeconds(3600).build());
  }

  private static Map<String, String> query(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    return query == null ? Map.of() : RESTUtil.decodeFormData(query);
  }

  private static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
    return json.readValue(body(exchange), type);
  }

  private void send(HttpExchange exchange, int status, Object response) throws IOException {
    byte[] bytes = json.writeValueAsBytes(response);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void empty(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(204, -1);
  }

  private void error(HttpExchange exchange, int status, String type, String message) throws IOException {
    send(exchange, status, ErrorResponse.builder().responseCode(status).withType(type).withMessage(message).build());
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    threads.shutdownNow();
    backing.close();
  }
}
