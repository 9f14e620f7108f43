package io.destkit.postgres;

import static io.destkit.testkit.postgres.PostgresServer.DEFAULT_DATABASE;
import static org.assertj.core.api.Assertions.assertThat;

import io.destkit.postgres.CopyBinaryEncoder.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Many values of each type, random and at the edges, loaded by binary COPY and by text COPY into
 * the real server: both read back the same, and numerics read back as their plain digits.
 */
@Timeout(120)
class CopyBinaryEncoderIT {
  private static final String COLUMNS =
      "id bigint, n numeric, tz timestamptz, ts timestamp, d date, t time, ttz timetz, b boolean, s varchar, j jsonb";
  private static final Kind[] KINDS = {Kind.INT8, Kind.NUMERIC, Kind.TIMESTAMPTZ, Kind.TIMESTAMP, Kind.DATE,
      Kind.TIME, Kind.TIMETZ, Kind.BOOL, Kind.TEXT, Kind.JSONB};

  private record Values(BigDecimal number, OffsetDateTime instant, LocalDateTime local, LocalDate date,
      LocalTime time, OffsetTime timeWithZone, Boolean bool, String text, String json) {}

  private static final String[] NUMBERS = {"0", "0.000", "-0.5", "1", "-1", "9999", "10000", "10001", "0.0001",
      "0.00001", "123456789.123456789", "-123456789.000000001", "1.500", "1e400", "-1e-400", "1.5e5",
      "9223372036854775807", "-9223372036854775808", "18446744073709551616.5", "0.1000", "100000000",
      "-0.000000000000000000000000000001", "3.14159265358979323846264338327950288419716939937510"};

  private static List<Values> values() {
    Random random = new Random(7);
    List<Values> values = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      BigDecimal number;
      if (i < NUMBERS.length) {
        number = new BigDecimal(NUMBERS[i]);
      } else {
        BigInteger unscaled = new BigInteger(1 + random.nextInt(i % 7 == 0 ? 400 : 70), random);
        number = new BigDecimal(random.nextBoolean() ? unscaled.negate() : unscaled, random.nextInt(60) - 20);
      }
      int nano = random.nextInt(1_000_000_000);
      if (nano % 1000 == 500) {
        nano++; // an exact half microsecond: text input rounds it through a double
      }
      long second = random.nextLong(-62_135_596_800L, 253_402_300_799L); // 0001-01-01 .. 9999-12-31
      LocalDateTime local = LocalDateTime.ofEpochSecond(second, nano, ZoneOffset.UTC);
      if (i == 1) {
        local = LocalDateTime.of(2000, 1, 1, 0, 0);
      } else if (i == 2) {
        local = LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000);
      }
      ZoneOffset zone = ZoneOffset.ofTotalSeconds((random.nextInt(2 * 959 + 1) - 959) * 60);
      OffsetDateTime instant = local.atOffset(ZoneOffset.UTC);
      LocalTime time = LocalTime.ofNanoOfDay(random.nextLong(86_400_000_000_000L) / 1000 * 1000);
      values.add(new Values(number, instant, local, local.toLocalDate(), time, time.atOffset(zone),
          random.nextBoolean(), "v" + i + " é日😀\t\\", "{\"i\": " + i + ", \"s\": \"é\"}"));
    }
    values.add(new Values(null, null, null, null, null, null, null, null, null));
    return values;
  }

  private static void load(Connection connection, String table, CopyEncoder encoder, List<Values> values)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      Values v = values.get(i);
      encoder.startRow();
      encoder.integer(i);
      if (v.number() == null) {
        for (int k = 1; k < KINDS.length; k++) {
          encoder.nullValue();
        }
      } else {
        encoder.number(v.number());
        encoder.timestampWithTimezone(v.instant());
        encoder.timestampWithoutTimezone(v.local());
        encoder.date(v.date());
        encoder.timeWithoutTimezone(v.time());
        encoder.timeWithTimezone(v.timeWithZone());
        encoder.bool(v.bool());
        encoder.string(v.text());
        encoder.string(v.json());
      }
      encoder.endRow();
    }
    encoder.finish();
  }

  private static List<List<String>> read(Statement statement, String table) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
      while (result.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= KINDS.length; i++) {
          row.add(result.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Test
  void binaryAndTextCopiesReadBackTheSame() throws Exception {
    List<Values> values = values();
    try (Connection connection = PostgresTarget.server().superuserConnection(DEFAULT_DATABASE);
        Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute("CREATE TEMP TABLE binary_rows (" + COLUMNS + ")");
      statement.execute("CREATE TEMP TABLE text_rows (" + COLUMNS + ")");
      CopyIn binary = connection.unwrap(PGConnection.class).getCopyAPI()
          .copyIn("COPY binary_rows FROM STDIN (FORMAT binary)");
      load(connection, "binary_rows", new CopyBinaryEncoder(binary::writeToCopy, KINDS, new byte[4096]), values);
      assertThat(binary.endCopy()).isEqualTo(values.size());
      CopyIn text = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY text_rows FROM STDIN (FORMAT text)");
      load(connection, "text_rows", new CopyTextEncoder(text::writeToCopy), values);
      assertThat(text.endCopy()).isEqualTo(values.size());

      List<List<String>> fromBinary = read(statement, "binary_rows");
      assertThat(fromBinary).containsExactlyElementsOf(read(statement, "text_rows"));
      for (int i = 0; i < values.size() - 1; i++) {
        assertThat(fromBinary.get(i).get(1)).as("numeric " + i).isEqualTo(values.get(i).number().toPlainString());
      }
      try (ResultSet same = statement.executeQuery(
          "SELECT count(*) FROM binary_rows b JOIN text_rows t USING (id) WHERE (b.*)::text = (t.*)::text")) {
        same.next();
        assertThat(same.getLong(1)).isEqualTo(values.size());
      }
    }
  }
}
