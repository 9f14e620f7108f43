package io.destkit.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.typing.AirbyteType;
import io.destkit.protocol.MessageCodec;
import io.destkit.sql.TypeNames;
import io.destkit.testkit.TestDatabase;
import io.destkit.testkit.e2e.ProcessTarget;
import io.destkit.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The PostgreSQL destination as the testkit suites see it: the JVM's one {@link PostgresServer}, a
 * role that logs in with its password and may create schemas (not a superuser), and per test a
 * schema and raw_data_schema of its own, named after the test's directory.
 */
final class PostgresTarget implements ProcessTarget<PostgresConfig> {
  static final PostgresTarget INSTANCE = new PostgresTarget();

  /** As information_schema.columns lists PostgreSQL's types. */
  private static final TypeNames DATA_TYPES =
      TypeNames.builder()
          .string("character varying")
          .bool("boolean")
          .integer("bigint")
          .number("numeric")
          .date("date")
          .timestampWithTimezone("timestamp with time zone")
          .timestampWithoutTimezone("timestamp without time zone")
          .timeWithTimezone("time with time zone")
          .timeWithoutTimezone("time without time zone")
          .json("jsonb")
          .build();

  static final String WRITER = "destkit_writer";
  static final String WRITER_PASSWORD = "Wr1ter-pass-5e3c";

  private static boolean writerCreated;

  /** The server, with the writer role. */
  static synchronized PostgresServer server() {
    PostgresServer server = PostgresServer.get();
    if (!writerCreated) {
      server.createRole(WRITER, WRITER_PASSWORD);
      server.execute(PostgresServer.DEFAULT_DATABASE,
          "GRANT CREATE ON DATABASE " + PostgresServer.DEFAULT_DATABASE + " TO " + WRITER);
      writerCreated = true;
    }
    return server;
  }

  /** A config for {@code database} with the writer's credentials. */
  static ObjectNode config(String database, String schema) {
    return MessageCodec.MAPPER.createObjectNode()
        .put("host", PostgresServer.HOST)
        .put("port", server().port())
        .put("database", database)
        .put("username", WRITER)
        .put("password", WRITER_PASSWORD)
        .put("schema", schema);
  }

  @Override
  public PostgresDestination destination() {
    return new PostgresDestination();
  }

  @Override
  public JsonNode validConfig(Path directory) {
    String schema = PostgresServer.nameFor("destkit", directory.toAbsolutePath().toString());
    return config(PostgresServer.DEFAULT_DATABASE, schema).put("raw_data_schema", schema + "_raw");
  }

  @Override
  public TestDatabase openDatabase(PostgresConfig config) {
    PostgresDialect dialect = new PostgresDialect(config.dropCascade());
    return TestDatabase.of(PostgresDatabase.open(config), dialect, new PostgresCopyLoader(dialect));
  }

  /** A database per test, owned by the writer. */
  @Override
  public ObjectNode ownDatabaseConfig(Path directory, String defaultSchema) {
    String database = PostgresServer.nameFor("destkit_db", directory.toAbsolutePath().toString());
    server().createDatabase(database, WRITER);
    return config(database, defaultSchema);
  }

  /** A port nothing listens on. */
  @Override
  public ObjectNode unreachable(ObjectNode config, Path directory) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return config.put("port", socket.getLocalPort());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** jdbc_url_params is a list of pgjdbc properties: the token is the value of one. */
  @Override
  public String secretValue(String path, String token) {
    return path.equals("jdbc_url_params") ? "ApplicationName=" + token : token;
  }

  @Override
  public String dataType(AirbyteType type) {
    return DATA_TYPES.of(type);
  }

  @Override
  public String metaColumnDataType(String metaColumn) {
    return switch (metaColumn) {
      case MetaColumns.RAW_ID -> "character varying";
      case MetaColumns.EXTRACTED_AT -> "timestamp with time zone";
      case MetaColumns.META -> "jsonb";
      case MetaColumns.GENERATION_ID -> "bigint";
      default -> throw new IllegalArgumentException("not a meta column: " + metaColumn);
    };
  }

  /** numeric: up to 131072 digits before the point. */
  @Override
  public Optional<FixedDecimal> fixedNumberType() {
    return Optional.empty();
  }
}
