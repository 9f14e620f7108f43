package io.destkit.core.naming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@link IdentifierRules.Style#AIRBYTE} style gives the names Airbyte's destination-postgres 3.x
 * gives, so that its tables keep their names. Expected names were worked out by hand from its rules.
 */
class AirbyteNamesTest {
  private final IdentifierRules rules = IdentifierRules.airbyte(63);

  @Test
  void caseIsKeptAndReservedWordsAreNotRenamed() {
    assertThat(rules.sanitize("Users")).isEqualTo("Users");
    assertThat(rules.sanitize("firstName")).isEqualTo("firstName");
    assertThat(rules.sanitize("CustomerData_v2")).isEqualTo("CustomerData_v2");
    assertThat(rules.sanitize("order")).isEqualTo("order");
    assertThat(rules.sanitize("USER")).isEqualTo("USER");
  }

  @Test
  void aRunOfWhiteSpaceIsOneUnderscoreAndEveryOtherCharacterOneEach() {
    assertThat(rules.sanitize("first  name")).isEqualTo("first_name");
    assertThat(rules.sanitize("a \t\n b")).isEqualTo("a_b");
    assertThat(rules.sanitize("my---table")).isEqualTo("my___table");
    assertThat(rules.sanitize("my.app.users")).isEqualTo("my_app_users");
    assertThat(rules.sanitize("user!email")).isEqualTo("user_email");
    // A no-break space decomposes (NFKD) to a space, so it joins the run.
    assertThat(rules.sanitize("a\u00a0 b")).isEqualTo("a_b");
    // One underscore per character, whatever its UTF-16 length.
    assertThat(rules.sanitize("北京")).isEqualTo("__");
    assertThat(rules.sanitize("x😀y")).isEqualTo("x_y");
  }

  @Test
  void accentsAreRemovedAndALeadingDigitGetsAnUnderscore() {
    assertThat(rules.sanitize("café")).isEqualTo("cafe");
    assertThat(rules.sanitize("ñ")).isEqualTo("n");
    assertThat(rules.sanitize("2024_data")).isEqualTo("_2024_data");
    assertThat(rules.sanitize("99-red-balloons")).isEqualTo("_99_red_balloons");
    assertThat(rules.sanitize("_private")).isEqualTo("_private");
  }

  @Test
  void anEmptyNameIsAnUnderscoreEveryTime() {
    assertThat(rules.sanitize("")).isEqualTo("_");
    assertThat(rules.sanitize("@#$")).isEqualTo("___");
  }

  @Test
  void aNameOver63CharactersKeeps54AndTheLastEightDigitsOfItsJavaHash() {
    assertThat(rules.sanitize("a".repeat(63))).isEqualTo("a".repeat(63));
    // "a" x 100 has String.hashCode() -1623643840 (worked out by hand).
    assertThat(rules.sanitize("a".repeat(100))).isEqualTo("a".repeat(54) + "_23643840").hasSize(63);
    assertThat(rules.sanitize("Very Long Stream Name That Goes On And On Past The Sixty Three Limit"))
        .isEqualTo("Very_Long_Stream_Name_That_Goes_On_And_On_Past_The_Six_38647329");
    assertThat(rules.sanitize("a".repeat(60) + "xyz")).isNotEqualTo(rules.sanitize("a".repeat(60) + "abc"));
  }

  @Test
  void airbytesRawTableNameHasOneUnderscoreMoreThanTheLongestRun() {
    assertThat(IdentifierRules.airbyteRawTableName("public", "users")).isEqualTo("public_raw__stream_users");
    assertThat(IdentifierRules.airbyteRawTableName("a__b", "c")).isEqualTo("a__b_raw___stream_c");
  }

  @Test
  void collidingColumnsGetTheSanitizedNameWithACounter() {
    NameResolver resolver = new NameResolver(rules);
    assertThat(resolver.resolveAll(List.of("Name", "name", "na-me", "na me"), Set.of()))
        .containsExactly("Name", "name_1", "na_me", "na_me_1");
    assertThat(resolver.resolveAll(List.of("_airbyte_raw_id"), Set.of("_airbyte_raw_id")))
        .containsExactly("_airbyte_raw_id_1");
  }

  @Test
  void longNamesThatCollideStayWithinTheLimitAndApart() {
    NameResolver resolver = new NameResolver(new IdentifierRules(30, false, Set.of(), IdentifierRules.Style.AIRBYTE));
    String a = "x".repeat(40);
    String b = "X".repeat(40);
    List<String> names = resolver.resolveAll(List.of(a, b), Set.of());
    assertThat(names.get(0)).hasSize(30);
    // The counter changes the hash, so the cut does not eat it; the names differ.
    assertThat(names.get(1)).hasSizeLessThanOrEqualTo(30).isNotEqualToIgnoringCase(names.get(0));
  }
}
