package io.destkit.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.destkit.core.ConfigErrorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {
  private static final String LINE_MB = "destkit.line.mb";

  @AfterEach
  void clearTheProperty() {
    System.clearProperty(LINE_MB);
  }

  @Test
  void theLongestLineIsASixteenthOfTheHeapBetweenOneAnd256Megabytes() {
    long heap = Runtime.getRuntime().maxMemory();
    long expected = Math.max(1L << 20, Math.min(heap / 16, 256L << 20));

    assertThat(PipelineSettings.defaults().maxLineBytes()).isEqualTo(expected);
    assertThat((long) PipelineSettings.defaults().maxLineBytes()).isLessThanOrEqualTo(PipelineSettings.defaults().memoryBytes());
  }

  @Test
  void theLongestLineIsTunedInMegabytes() {
    System.setProperty(LINE_MB, "3");

    assertThat(PipelineSettings.defaults().withSystemOverrides().maxLineBytes()).isEqualTo(3 << 20);
  }

  @Test
  void aLongestLineAJavaArrayCannotHoldOrNotPositiveIsAConfigErrorNamingTheProperty() {
    for (String value : new String[] {"2048", "0", "big"}) {
      System.setProperty(LINE_MB, value);

      assertThatThrownBy(() -> PipelineSettings.defaults().withSystemOverrides())
          .as(value)
          .isInstanceOf(ConfigErrorException.class)
          .hasMessageContaining(LINE_MB + "=" + value);
    }
    System.setProperty(LINE_MB, "2047");
    assertThat(PipelineSettings.defaults().withSystemOverrides().maxLineBytes()).isEqualTo(2047 << 20);
  }
}
