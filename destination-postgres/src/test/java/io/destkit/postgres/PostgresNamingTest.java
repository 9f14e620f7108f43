package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.naming.NameResolver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PostgreSQL's identifier rules with identifier_case lower: 63 bytes, lower case, reserved words escaped. */
class PostgresNamingTest {
  private final IdentifierRules rules = PostgresIdentifiers.lowerCase();

  private static int utf8Bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void namesAreLowerCasedAsPostgresFoldsUnquotedNames() {
    assertThat(rules.sanitize("UserEvents")).isEqualTo("userevents");
    assertThat(rules.sanitize("Order Items-2024")).isEqualTo("order_items_2024");
  }

  @Test
  void reservedWordsGetAnUnderscore() {
    assertThat(rules.sanitize("order")).isEqualTo("_order");
    assertThat(rules.sanitize("USER")).isEqualTo("_user");
    assertThat(rules.sanitize("current_schema")).isEqualTo("_current_schema");
    assertThat(rules.sanitize("name")).isEqualTo("name");
  }

  @Test
  void aNameOfExactly63BytesIsKept() {
    String name = "a".repeat(63);
    assertThat(rules.sanitize(name)).isEqualTo(name);
  }

  @Test
  void aLongerNameIsCutTo63BytesWithAStableHash() {
    String raw = "a".repeat(64);
    String name = rules.sanitize(raw);
    assertThat(utf8Bytes(name)).isEqualTo(63);
    assertThat(name).startsWith("a".repeat(54) + "_").matches(".*_[0-9a-f]{8}");
    assertThat(rules.sanitize(raw)).isEqualTo(name);
    assertThat(rules.sanitize("a".repeat(65))).isNotEqualTo(name).hasSize(63);
  }

  @Test
  void multiByteNamesFitIn63BytesOnceSanitized() {
    // 2-byte (é), 3-byte (日) and 4-byte (😀) characters: 40 of each is far over 63 bytes in UTF-8.
    for (String raw : List.of("é".repeat(40), "日".repeat(40), "😀".repeat(40), "Ünïcödé_".repeat(10))) {
      String name = rules.sanitize(raw);
      assertThat(utf8Bytes(name)).as(raw).isLessThanOrEqualTo(63);
      assertThat(name).as(raw).matches("[a-z0-9_]+");
      assertThat(rules.sanitize(raw)).isEqualTo(name);
    }
    assertThat(rules.sanitize("café")).isEqualTo("cafe");
  }

  @Test
  void longNamesThatShareA63BytePrefixStayDistinct() {
    String prefix = "événement_".repeat(7);
    List<String> names =
        new NameResolver(rules).resolveAll(List.of(prefix + "début", prefix + "fin", prefix + "début"), Set.of());
    assertThat(names).doesNotHaveDuplicates().allSatisfy(name -> assertThat(utf8Bytes(name)).isLessThanOrEqualTo(63));
  }

  @Test
  void collidingNamesGetSuffixesWithinTheLimit() {
    List<String> names = new NameResolver(rules).resolveAll(List.of("a".repeat(63), "A".repeat(63)), Set.of());
    assertThat(names.get(0)).isEqualTo("a".repeat(63));
    assertThat(names.get(1)).isEqualTo("a".repeat(61) + "_1");
  }
}
