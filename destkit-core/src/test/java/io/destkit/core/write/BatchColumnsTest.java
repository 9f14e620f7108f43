package io.destkit.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.typing.AirbyteType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batches held by column give back exactly the values put in, whatever the type, nulls and sizes. */
class BatchColumnsTest {
  private static final List<ColumnDef> COLUMNS = List.of(
      new ColumnDef("id", "id", AirbyteType.INTEGER, true),
      new ColumnDef("name", "name", AirbyteType.STRING, true),
      new ColumnDef("amount", "amount", AirbyteType.NUMBER, true),
      new ColumnDef("active", "active", AirbyteType.BOOLEAN, true),
      new ColumnDef("born", "born", AirbyteType.DATE, true),
      new ColumnDef("at", "at", AirbyteType.TIMESTAMP_WITH_TIMEZONE, true),
      new ColumnDef("local", "local", AirbyteType.TIMESTAMP_WITHOUT_TIMEZONE, true),
      new ColumnDef("opens", "opens", AirbyteType.TIME_WITH_TIMEZONE, true),
      new ColumnDef("closes", "closes", AirbyteType.TIME_WITHOUT_TIMEZONE, true),
      new ColumnDef("doc", "doc", AirbyteType.OBJECT_WITHOUT_SCHEMA, true));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void everyBufferIsFreed() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  private static Object[] values(int i) {
    return new Object[] {
      (long) i * 1_000_003 - 7,
      "name " + i + " Grüße \"quoted\", comma",
      new BigDecimal("12345678901234567890.123456789").add(BigDecimal.valueOf(i)),
      i % 2 == 0,
      LocalDate.of(1969, 12, 31).plusDays(i),
      OffsetDateTime.of(1960, 1, 1, 0, 0, 0, 123_456_000, ZoneOffset.UTC).plusSeconds(i),
      LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000).plusMinutes(i),
      OffsetTime.of(12, 34, 56, 789_000, ZoneOffset.ofHoursMinutes(-5, -30)),
      LocalTime.of(23, 59, 59, 999_999_000),
      "{\"a\":[1,2,{\"b\":null}]}"
    };
  }

  @Test
  void everyTypeRoundTripsThroughItsVectorWithNullsAndGrowthPastTheFirstCapacity() {
    List<Object[]> expected = new ArrayList<>();
    try (BatchColumns.Builder builder = new BatchColumns.Builder(COLUMNS, ColumnVectors.Numbers.TEXT, allocator)) {
      for (int i = 0; i < 1_000; i++) {
        Object[] row = values(i);
        // A null in a different column on each row, and whole rows of nulls now and then.
        row[i % row.length] = null;
        if (i % 97 == 0) {
          Arrays.fill(row, null);
        }
        expected.add(row.clone());
        builder.append(i, -i, 1_000L + i, i % 10 == 0 ? "[{\"field\":\"x\"}]" : null, row);
      }
      try (BatchColumns batch = builder.drain()) {
        assertThat(batch.size()).isEqualTo(1_000);
        for (int i = 0; i < 1_000; i++) {
          Row row = batch.row(i);
          assertThat(row.rawIdHigh()).isEqualTo(i);
          assertThat(row.rawIdLow()).isEqualTo(-i);
          assertThat(row.extractedAtMillis()).isEqualTo(1_000L + i);
          assertThat(row.changes()).isEqualTo(i % 10 == 0 ? "[{\"field\":\"x\"}]" : null);
          assertThat(row.values()).as("row %d", i).containsExactly(expected.get(i));
        }
      }
    }
  }

  @Test
  void numbersAsDecimalsKeepTheirValueAtTheDestinationsScale() {
    List<ColumnDef> amount = List.of(new ColumnDef("amount", "amount", AirbyteType.NUMBER, true));
    BigDecimal wide = new BigDecimal("12345678901234567890123456789.123456789");
    try (BatchColumns.Builder builder = new BatchColumns.Builder(amount, ColumnVectors.Numbers.decimal(38, 9), allocator)) {
      builder.append(1, 1, 1, null, new Object[] {new BigDecimal("-0.5")});
      builder.append(2, 2, 2, null, new Object[] {wide});
      builder.append(3, 3, 3, null, new Object[] {new BigDecimal("1E+3")});
      try (BatchColumns batch = builder.drain()) {
        assertThat(batch.vector(0)).isInstanceOf(DecimalVector.class);
        assertThat(batch.row(0).values()[0]).isEqualTo(new BigDecimal("-0.500000000"));
        assertThat(batch.row(1).values()[0]).isEqualTo(wide);
        assertThat(batch.row(2).values()[0]).isEqualTo(new BigDecimal("1000.000000000"));
      }
    }
  }

  @Test
  void aDrainStartsAnEmptyBatchAndTheNextOneIsIndependent() {
    List<ColumnDef> name = List.of(new ColumnDef("name", "name", AirbyteType.STRING, true));
    try (BatchColumns.Builder builder = new BatchColumns.Builder(name, ColumnVectors.Numbers.TEXT, allocator)) {
      builder.append(1, 1, 1, null, new Object[] {"first"});
      BatchColumns first = builder.drain();
      assertThat(builder.count()).isZero();
      builder.append(2, 2, 2, null, new Object[] {null});
      builder.append(3, 3, 3, null, new Object[] {"third"});
      try (first; BatchColumns second = builder.drain()) {
        assertThat(first.size()).isEqualTo(1);
        assertThat(first.row(0).values()).containsExactly("first");
        assertThat(second.size()).isEqualTo(2);
        assertThat(((VarCharVector) second.vector(0)).isNull(0)).isTrue();
        assertThat(second.row(1).values()).containsExactly("third");
      }
    }
  }

  @Test
  void aValueOfTheWrongClassNamesTheColumnAndItsType() {
    try (BatchColumns.Builder builder = new BatchColumns.Builder(COLUMNS, ColumnVectors.Numbers.TEXT, allocator)) {
      Object[] row = values(1);
      row[0] = "not a long";
      assertThatThrownBy(() -> builder.append(1, 1, 1, null, row))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Column id")
          .hasMessageContaining("String");
    }
  }

  @Test
  void aBatchReadAfterItWasFreedRefusesRatherThanReadFreedMemory() {
    List<ColumnDef> name = List.of(new ColumnDef("name", "name", AirbyteType.STRING, true));
    try (BatchColumns.Builder builder = new BatchColumns.Builder(name, ColumnVectors.Numbers.TEXT, allocator)) {
      builder.append(1, 1, 1, null, new Object[] {"x"});
      BatchColumns batch = builder.drain();
      RecordBatch records = new RecordBatch(0, 1, batch, 10);
      assertThat(records.rows().get(0).values()).containsExactly("x");
      records.close();
      assertThatThrownBy(() -> records.rows().get(0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("freed");
      assertThatThrownBy(() -> batch.vector(0)).isInstanceOf(IllegalStateException.class);
    }
  }
}
