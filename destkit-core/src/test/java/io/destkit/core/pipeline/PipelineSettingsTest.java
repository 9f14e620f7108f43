package io.destkit.core.pipeline;

import io.destkit.core.write.RetrySettings;
import io.destkit.core.write.PipelineSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.destkit.core.ConfigErrorException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {
  private static final String LINE_MB = "destkit.line.mb";

  @AfterEach
  void clearTheProperty() {
    System.clearProperty(LINE_MB);
    for (String property : RETRY_PROPERTIES) {
      System.clearProperty(property);
    }
  }

  private static final String[] RETRY_PROPERTIES = {
      "destkit.flush.timeout.seconds", "destkit.retry.attempts", "destkit.retry.delay.ms", "destkit.retry.max.seconds"};

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

  @Test
  void retriesDefaultToFiveAttemptsFromOneSecondToThirtyAndLoadsToTenMinutesWithoutProgress() {
    PipelineSettings defaults = PipelineSettings.defaults().withSystemOverrides();

    assertThat(defaults.retries()).isEqualTo(new RetrySettings(5, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    assertThat(defaults.flushTimeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void retriesAndTheFlushTimeoutAreTunedBySystemProperties() {
    System.setProperty("destkit.flush.timeout.seconds", "90");
    System.setProperty("destkit.retry.attempts", "3");
    System.setProperty("destkit.retry.delay.ms", "250");
    System.setProperty("destkit.retry.max.seconds", "4");

    PipelineSettings tuned = PipelineSettings.defaults().withSystemOverrides();

    assertThat(tuned.flushTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(tuned.retries()).isEqualTo(new RetrySettings(3, Duration.ofMillis(250), Duration.ofSeconds(4)));
    assertThat(tuned.withFlushThreads(1).withMaxAge(Duration.ofSeconds(3)).retries()).isEqualTo(tuned.retries());
  }

  @Test
  void oneAttemptRetriesNothingAndALongestDelayBelowTheFirstIsTheFirst() {
    System.setProperty("destkit.retry.attempts", "1");
    System.setProperty("destkit.retry.delay.ms", "5000");
    System.setProperty("destkit.retry.max.seconds", "2");

    assertThat(PipelineSettings.defaults().withSystemOverrides().retries())
        .isEqualTo(new RetrySettings(1, Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  @Test
  void aRetryOrTimeoutPropertyThatIsNotAPositiveNumberIsAConfigErrorNamingIt() {
    for (String property : RETRY_PROPERTIES) {
      System.setProperty(property, "0");

      assertThatThrownBy(() -> PipelineSettings.defaults().withSystemOverrides())
          .isInstanceOf(ConfigErrorException.class)
          .hasMessageContaining(property + "=0");
      System.clearProperty(property);
    }
    System.setProperty("destkit.retry.attempts", "1000");
    assertThatThrownBy(() -> PipelineSettings.defaults().withSystemOverrides())
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("destkit.retry.attempts=1000");
  }
}
