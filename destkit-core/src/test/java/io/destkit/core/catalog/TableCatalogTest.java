package io.destkit.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.naming.IdentifierRules;
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
  private static final NamingPolicy DUCKDB = new NamingPolicy(IdentifierRules.duckDb(), "main", null);
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
  void streamNamesThatCollideAfterSanitizingGetDistinctTablesWhateverTheCatalogOrder() {
    TableCatalog forward = build(DUCKDB, new S(null, "a b"), new S(null, "a_b"), new S(null, "A-B"));
    TableCatalog backward = build(DUCKDB, new S(null, "A-B"), new S(null, "a_b"), new S(null, "a b"));

    Map<StreamDescriptor, String> names = finalTables(forward);
    assertThat(names)
        .containsEntry(new StreamDescriptor(null, "A-B"), "main.a_b")
        .containsEntry(new StreamDescriptor(null, "a b"), "main.a_b_1")
        .containsEntry(new StreamDescriptor(null, "a_b"), "main.a_b_2");
    assertThat(finalTables(backward)).isEqualTo(names);
  }

  @Test
  void theTableNamesOfAShuffledCatalogAreAlwaysTheSame() {
    List<S> streams = new ArrayList<>();
    for (String name : List.of("Users", "users", "USERS", "u sers", "u_sers", "u-sers", "orders", "Orders!")) {
      streams.add(new S(null, name));
      streams.add(new S("ns", name));
    }
    Map<StreamDescriptor, String> expected = finalTables(TableCatalog.build(catalog(streams), DUCKDB));
    assertThat(Set.copyOf(expected.values())).hasSize(streams.size());

    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(streams, random);
      assertThat(finalTables(TableCatalog.build(catalog(streams), DUCKDB))).isEqualTo(expected);
    }
  }

  @Test
  void theSameStreamNameInTwoNamespacesDoesNotCollide() {
    TableCatalog tables = build(DUCKDB, new S("ns1", "items"), new S("ns2", "items"));

    assertThat(finalTables(tables).values()).containsExactly("ns1.items", "ns2.items");
  }

  @Test
  void aStreamWithoutNamespaceAndOneInTheDefaultNamespaceCollideDeterministically() {
    TableCatalog one = build(DUCKDB, new S("main", "users"), new S(null, "users"));
    TableCatalog other = build(DUCKDB, new S(null, "users"), new S("main", "users"));

    assertThat(finalTables(one))
        .containsEntry(new StreamDescriptor(null, "users"), "main.users")
        .containsEntry(new StreamDescriptor("main", "users"), "main.users_1");
    assertThat(finalTables(other)).isEqualTo(finalTables(one));
  }

  @Test
  void tempTablesSitBesideTheirFinalTableByDefault() {
    StreamTables tables = build(DUCKDB, new S("sales", "orders")).get(0);

    assertThat(tables.tempTable()).isEqualTo(new TableName("sales", "orders_airbyte_tmp"));
  }

  @Test
  void tempTablesInATempNamespaceCarryTheirNamespaceInTheirName() {
    NamingPolicy policy = new NamingPolicy(IdentifierRules.duckDb(), "main", "airbyte_internal");
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
}
