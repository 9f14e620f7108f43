package io.destkit.testkit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.Coercers;
import io.destkit.core.typing.ValueLimits;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/** Rows as the pipeline hands them to a loader: values typed by the kit's own coercers. */
public final class TestRows {
  private TestRows() {}

  /**
   * A row of these columns from record data, with a fresh raw id and no changes. A column's value is
   * read from the data field it comes from (the whole data for a schemaless stream's column).
   *
   * @throws IllegalArgumentException when a value does not fit its column's type: fixtures must fit
   */
  public static Row row(List<ColumnDef> columns, JsonNode data, long extractedAtMillis, ValueLimits limits) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ColumnDef column = columns.get(i);
      JsonNode value = column.sourceName() == null ? data : data.get(column.sourceName());
      values[i] = value == null || value.isNull() ? null : coerce(column, value, limits);
    }
    UUID rawId = UUID.randomUUID();
    return new Row(rawId.getMostSignificantBits(), rawId.getLeastSignificantBits(), extractedAtMillis, null, values);
  }

  /** The first batch of stream 0, holding these rows. */
  public static RecordBatch batch(Row... rows) {
    return new RecordBatch(0, 1, List.of(rows), 0);
  }

  private static Object coerce(ColumnDef column, JsonNode value, ValueLimits limits) {
    try (JsonParser parser = MessageCodec.MAPPER.getFactory().createParser(MessageCodec.encode(value))) {
      parser.nextToken();
      return Coercers.forType(column.type(), limits).read(parser);
    } catch (CoercionFailure e) {
      throw new IllegalArgumentException(
          "fixture value " + value + " does not fit column " + column.name() + " (" + e.reason() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
