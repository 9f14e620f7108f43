package io.destkit.core.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NameResolverTest {
  private final IdentifierRules duck = TestRules.lowerCase255();
  private final NameResolver resolver = new NameResolver(duck);

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void collidingNamesGetNumericSuffixes() {
    assertThat(resolver.resolveAll(List.of("a b", "a_b"), Set.of())).containsExactly("a_b", "a_b_1");
  }

  @Test
  void namesDifferingOnlyInCaseCollide() {
    assertThat(resolver.resolveAll(List.of("ID", "id"), Set.of())).containsExactly("id", "id_1");
  }

  @Test
  void caseOnlyCollisionsAreDetectedEvenWithoutLowerCasing() {
    NameResolver keepCase = new NameResolver(new IdentifierRules(63, false, Set.of()));
    assertThat(keepCase.resolveAll(List.of("Id", "ID", "id"), Set.of())).containsExactly("Id", "ID_1", "id_2");
  }

  @Test
  void threeWayCollisionsGetIncreasingSuffixes() {
    assertThat(resolver.resolveAll(List.of("a-b", "a.b", "a b"), Set.of())).containsExactly("a_b", "a_b_1", "a_b_2");
  }

  @Test
  void suffixSkipsNamesAlreadyAssigned() {
    assertThat(resolver.resolveAll(List.of("a_1", "a", "a"), Set.of())).containsExactly("a_1", "a", "a_2");
  }

  @Test
  void takenMetaColumnNamesAreAvoided() {
    Set<String> meta = Set.of("_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta");
    assertThat(resolver.resolveAll(List.of("_airbyte_raw_id", "_AIRBYTE_META", "name"), meta))
        .containsExactly("_airbyte_raw_id_1", "_airbyte_meta_1", "name");
  }

  @Test
  void reservedWordsGetALeadingUnderscore() {
    assertThat(resolver.resolve("order")).isEqualTo("_order");
    assertThat(resolver.resolve("SELECT")).isEqualTo("_select");
    assertThat(resolver.resolve("user")).isEqualTo("_user");
    assertThat(resolver.resolve("groups")).isEqualTo("_groups");
    assertThat(resolver.resolve("orders")).isEqualTo("orders");
  }

  @Test
  void reservedWordsMatchCaseInsensitivelyWhenCaseIsKept() {
    IdentifierRules rules = new IdentifierRules(63, false, Set.of("Order"));
    assertThat(rules.reservedWords()).containsExactly("order");
    assertThat(rules.sanitize("ORDER")).isEqualTo("_ORDER");
  }

  @Test
  void reservedWordAndItsUnderscoredFormStillResolveUniquely() {
    assertThat(resolver.resolveAll(List.of("order", "_order"), Set.of())).containsExactly("_order", "_order_1");
  }

  @Test
  void accentsAreStrippedAfterNormalization() {
    assertThat(resolver.resolve("spécial")).isEqualTo("special");
    assertThat(resolver.resolve("Crème Brûlée")).isEqualTo("creme_brulee");
    assertThat(resolver.resolve("ﬁle")).isEqualTo("file"); // compatibility ligature
  }

  @Test
  void nonLatinCharactersAndEmojiBecomeUnderscoresPerCodePoint() {
    assertThat(resolver.resolve("名前")).isEqualTo("__");
    assertThat(resolver.resolve("a😀b")).isEqualTo("a_b");
    assertThat(resolver.resolve("price $ (usd)")).isEqualTo("price____usd_");
    assertThat(resolver.resolve("ns:table.col-1")).isEqualTo("ns_table_col_1");
  }

  @Test
  void leadingDigitsGetALeadingUnderscore() {
    assertThat(resolver.resolve("99namespace")).isEqualTo("_99namespace");
    assertThat(resolver.resolve("1")).isEqualTo("_1");
  }

  @Test
  void emptyNameBecomesAnUnderscoreAndAllSymbolNamesKeepTheirUnderscores() {
    assertThat(resolver.resolve("")).isEqualTo("_");
    assertThat(resolver.resolve("!!!")).isEqualTo("___");
    assertThat(resolver.resolveAll(List.of("", "", "?"), Set.of())).containsExactly("_", "__1", "__2");
  }

  @Test
  void overLongNamesAreTruncatedWithinTheByteLimit() {
    String raw = "x".repeat(300);
    String id = resolver.resolve(raw);
    assertThat(utf8(id)).isEqualTo(255);
    assertThat(id).startsWith("x".repeat(246)).matches("x{246}_[0-9a-f]{8}");
  }

  @Test
  void overLongNamesSharingAPrefixStayDistinct() {
    String prefix = "c".repeat(255);
    List<String> out = resolver.resolveAll(List.of(prefix + "_one", prefix + "_two"), Set.of());
    assertThat(out.get(0)).isNotEqualTo(out.get(1));
    assertThat(out).allSatisfy(id -> assertThat(utf8(id)).isLessThanOrEqualTo(255));
    assertThat(out.get(0)).doesNotEndWith("_1"); // distinct by hash, not by collision suffix
    assertThat(out.get(1)).doesNotEndWith("_1");
  }

  @Test
  void truncationIsStableAcrossCallsAndInstances() {
    String raw = "Über lange Spalte ".repeat(30);
    assertThat(resolver.resolve(raw))
        .isEqualTo(resolver.resolve(raw))
        .isEqualTo(new NameResolver(TestRules.lowerCase255()).resolve(raw));
  }

  @Test
  void overLongUnicodeNamesRespectPostgresByteLimit() {
    NameResolver pg = new NameResolver(new IdentifierRules(63, true, Set.of()));
    String raw = "日本語のとても長い列名".repeat(10);
    String id = pg.resolve(raw);
    assertThat(utf8(id)).isLessThanOrEqualTo(63);
  }

  @Test
  void collisionSuffixOnAMaxLengthNameTruncatesTheBase() {
    String name = "y".repeat(255);
    List<String> out = resolver.resolveAll(List.of(name), Set.of(name));
    assertThat(out.get(0)).isEqualTo("y".repeat(253) + "_1");
    assertThat(utf8(out.get(0))).isEqualTo(255);
  }

  @Test
  void resultHasInputOrderAndSize() {
    List<String> raw = List.of("b", "A", "c", "a", "B");
    List<String> out = resolver.resolveAll(raw, Set.of());
    assertThat(out).containsExactly("b", "a", "c", "a_1", "b_1");
    assertThat(out.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet())).hasSize(raw.size());
  }

  @Test
  void sameInputTwiceGivesSameOutput() {
    List<String> raw = List.of("Order", "order", "a b", "a_b", "名前", "99", "é", "e", "x".repeat(400));
    Set<String> taken = Set.of("_airbyte_raw_id");
    assertThat(resolver.resolveAll(raw, taken)).isEqualTo(resolver.resolveAll(raw, taken));
  }

  @Test
  void sanitizeDoesNotMakeNamesUnique() {
    assertThat(duck.sanitize("a b")).isEqualTo(duck.sanitize("a_b")).isEqualTo("a_b");
  }

  @Test
  void rulesRejectLimitsTooSmallForTheHash() {
    assertThatThrownBy(() -> new IdentifierRules(5, true, Set.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
