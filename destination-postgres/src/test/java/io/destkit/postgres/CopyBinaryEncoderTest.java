package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.destkit.postgres.CopyBinaryEncoder.Kind;
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
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** COPY's binary format: what each value becomes, byte for byte (expected bytes computed by hand). */
class CopyBinaryEncoderTest {
  private static final String HEADER = "5047434f50590aff0d0a00" + "00000000" + "00000000";
  private static final String TRAILER = "ffff";

  @FunctionalInterface
  interface Values {
    void write(CopyBinaryEncoder encoder) throws SQLException;
  }

  /** The bytes of a whole stream of one one-column row, in hex. */
  private static String stream(Kind kind, int bufferBytes, Values values) throws SQLException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CopyBinaryEncoder encoder = new CopyBinaryEncoder(out::write, new Kind[] {kind}, new byte[bufferBytes]);
    encoder.startRow();
    values.write(encoder);
    encoder.endRow();
    encoder.finish();
    return HexFormat.of().formatHex(out.toByteArray());
  }

  /** The bytes of one field (length and value) in hex. */
  private static String field(Kind kind, Values value) throws SQLException {
    String all = stream(kind, CopyBinaryEncoder.BUFFER_BYTES, value);
    assertThat(all).startsWith(HEADER + "0001").endsWith(TRAILER);
    return all.substring(HEADER.length() + 4, all.length() - TRAILER.length());
  }

  private static String numeric(String value) throws SQLException {
    return field(Kind.NUMERIC, e -> e.number(new BigDecimal(value)));
  }

  @Test
  void aStreamIsTheHeaderRowsOfAFieldCountAndTheTrailer() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CopyBinaryEncoder encoder = new CopyBinaryEncoder(out::write, new Kind[] {Kind.INT8, Kind.BOOL, Kind.ABSENT});
    encoder.startRow();
    encoder.integer(1);
    encoder.bool(true);
    encoder.nullValue();
    encoder.endRow();
    encoder.startRow();
    encoder.nullValue();
    encoder.bool(false);
    encoder.nullValue();
    encoder.endRow();
    encoder.finish();
    assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(HEADER
        + "0003" + "00000008" + "0000000000000001" + "00000001" + "01" + "ffffffff"
        + "0003" + "ffffffff" + "00000001" + "00" + "ffffffff"
        + TRAILER);
  }

  @Test
  void textIsItsUtf8Bytes() throws Exception {
    assertThat(field(Kind.TEXT, e -> e.string(""))).isEqualTo("00000000");
    assertThat(field(Kind.TEXT, e -> e.string("a\tb\\"))).isEqualTo("00000004" + "6109625c");
    // é (2 bytes), 日 (3 bytes), 😀 (a surrogate pair, 4 bytes), a lone surrogate as ?
    assertThat(field(Kind.TEXT, e -> e.string("é日😀\ud800")))
        .isEqualTo("0000000a" + "c3a9" + "e697a5" + "f09f9880" + "3f");
  }

  @Test
  void jsonbIsVersionOneThenTheText() throws Exception {
    assertThat(field(Kind.JSONB, e -> e.string("{\"a\":1}"))).isEqualTo("00000008" + "01" + "7b2261223a317d");
    assertThat(field(Kind.JSONB, e -> e.meta("{\"k\":\"\\u0000\"}"))).isEqualTo("00000009" + "01" + "7b226b223a22227d");
  }

  @Test
  void aValueLargerThanTheBufferStreamsThroughIt() throws Exception {
    String text = "x".repeat(300) + "é".repeat(100);
    String all = stream(Kind.TEXT, 64, e -> e.string(text));
    assertThat(all).isEqualTo(HEADER + "0001" + String.format("%08x", 500)
        + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)) + TRAILER);
    String json = "[" + "1,".repeat(100) + "1]";
    assertThat(stream(Kind.JSONB, 64, e -> e.string(json))).isEqualTo(HEADER + "0001" + String.format("%08x", 204)
        + "01" + HexFormat.of().formatHex(json.getBytes(StandardCharsets.UTF_8)) + TRAILER);
  }

  @Test
  void u0000IsRefused() {
    assertThatThrownBy(() -> field(Kind.TEXT, e -> e.string("a\u0000b")))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("U+0000");
  }

  @Test
  void bigintIsEightBytesBigEndian() throws Exception {
    assertThat(field(Kind.INT8, e -> e.integer(0))).isEqualTo("00000008" + "0000000000000000");
    assertThat(field(Kind.INT8, e -> e.integer(-2))).isEqualTo("00000008" + "fffffffffffffffe");
    assertThat(field(Kind.INT8, e -> e.integer(Long.MAX_VALUE))).isEqualTo("00000008" + "7fffffffffffffff");
    assertThat(field(Kind.INT8, e -> e.integer(Long.MIN_VALUE))).isEqualTo("00000008" + "8000000000000000");
    assertThat(field(Kind.INT8, e -> e.generationId(258))).isEqualTo("00000008" + "0000000000000102");
  }

  @Test
  void numericIsBase10000DigitsWithWeightSignAndDisplayScale() throws Exception {
    // ndigits, weight, sign, dscale, digits
    assertThat(numeric("12345.6789")).isEqualTo("0000000e" + "0003" + "0001" + "0000" + "0004" + "0001" + "0929" + "1a85");
    assertThat(numeric("-12345.6789")).isEqualTo("0000000e" + "0003" + "0001" + "4000" + "0004" + "0001" + "0929" + "1a85");
    assertThat(numeric("0")).isEqualTo("00000008" + "0000" + "0000" + "0000" + "0000");
    assertThat(numeric("0.000")).isEqualTo("00000008" + "0000" + "0000" + "0000" + "0003");
    assertThat(numeric("-0.00")).isEqualTo("00000008" + "0000" + "0000" + "0000" + "0002");
    assertThat(numeric("1")).isEqualTo("0000000a" + "0001" + "0000" + "0000" + "0000" + "0001");
    assertThat(numeric("9999")).isEqualTo("0000000a" + "0001" + "0000" + "0000" + "0000" + "270f");
    // 10000 is one digit of weight 1; its trailing zero digit is not sent
    assertThat(numeric("10000")).isEqualTo("0000000a" + "0001" + "0001" + "0000" + "0000" + "0001");
    // trailing zeros of the fraction: 1.500 = 1 + 5000/10000, display scale 3
    assertThat(numeric("1.500")).isEqualTo("0000000c" + "0002" + "0000" + "0000" + "0003" + "0001" + "1388");
    // 0.5 = 5000 * 10000^-1
    assertThat(numeric("0.5")).isEqualTo("0000000a" + "0001" + "ffff" + "0000" + "0001" + "1388");
    // 0.0001 = 1 * 10000^-1; 0.00001 = 1000 * 10000^-2
    assertThat(numeric("0.0001")).isEqualTo("0000000a" + "0001" + "ffff" + "0000" + "0004" + "0001");
    assertThat(numeric("0.00001")).isEqualTo("0000000a" + "0001" + "fffe" + "0000" + "0005" + "03e8");
    // -1e-30 = 100 * 10000^-8
    assertThat(numeric("-0.000000000000000000000000000001"))
        .isEqualTo("0000000a" + "0001" + "fff8" + "4000" + "001e" + "0064");
    // 1e400 = 1 * 10000^100, display scale 0 (a negative scale is not displayed)
    assertThat(numeric("1e400")).isEqualTo("0000000a" + "0001" + "0064" + "0000" + "0000" + "0001");
    // 1.5e5 = 15 * 10000^1
    assertThat(numeric("1.5e5")).isEqualTo("0000000a" + "0001" + "0001" + "0000" + "0000" + "000f");
    // 12345678901234567890.12 goes through the BigInteger path: 1234 5678 9012 3456 7890 . 1200
    assertThat(numeric("12345678901234567890.12")).isEqualTo("00000014" + "0006" + "0004" + "0000" + "0002"
        + "04d2" + "162e" + "2334" + "0d80" + "1ed2" + "04b0");
    // 922 3372 0368 5477 5808
    assertThat(numeric("-9223372036854775808")).isEqualTo("00000012" + "0005" + "0004" + "4000" + "0000"
        + "039a" + "0d2c" + "0170" + "1565" + "16b0");
  }

  @Test
  void numericAgreesBetweenTheLongAndBigIntegerPaths() throws Exception {
    // 2^53 - 1 goes through longs, the same digits times 10^8 through BigInteger: 9007 1992 5474 0991
    String digits = "232f" + "07c8" + "1562" + "03df";
    assertThat(numeric("9007199254740991")).isEqualTo("00000010" + "0004" + "0003" + "0000" + "0000" + digits);
    assertThat(numeric("900719925474099100000000")).isEqualTo("00000010" + "0004" + "0005" + "0000" + "0000" + digits);
    // 9 0071 9925 4740 . 9910
    assertThat(numeric("-9007199254740.9910"))
        .isEqualTo("00000012" + "0005" + "0003" + "4000" + "0004" + "0009" + "0047" + "26c5" + "1284" + "26b6");
  }

  @Test
  void booleanIsOneByte() throws Exception {
    assertThat(field(Kind.BOOL, e -> e.bool(true))).isEqualTo("00000001" + "01");
    assertThat(field(Kind.BOOL, e -> e.bool(false))).isEqualTo("00000001" + "00");
  }

  @Test
  void dateIsDaysSince2000() throws Exception {
    assertThat(field(Kind.DATE, e -> e.date(LocalDate.of(2000, 1, 1)))).isEqualTo("00000004" + "00000000");
    assertThat(field(Kind.DATE, e -> e.date(LocalDate.of(2000, 1, 2)))).isEqualTo("00000004" + "00000001");
    assertThat(field(Kind.DATE, e -> e.date(LocalDate.of(1999, 12, 31)))).isEqualTo("00000004" + "ffffffff");
    // 2024-02-29: 8825 days after 2000-01-01
    assertThat(field(Kind.DATE, e -> e.date(LocalDate.of(2024, 2, 29)))).isEqualTo("00000004" + "00002279");
  }

  @Test
  void timestampsAreMicrosecondsSince2000() throws Exception {
    assertThat(field(Kind.TIMESTAMPTZ, e -> e.timestampWithTimezone(OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))))
        .isEqualTo("00000008" + "0000000000000000");
    // 00:00:01.000001 at +01:00 is 23:00:01.000001 the day before: -3598999999 µs
    assertThat(field(Kind.TIMESTAMPTZ,
            e -> e.timestampWithTimezone(OffsetDateTime.of(2000, 1, 1, 0, 0, 1, 1000, ZoneOffset.ofHours(1)))))
        .isEqualTo("00000008" + String.format("%016x", -3_598_999_999L));
    assertThat(field(Kind.TIMESTAMP, e -> e.timestampWithoutTimezone(LocalDateTime.of(2000, 1, 1, 0, 0, 1, 500))))
        .isEqualTo("00000008" + String.format("%016x", 1_000_000L));
    // nanoseconds round to microseconds, halves to even
    assertThat(field(Kind.TIMESTAMP, e -> e.timestampWithoutTimezone(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 1500))))
        .isEqualTo("00000008" + String.format("%016x", 2L));
    assertThat(field(Kind.TIMESTAMP, e -> e.timestampWithoutTimezone(LocalDateTime.of(2000, 1, 1, 0, 0, 0, 2501))))
        .isEqualTo("00000008" + String.format("%016x", 3L));
    // _airbyte_extracted_at from epoch milliseconds: 2024-02-29T12:34:56.789Z
    assertThat(field(Kind.TIMESTAMPTZ, e -> e.extractedAt(1_709_210_096_789L)))
        .isEqualTo("00000008" + String.format("%016x", (1_709_210_096_789L - 946_684_800_000L) * 1000));
  }

  @Test
  void timesAreMicrosecondsOfTheDayTimetzWithTheOffsetWestOfUtc() throws Exception {
    assertThat(field(Kind.TIME, e -> e.timeWithoutTimezone(LocalTime.of(0, 0, 1))))
        .isEqualTo("00000008" + "00000000000f4240");
    // 12:34:56 = 45296 s; +02:00 is sent as -7200 s
    assertThat(field(Kind.TIMETZ, e -> e.timeWithTimezone(OffsetTime.of(12, 34, 56, 0, ZoneOffset.ofHours(2)))))
        .isEqualTo("0000000c" + String.format("%016x", 45_296_000_000L) + "ffffe3e0");
    assertThat(field(Kind.TIMETZ, e -> e.timeWithTimezone(OffsetTime.of(0, 0, 0, 0, ZoneOffset.ofHoursMinutes(-15, -59)))))
        .isEqualTo("0000000c" + "0000000000000000" + String.format("%08x", 57_540));
  }

  @Test
  void theRawIdIsItsUuidText() throws Exception {
    assertThat(field(Kind.TEXT, e -> e.rawId(0x0123456789abcdefL, 0xfedcba9876543210L)))
        .isEqualTo("00000024" + HexFormat.of().formatHex(
            "01234567-89ab-cdef-fedc-ba9876543210".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aValueOfAnotherKindThanItsColumnIsRefused() {
    assertThatThrownBy(() -> field(Kind.INT8, e -> e.string("1")))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("int8");
    assertThatThrownBy(() -> field(Kind.NUMERIC, e -> e.integer(1)))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("numeric");
    assertThatThrownBy(() -> field(Kind.ABSENT, e -> e.bool(true))).isInstanceOf(SQLException.class);
  }

  @Test
  void aRowOfTheWrongWidthIsRefused() throws Exception {
    CopyBinaryEncoder encoder = new CopyBinaryEncoder((b, o, l) -> {}, new Kind[] {Kind.INT8, Kind.INT8});
    encoder.startRow();
    encoder.integer(1);
    assertThatThrownBy(encoder::endRow).isInstanceOf(SQLException.class).hasMessageContaining("1 values for 2 columns");
    encoder.startRow();
    encoder.integer(1);
    encoder.integer(2);
    assertThatThrownBy(encoder::nullValue).isInstanceOf(SQLException.class);
  }

  @Test
  void fullBuffersAreSentAsTheyFill() throws Exception {
    java.util.List<Integer> chunks = new java.util.ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CopyBinaryEncoder encoder = new CopyBinaryEncoder((b, o, l) -> {
      chunks.add(l);
      out.write(b, o, l);
    }, new Kind[] {Kind.INT8}, new byte[64]);
    for (int i = 0; i < 10; i++) {
      encoder.startRow();
      encoder.integer(i);
      encoder.endRow();
    }
    encoder.finish();
    assertThat(chunks).allMatch(n -> n <= 64);
    assertThat(chunks.size()).isGreaterThan(1);
    assertThat(out.size()).isEqualTo(19 + 10 * (2 + 4 + 8) + 2);
  }

  @Test
  void theFormatIsChosenByName() {
    assertThat(CopyFormat.parse("binary")).isEqualTo(CopyFormat.BINARY);
    assertThat(CopyFormat.parse(" TEXT ")).isEqualTo(CopyFormat.TEXT);
    assertThat(CopyFormat.parse(null)).isEqualTo(CopyFormat.DEFAULT);
    assertThat(CopyFormat.parse("")).isEqualTo(CopyFormat.DEFAULT);
    assertThatThrownBy(() -> CopyFormat.parse("csv")).hasMessageContaining(CopyFormat.PROPERTY);
  }

  @Test
  void everyDialectTypeHasABinaryKind() {
    for (String type : new String[] {"varchar", "jsonb", "bigint", "numeric", "boolean", "date", "timestamptz",
        "timestamp", "timetz", "time"}) {
      assertThat(Kind.of(type)).as(type).isNotNull();
    }
    assertThat(Kind.of("integer")).isNull();
    assertThat(Arrays.asList(Kind.values())).contains(Kind.ABSENT);
  }
}
