package io.destkit.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.destkit.core.ConfigErrorException;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.naming.TestRules;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.core.typing.AirbyteType;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableCatalogTest {
  private static final NamingPolicy DUCKDB = new NamingPolicy(TestRules.lowerCase255(), "main", null);
  private static final String ID_SCHEMA = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}";

  /** A stream: namespace (or null), name and JSON schema. */
  private record S(String namespace, String name, String schema) {
    S(String namespace, String name) {
      this(namespace, name, ID_SCHEMA);
    }
  }

  private static DestinationCatalog catalog(List<S> streams) {
    StringBuilder json = new StringBuilder("{\"streams\":[");
    for (int i = 0; i < streams.size(); i++) {
      S s = streams.get(i);
      json.append(i == 0 ? "" : ",")
          .append("{\"stream\":{\"name\":")
          .append(quote(s.name()))
          .append(s.namespace() == null ? "" : ",\"namespace\":" + quote(s.namespace()))
          .append(",\"json_schema\":")
          .append(s.schema())
          .append("},\"destination_sync_mode\":\"append\"}");
    }
    try {
      return DestinationCatalog.from(ConfiguredCatalog.fromJson(MessageCodec.MAPPER.readTree(json.append("]}").toString())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quote(String text) {
    return MessageCodec.encode(MessageCodec.MAPPER.getNodeFactory().textNode(text));
  }

  private static TableCatalog build(NamingPolicy policy, S... streams) {
    return TableCatalog.build(catalog(List.of(streams)), policy);
  }

  /** Final table by stream, as {@code namespace.name}. */
  private static Map<StreamDescriptor, String> finalTables(TableCatalog tables) {
    Map<StreamDescriptor, String> out = new LinkedHashMap<>();
    for (StreamTables t : tables.tables()) {
      out.put(t.stream().descriptor(), t.finalTable().toString());
    }
    return out;
  }

  private static List<String> columnNames(StreamTables tables) {
    return tables.columns().stream().map(ColumnDef::name).toList();
  }

  private static String objectSchema(String... fields) {
    StringBuilder json = new StringBuilder("{\"type\":\"object\",\"properties\":{");
    for (int i = 0; i < fields.length; i++) {
      json.append(i == 0 ? "" : ",").append(quote(fields[i])).append(":{\"type\":\"string\"}");
    }
    return json.append("}}").toString();
  }

  @Test
  void tablesAreListedInCatalogOrder() {
    TableCatalog tables = build(DUCKDB, new S(null, "zeta"), new S(null, "alpha"), new S("sales", "orders"));

    assertThat(tables.tables()).extracting(t -> t.stream().descriptor().name()).containsExactly("zeta", "alpha", "orders");
    assertThat(tables.get(2).finalTable()).isEqualTo(new TableName("sales", "orders"));
  }

  @Test
  void streamsWithoutNamespaceGoToTheDefaultNamespace() {
    TableCatalog tables = build(DUCKDB, new S(null, "users"));

    assertThat(tables.get(0).finalTable()).isEqualTo(new TableName("main", "users"));
  }

  @Test
  void namespacesAndNamesAreSanitizedForTheDatabase() {
    TableCatalog tables = build(DUCKDB, new S("My-Schema", "Order Items"), new S(null, "select"), new S(null, "2024 sales"));

    assertThat(finalTables(tables).values()).containsExactly("my_schema.order_items", "main._select", "main._2024_sales");
  }

  @Test
  void streamNamesThatMapToTheSameTableAreAConfigErrorNamingBothStreamsAndTheTable() {
    assertThatThrownBy(() -> build(DUCKDB, new S(null, "a_b"), new S(null, "orders"), new S(null, "A-B")))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("'A-B' (no namespace)")
        .hasMessageContaining("'a_b' (no namespace)")
        .hasMessageContaining("main.a_b");
  }

  @Test
  void theTableNamesOfAShuffledCatalogAreAlwaysTheSame() {
    NamingPolicy shared = new NamingPolicy(TestRules.lowerCase63(), "public", "airbyte_internal");
    List<S> streams = new ArrayList<>();
    for (String name : List.of("Users", "u sers", "orders", "Orders!", "users_airbyte_tmp", "b_c", "x".repeat(80),
        "x".repeat(81), "public_users_airbyte_tmp")) {
      streams.add(new S(null, name));
      streams.add(new S("ns", name));
    }
    streams.add(new S("a_b", "c"));
    streams.add(new S("a", "b_c"));
    streams.add(new S("airbyte_internal", "public_users_airbyte_tmp"));
    Map<StreamDescriptor, List<TableName>> expected = allTables(TableCatalog.build(catalog(streams), shared));
    assertDisjoint(expected, 63);

    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(streams, random);
      assertThat(allTables(TableCatalog.build(catalog(streams), shared))).isEqualTo(expected);
    }
  }

  @Test
  void theSameStreamNameInTwoNamespacesDoesNotCollide() {
    TableCatalog tables = build(DUCKDB, new S("ns1", "items"), new S("ns2", "items"));

    assertThat(finalTables(tables).values()).containsExactly("ns1.items", "ns2.items");
  }

  @Test
  void aStreamWithoutNamespaceAndOneInTheDefaultNamespaceAreAConfigError() {
    NamingPolicy postgres = new NamingPolicy(TestRules.lowerCase63(), "public", "airbyte_internal");
    for (List<S> order : List.of(
        List.of(new S("public", "users"), new S(null, "users")), List.of(new S(null, "users"), new S("public", "users")))) {
      assertThatThrownBy(() -> TableCatalog.build(catalog(order), postgres))
          .isInstanceOf(ConfigErrorException.class)
          .hasMessage("Streams 'users' (no namespace) and 'users' (namespace 'public') both map to table public.users."
              + " Rename one of them in the source or the connection (a stream prefix or a namespace).");
    }
  }

  @Test
  void aStreamNamedLikeAnotherStreamsTempTableGetsAFinalTableNoTempTableCanTake() {
    TableCatalog tables = build(DUCKDB, new S(null, "users"), new S(null, "users_airbyte_tmp"));

    assertThat(tables.get(0).finalTable()).isEqualTo(new TableName("main", "users"));
    assertThat(tables.get(0).tempTable()).isEqualTo(new TableName("main", "users_airbyte_tmp"));
    assertThat(tables.get(1).finalTable()).isEqualTo(new TableName("main", "users_airbyte_tmp_"));
    assertThat(tables.get(1).tempTable()).isEqualTo(new TableName("main", "users_airbyte_tmp__airbyte_tmp"));
  }

  @Test
  void aFinalTableInTheTempNamespaceNeverTakesATempTablesName() {
    NamingPolicy postgres = new NamingPolicy(TestRules.lowerCase63(), "public", "airbyte_internal");
    TableCatalog tables = build(postgres, new S(null, "users"), new S("airbyte_internal", "public_users_airbyte_tmp"));

    assertThat(tables.get(0).tempTable()).isEqualTo(new TableName("airbyte_internal", "public_users_airbyte_tmp"));
    assertThat(tables.get(1).finalTable()).isEqualTo(new TableName("airbyte_internal", "public_users_airbyte_tmp_"));
    assertDisjoint(allTables(tables), 63);
  }

  @Test
  void tempNamesKeepTheirSuffixAtThe63ByteLimit() {
    NamingPolicy postgres = new NamingPolicy(TestRules.lowerCase63(), "public", "airbyte_internal");
    String longName = "a_very_long_stream_name_".repeat(3);
    // "x" * 51 + "_airbyte_tmp" is exactly 63 bytes: the longest final name that ends like a temp name.
    TableCatalog tables = build(postgres, new S(null, longName), new S(null, longName + "2"), new S(null, "x".repeat(51)),
        new S(null, "x".repeat(51) + "_airbyte_tmp"), new S(null, "x".repeat(50) + "_AIRBYTE_TMP"));

    assertThat(tables.get(3).finalTable().name()).isEqualTo("x".repeat(51) + "_airbyte_tm_");
    assertThat(tables.get(4).finalTable().name()).isEqualTo("x".repeat(50) + "_airbyte_tmp_");
    assertThat(tables.tables()).allSatisfy(t -> {
      assertThat(t.tempTable().name()).endsWith("_airbyte_tmp").hasSizeLessThanOrEqualTo(63);
      assertThat(t.finalTable().name()).doesNotEndWith("_airbyte_tmp").hasSizeLessThanOrEqualTo(63);
    });
    assertDisjoint(allTables(tables), 63);
  }

  @Test
  void namesThatDifferOnlyInCaseAreOneTableAndNeverTakeATempName() {
    NamingPolicy keepCase = new NamingPolicy(new IdentifierRules(63, false, Set.of()), "Main", null);
    TableCatalog tables = build(keepCase, new S(null, "Users"), new S(null, "Users_AIRBYTE_TMP"));

    assertThat(tables.get(0).tempTable()).isEqualTo(new TableName("Main", "Users_airbyte_tmp"));
    assertThat(tables.get(1).finalTable()).isEqualTo(new TableName("Main", "Users_AIRBYTE_TMP_"));
    assertThatThrownBy(() -> build(keepCase, new S(null, "Users"), new S(null, "USERS")))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("'USERS' (no namespace)")
        .hasMessageContaining("'Users' (no namespace)");
  }

  @Test
  void tempNamesThatCoincideInASharedTempNamespaceAreToldApartWhateverTheCatalogOrder() {
    NamingPolicy shared = new NamingPolicy(TestRules.lowerCase63(), "public", "airbyte_internal");
    TableCatalog one = build(shared, new S("a_b", "c"), new S("a", "b_c"));
    TableCatalog other = build(shared, new S("a", "b_c"), new S("a_b", "c"));

    assertThat(allTables(one))
        .containsEntry(new StreamDescriptor("a", "b_c"),
            List.of(new TableName("a", "b_c"), new TableName("airbyte_internal", "a_b_c_airbyte_tmp")))
        .containsEntry(new StreamDescriptor("a_b", "c"),
            List.of(new TableName("a_b", "c"), new TableName("airbyte_internal", "a_b_c_1_airbyte_tmp")));
    assertThat(allTables(other)).isEqualTo(allTables(one));
  }

  @Test
  void tempAndFinalNamesAreDisjointWhateverTheNamesAndIdentifierRules() {
    List<NamingPolicy> policies = List.of(
        DUCKDB,
        new NamingPolicy(TestRules.lowerCase63(), "public", "airbyte_internal"),
        new NamingPolicy(TestRules.lowerCase63(), "public", "public"),
        new NamingPolicy(new IdentifierRules(IdentifierRules.MIN_LENGTH_BYTES, false, Set.of()), "Ns", null),
        new NamingPolicy(new IdentifierRules(IdentifierRules.MIN_LENGTH_BYTES, false, Set.of()), "ns", "NS"));
    List<String> parts = List.of("users", "_airbyte_tmp", "_AIRBYTE_TMP", "_", "a", "B", "_1", "ns_", "x".repeat(20));
    Random random = new Random(11);
    int built = 0;
    for (int round = 0; round < 400; round++) {
      NamingPolicy policy = policies.get(round % policies.size());
      Set<S> streams = new java.util.LinkedHashSet<>();
      for (int s = 0; s < 8; s++) {
        String namespace = random.nextInt(3) == 0 ? null : randomName(parts, random, 2);
        streams.add(new S(namespace, randomName(parts, random, 4)));
      }
      TableCatalog tables;
      try {
        tables = TableCatalog.build(catalog(List.copyOf(streams)), policy);
      } catch (ConfigErrorException sameFinalTable) {
        continue;
      }
      built++;
      assertDisjoint(allTables(tables), policy.rules().maxLengthBytes());
    }
    assertThat(built).as("catalogs without two streams on one table").isGreaterThan(100);
  }

  private static String randomName(List<String> parts, Random random, int maxParts) {
    StringBuilder name = new StringBuilder();
    for (int i = random.nextInt(maxParts) + 1; i > 0; i--) {
      name.append(parts.get(random.nextInt(parts.size())));
    }
    return name.toString();
  }

  /** Final then temp table by stream. */
  private static Map<StreamDescriptor, List<TableName>> allTables(TableCatalog tables) {
    Map<StreamDescriptor, List<TableName>> out = new LinkedHashMap<>();
    for (StreamTables t : tables.tables()) {
      out.put(t.stream().descriptor(), List.of(t.finalTable(), t.tempTable()));
    }
    return out;
  }

  /** No two tables (finals and temps together) share a name case-insensitively; each fits the limit. */
  private static void assertDisjoint(Map<StreamDescriptor, List<TableName>> tables, int maxLengthBytes) {
    Set<String> seen = new java.util.HashSet<>();
    tables.forEach((stream, names) -> {
      for (TableName table : names) {
        assertThat(seen.add(table.toString().toLowerCase(java.util.Locale.ROOT)))
            .as("%s of %s is unique among %s", table, stream, tables).isTrue();
        assertThat(table.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
            .as("bytes of %s", table).isLessThanOrEqualTo(maxLengthBytes);
      }
      assertThat(names.get(0).name().toLowerCase(java.util.Locale.ROOT)).doesNotEndWith("_airbyte_tmp");
      assertThat(names.get(1).name()).endsWith("_airbyte_tmp");
    });
  }

  @Test
  void tempTablesSitBesideTheirFinalTableByDefault() {
    StreamTables tables = build(DUCKDB, new S("sales", "orders")).get(0);

    assertThat(tables.tempTable()).isEqualTo(new TableName("sales", "orders_airbyte_tmp"));
  }

  @Test
  void tempTablesInATempNamespaceCarryTheirNamespaceInTheirName() {
    NamingPolicy policy = new NamingPolicy(TestRules.lowerCase255(), "main", "airbyte_internal");
    TableCatalog tables = build(policy, new S("ns1", "items"), new S("ns2", "items"), new S(null, "items"));

    assertThat(tables.tables())
        .extracting(t -> t.tempTable().toString())
        .containsExactly(
            "airbyte_internal.ns1_items_airbyte_tmp",
            "airbyte_internal.ns2_items_airbyte_tmp",
            "airbyte_internal.main_items_airbyte_tmp");
  }

  @Test
  void longNamesAreTruncatedToTheIdentifierLimit() {
    NamingPolicy policy = new NamingPolicy(new IdentifierRules(63, true, Set.of()), "public", null);
    String longName = "a_very_long_stream_name_".repeat(5);
    TableCatalog tables = build(policy, new S(null, longName), new S(null, longName + "2"));

    assertThat(tables.tables()).allSatisfy(t -> assertThat(t.finalTable().name().length()).isLessThanOrEqualTo(63));
    assertThat(tables.get(0).finalTable()).isNotEqualTo(tables.get(1).finalTable());
  }

  @Test
  void columnsFollowTheSchemasFieldOrderWithTheirTypes() {
    String schema =
        "{\"type\":\"object\",\"properties\":{\"zeta\":{\"type\":\"integer\"},\"Alpha\":{\"type\":\"string\"},"
            + "\"when\":{\"type\":\"string\",\"format\":\"date\"}}}";
    StreamTables tables = build(DUCKDB, new S(null, "s", schema)).get(0);

    assertThat(tables.columns())
        .containsExactly(
            new ColumnDef("zeta", "zeta", AirbyteType.INTEGER, true),
            new ColumnDef("Alpha", "alpha", AirbyteType.STRING, true),
            new ColumnDef("when", "_when", AirbyteType.DATE, true));
  }

  @Test
  void columnNamesNeverTakeTheNameOfAMetaColumn() {
    StreamTables tables =
        build(DUCKDB, new S(null, "s", objectSchema("_airbyte_raw_id", "_AIRBYTE_META", "_airbyte_extracted_at",
            "_airbyte_generation_id", "id"))).get(0);

    assertThat(columnNames(tables)).doesNotContainAnyElementsOf(MetaColumns.ALL).doesNotHaveDuplicates();
    assertThat(columnNames(tables))
        .containsExactly(
            "_airbyte_raw_id_1", "_airbyte_meta_1", "_airbyte_extracted_at_1", "_airbyte_generation_id_1", "id");
    assertThat(tables.columns()).extracting(ColumnDef::sourceName)
        .containsExactly("_airbyte_raw_id", "_AIRBYTE_META", "_airbyte_extracted_at", "_airbyte_generation_id", "id");
  }

  @Test
  void aFieldNamedLikeAHelperColumnOfTheDedupeQueriesGetsAnotherColumnName() {
    StreamTables tables = build(DUCKDB, new S(null, "s", objectSchema("_airbyte_row_number", "id"))).get(0);

    assertThat(columnNames(tables)).containsExactly("_airbyte_row_number_1", "id");
  }

  @Test
  void columnNamesThatCollideAreMadeUniqueWhateverTheFieldOrder() {
    StreamTables one = build(DUCKDB, new S(null, "s", objectSchema("a b", "a_b", "A_B"))).get(0);
    StreamTables other = build(DUCKDB, new S(null, "s", objectSchema("A_B", "a_b", "a b"))).get(0);

    Map<String, String> byField = new LinkedHashMap<>();
    one.columns().forEach(c -> byField.put(c.sourceName(), c.name()));
    assertThat(byField).containsEntry("A_B", "a_b").containsEntry("a b", "a_b_1").containsEntry("a_b", "a_b_2");
    other.columns().forEach(c -> assertThat(c.name()).isEqualTo(byField.get(c.sourceName())));
  }

  @Test
  void aSchemalessStreamHasOneDataColumn() {
    for (String schema : List.of("{}", "{\"type\":\"object\"}", "{\"type\":\"object\",\"properties\":{}}")) {
      StreamTables tables = build(DUCKDB, new S(null, "s", schema)).get(0);

      assertThat(tables.stream().schemaless()).as(schema).isTrue();
      assertThat(tables.columns()).as(schema).containsExactly(new ColumnDef(null, MetaColumns.DATA, AirbyteType.UNKNOWN, true));
    }
  }

  @Test
  void rawTablesKeepEachRecordWholeBesideLoadedAtAndAppendDedupedStreams() {
    DestinationCatalog typed = catalog(List.of(new S("Shop", "Users"), new S(null, "orders")));
    io.destkit.core.stream.DestinationStream users = typed.get(0);
    io.destkit.core.stream.DestinationStream dedupedUsers = new io.destkit.core.stream.DestinationStream(
        users.descriptor(), users.schema(), users.fields(), false,
        new io.destkit.core.stream.ImportType.Dedupe(List.of(List.of("id")), List.of()),
        users.generationId(), users.minimumGenerationId(), users.syncId());
    NamingPolicy raw = new NamingPolicy(TestRules.lowerCase63(), "public", "airbyte_internal",
        stream -> new TableName("airbyte_internal", (stream.namespace() == null ? "public" : stream.namespace())
            .toLowerCase() + "_raw__stream_" + stream.name().toLowerCase()));

    TableCatalog tables = TableCatalog.buildRaw(new DestinationCatalog(List.of(dedupedUsers, typed.get(1))), raw);

    assertThat(tables.tables()).extracting(t -> t.finalTable().toString())
        .containsExactly("airbyte_internal.shop_raw__stream_users", "airbyte_internal.public_raw__stream_orders");
    assertThat(tables.tables()).allSatisfy(t -> {
      assertThat(t.stream().schemaless()).isTrue();
      assertThat(t.stream().fields()).isEmpty();
      assertThat(t.stream().importType()).isEqualTo(new io.destkit.core.stream.ImportType.Append());
      assertThat(t.columns()).extracting(ColumnDef::name).containsExactly(MetaColumns.LOADED_AT, MetaColumns.DATA);
      assertThat(t.columns()).extracting(ColumnDef::sourceName).containsOnlyNulls();
    });
    assertThat(tables.get(0).stream().descriptor()).isEqualTo(users.descriptor());
    assertThat(tables.internalNamespace()).isEqualTo("airbyte_internal");
  }

  @Test
  void twoStreamsThatANamerMapsToOneTableAreAConfigError() {
    NamingPolicy oneTable = new NamingPolicy(TestRules.lowerCase63(), "public", null,
        stream -> new TableName("public", "everything"));
    assertThatThrownBy(() -> build(oneTable, new S(null, "a"), new S(null, "b")))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("both map to table public.everything");
  }

  private static final NamingPolicy AIRBYTE = new NamingPolicy(IdentifierRules.airbyte(63), "public", "airbyte_internal");

  @Test
  void airbyteNamesKeepCaseAndTablesThatDifferInCaseAreDifferentTables() {
    TableCatalog tables = build(AIRBYTE, new S(null, "Users"), new S(null, "users"), new S("Sales Data", "order"));

    assertThat(finalTables(tables).values()).containsExactly("public.Users", "public.users", "Sales_Data.order");
  }

  @Test
  void anAirbyteNameTakenByAnEarlierStreamGetsItsHashAsAirbyteGivesIt() {
    // sha1("public&airbyte&a-b") starts with 010 (worked out by hand).
    TableCatalog tables = build(AIRBYTE, new S(null, "a_b"), new S(null, "a-b"));

    assertThat(finalTables(tables).values()).containsExactly("public.a_b", "public.a_b_010");
  }

  @Test
  void airbyteTempTablesAreNamedFromTheEndsOfNamespaceAndTableAndAHash() {
    TableCatalog tables = build(AIRBYTE, new S(null, "Users"),
        new S("averylongnamespacewithmanycharacters", "similarlylongstreamnamewithlotsoftest"));

    // sha256("public_raw__stream_Users_airbyte_tmp"), first 32 hex digits (worked out by hand).
    assertThat(tables.get(0).tempTable()).isEqualTo(new TableName("airbyte_internal", "publicUsers30bcb99bf2aee4811811f5f000532c31"));
    // Airbyte's own example: 64 characters, of which PostgreSQL keeps 63.
    assertThat(tables.get(1).tempTable()).isEqualTo(
        new TableName("airbyte_internal", "averylonaracterssimilarltsoftest81e041292e119a43ceaa439325d86a2"));
    assertThat(tables.get(0).tempTable().name()).doesNotEndWith("_airbyte_tmp");
  }

  @Test
  void airbyteColumnsResolveCollisionsInSchemaOrder() {
    TableCatalog forward = build(AIRBYTE, new S(null, "t", objectSchema("Name", "name", "first name")));
    TableCatalog backward = build(AIRBYTE, new S(null, "t", objectSchema("name", "Name", "first name")));

    assertThat(columnNames(forward.get(0))).containsExactly("Name", "name_1", "first_name");
    assertThat(columnNames(backward.get(0))).containsExactly("name", "Name_1", "first_name");
  }

  @Test
  void aStreamNamedLikeAnotherStreamsAirbyteTempTableIsAConfigError() {
    assertThatThrownBy(() -> build(AIRBYTE, new S(null, "Users"),
            new S("airbyte_internal", "publicUsers30bcb99bf2aee4811811f5f000532c31")))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("airbyte_internal.publicUsers30bcb99bf2aee4811811f5f000532c31");
  }
}
