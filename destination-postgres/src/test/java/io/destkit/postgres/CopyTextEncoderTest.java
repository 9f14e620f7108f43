package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** COPY's text format: what each value becomes, byte for byte. */
class CopyTextEncoderTest {

  @FunctionalInterface
  interface Rows {
    void write(CopyTextEncoder encoder) throws SQLException;
  }

  private static String encode(int bufferBytes, Rows rows) throws SQLException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CopyTextEncoder encoder = new CopyTextEncoder(out::write, bufferBytes);
    rows.write(encoder);
    encoder.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String encode(Rows rows) throws SQLException {
    return encode(CopyTextEncoder.BUFFER_BYTES, rows);
  }

  private static String string(String value) throws SQLException {
    return encode(e -> e.string(value));
  }

  @Test
  void columnsAreSeparatedByTabsAndRowsEndWithANewline() throws Exception {
    assertThat(encode(e -> {
      e.string("a");
      e.integer(1);
      e.bool(true);
      e.endRow();
      e.string("b");
      e.integer(-2);
      e.bool(false);
      e.endRow();
    })).isEqualTo("a\t1\tt\nb\t-2\tf\n");
  }

  @Test
  void nullIsBackslashNAndDiffersFromTheEmptyString() throws Exception {
    assertThat(encode(e -> {
      e.nullValue();
      e.string("");
      e.nullValue();
      e.endRow();
    })).isEqualTo("\\N\t\t\\N\n");
    assertThat(string("\\N")).isEqualTo("\\\\N");
  }

  @Test
  void tabsNewlinesCarriageReturnsAndBackslashesAreEscaped() throws Exception {
    assertThat(string("a\tb")).isEqualTo("a\\tb");
    assertThat(string("line1\nline2\r\n")).isEqualTo("line1\\nline2\\r\\n");
    assertThat(string("C:\\temp\\x")).isEqualTo("C:\\\\temp\\\\x");
    assertThat(string("\\.")).isEqualTo("\\\\.");
    assertThat(string("{\"a\":\"x\\ny\"}")).isEqualTo("{\"a\":\"x\\\\ny\"}");
  }

  @Test
  void otherControlCharactersPassAsTheyAre() throws Exception {
    assertThat(string("\u0001\b\f\u001f")).isEqualTo("\u0001\b\f\u001f");
  }

  @Test
  void nulIsRefusedForPostgresCannotStoreIt() {
    assertThatThrownBy(() -> string("a\u0000b")).isInstanceOf(SQLException.class).hasMessageContaining("U+0000");
  }

  @Test
  void textIsEncodedAsUtf8() throws Exception {
    String text = "ünïcödé 日本 😀";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CopyTextEncoder encoder = new CopyTextEncoder(out::write);
    encoder.string(text);
    encoder.flush();
    assertThat(out.toByteArray()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLoneSurrogateBecomesAQuestionMarkAsJavasEncoderDoes() throws Exception {
    assertThat(string("a\ud800b\udc00")).isEqualTo("a?b?");
  }

  @Test
  void valuesLongerThanTheBufferAreStreamedInPieces() throws Exception {
    String text = "é\t".repeat(1000) + "😀".repeat(500);
    List<Integer> writes = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CopyTextEncoder encoder = new CopyTextEncoder((bytes, offset, length) -> {
      writes.add(length);
      out.write(bytes, offset, length);
    }, 64);
    encoder.string(text);
    encoder.integer(Long.MIN_VALUE);
    encoder.endRow();
    encoder.flush();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("é\\t".repeat(1000) + "😀".repeat(500) + "\t-9223372036854775808\n");
    assertThat(writes).hasSizeGreaterThan(10).allSatisfy(length -> assertThat(length).isLessThanOrEqualTo(64));
  }

  @Test
  void integersAndNumbersAreWrittenInFull() throws Exception {
    assertThat(encode(e -> {
      e.integer(0);
      e.integer(Long.MAX_VALUE);
      e.integer(Long.MIN_VALUE);
      e.number(new BigDecimal("1E+30"));
      e.number(new BigDecimal("-0.000000000000000000001"));
      e.number(new BigDecimal("12345.6789"));
    })).isEqualTo("0\t9223372036854775807\t-9223372036854775808\t1000000000000000000000000000000"
        + "\t-0.000000000000000000001\t12345.6789");
  }

  @Test
  void theMetaColumnsAreWrittenFromTheRow() throws Exception {
    UUID id = UUID.fromString("0123e456-789a-4bcd-8ef0-fedcba987654");
    assertThat(encode(e -> {
      e.rawId(id.getMostSignificantBits(), id.getLeastSignificantBits());
      e.extractedAt(1_709_210_096_789L);
      e.meta("{\"sync_id\":1,\"changes\":[]}");
      e.generationId(7);
    })).isEqualTo("0123e456-789a-4bcd-8ef0-fedcba987654\t2024-02-29 12:34:56.789+00\t{\"sync_id\":1,\"changes\":[]}\t7");
    assertThat(encode(e -> e.extractedAt(0))).isEqualTo("1970-01-01 00:00:00+00");
    assertThat(encode(e -> e.extractedAt(-1))).isEqualTo("1969-12-31 23:59:59.999+00");
  }

  @Test
  void metaJsonLosesItsNulEscapes() throws Exception {
    assertThat(encode(e -> e.meta("{\"changes\":[{\"field\":\"a\\u0000b\"}]}")))
        .isEqualTo("{\"changes\":[{\"field\":\"ab\"}]}");
  }

  @Test
  void datesAndTimesAreWrittenInIsoFormWithPostgresEras() throws Exception {
    assertThat(encode(e -> {
      e.date(LocalDate.of(2024, 2, 29));
      e.date(LocalDate.of(1, 1, 1));
      e.date(LocalDate.of(0, 12, 31));
      e.date(LocalDate.of(10000, 1, 1));
    })).isEqualTo("2024-02-29\t0001-01-01\t0001-12-31 BC\t10000-01-01");
    assertThat(encode(e -> {
      e.timestampWithTimezone(OffsetDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000, ZoneOffset.UTC));
      e.timestampWithTimezone(OffsetDateTime.of(0, 12, 31, 23, 0, 0, 1, ZoneOffset.UTC));
      e.timestampWithoutTimezone(LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000));
    })).isEqualTo("2024-02-29 12:34:56.789+00:00\t0001-12-31 23:00:00.000000001+00:00 BC\t2024-02-29 12:34:56.123456");
    assertThat(encode(e -> {
      e.timeWithTimezone(OffsetTime.of(12, 34, 56, 0, ZoneOffset.ofHoursMinutes(-5, -30)));
      e.timeWithTimezone(OffsetTime.of(1, 2, 3, 500_000_000, ZoneOffset.ofHoursMinutesSeconds(2, 0, 15)));
      e.timeWithoutTimezone(LocalTime.of(0, 0));
      e.timeWithoutTimezone(LocalTime.of(23, 59, 59, 999_999_999));
    })).isEqualTo("12:34:56-05:30\t01:02:03.5+02:00:15\t00:00:00\t23:59:59.999999999");
  }
}
