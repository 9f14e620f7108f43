package io.destkit.core.typing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecimalLimitTest {
  private final DecimalLimit decimal = new DecimalLimit(38, 9);

  @Test
  void aNumberThatFitsIsTheSameInstanceAndNothingIsRecorded() throws Exception {
    BigDecimal number = new BigDecimal("12345.678901234");
    List<ValueChange> changes = new ArrayList<>();

    assertThat(decimal.apply(number, (change, reason) -> changes.add(change))).isSameAs(number);
    assertThat(changes).isEmpty();
    BigDecimal trailingZeros = new BigDecimal("1.5000000000000");
    assertThat(decimal.fit(trailingZeros)).isSameAs(trailingZeros);
  }

  @Test
  void moreDecimalsAreRoundedHalfUpAndTheRoundingRecorded() throws Exception {
    List<String> changes = new ArrayList<>();

    assertThat(decimal.apply(new BigDecimal("0.0000000005"), (change, reason) -> changes.add(change + " " + reason)))
        .isEqualByComparingTo("0.000000001");
    assertThat(decimal.fit(new BigDecimal("-2.0000000015"))).isEqualByComparingTo("-2.000000002");
    assertThat(changes).containsExactly("TRUNCATED DESTINATION_FIELD_SIZE_LIMITATION");
  }

  @Test
  void moreIntegerDigitsThanTheTypeHoldsDoNotFit() throws Exception {
    assertThat(decimal.fit(new BigDecimal("9".repeat(29)))).isEqualByComparingTo("9".repeat(29));
    assertThatThrownBy(() -> decimal.fit(new BigDecimal("1" + "0".repeat(29)))).isSameAs(CoercionFailure.FIELD_SIZE);
    // Rounding can carry into a thirtieth integer digit.
    assertThatThrownBy(() -> decimal.fit(new BigDecimal("9".repeat(29) + ".9999999995"))).isSameAs(CoercionFailure.FIELD_SIZE);
  }

  @Test
  void aScaleAboveThePrecisionIsNotADecimalType() {
    assertThatThrownBy(() -> new DecimalLimit(5, 6)).isInstanceOf(IllegalArgumentException.class);
  }
}
