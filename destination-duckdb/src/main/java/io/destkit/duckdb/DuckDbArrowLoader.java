package io.destkit.duckdb;

import io.destkit.core.catalog.TableName;
import io.destkit.core.write.RecordBatch;
import io.destkit.core.write.Row;
import io.destkit.core.stream.DestinationStream;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.write.BatchColumns;
import io.destkit.core.write.ColumnVectors;
import io.destkit.sql.AirbyteMeta;
import io.destkit.sql.BulkLoader;
import io.destkit.sql.TargetLayout;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;

/**
 * Loads a batch as Arrow columns: DuckDB scans them through the Arrow C data interface (no call per
 * value), and one {@code INSERT ... SELECT} moves them into the table, inside the caller's
 * transaction. A batch the pipeline built by column lends its vectors as they are (shared, not
 * copied); the meta columns are made from its arrays. A batch of rows is written into new vectors
 * first.
 *
 * <p>Types ({@link ColumnVectors}): integers, decimals ({@code DECIMAL(38, 9)}), booleans, dates,
 * timestamps and times without zone travel as their Arrow types; raw ids as 16-byte UUIDs ({@code
 * arrow.uuid}); JSON as text typed {@code arrow.json} (DuckDB does not parse it again); strings as
 * UTF-8 text; a time with time zone as its ISO text, which DuckDB casts. A column of the table that
 * the stream does not fill is left out of the insert (it gets NULL).
 */
final class DuckDbArrowLoader implements BulkLoader, AutoCloseable {
  private static final String UTC = "UTC";
  private static final AtomicLong VIEWS = new AtomicLong();

  private final BufferAllocator allocator = new RootAllocator();


  @Override
  public void load(
      Connection connection, TableName table, TargetLayout layout, DestinationStream stream, RecordBatch batch)
      throws SQLException {
    DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
    List<Integer> positions = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    for (int position = 0; position < layout.size(); position++) {
      int source = layout.source(position);
      if (source == TargetLayout.ABSENT) {
        continue;
      }
      positions.add(position);
      fields.add(field("c" + positions.size(), source, layout));
    }
    String view = "destkit_arrow_batch_" + VIEWS.incrementAndGet();
    // Vectors can share buffers only within one root allocator: a batch held by column lends its own.
    BufferAllocator parent = batch.columns().map(BatchColumns::allocator).orElse(allocator);
    try (BufferAllocator batchAllocator = parent.newChildAllocator(view, 0, Long.MAX_VALUE);
        OneBatchReader reader = new OneBatchReader(batchAllocator, new Schema(fields));
        ArrowArrayStream exported = ArrowArrayStream.allocateNew(batchAllocator)) {
      java.util.Optional<BatchColumns> columns = batch.columns();
      if (columns.isPresent()) {
        fromColumns(reader.getVectorSchemaRoot(), positions, layout, stream, columns.get());
      } else {
        fill(reader.getVectorSchemaRoot(), positions, layout, stream, batch);
      }
      Data.exportArrayStream(batchAllocator, reader, exported);
      duck.registerArrowStream(view, exported);
      StringJoiner targets = new StringJoiner(", ");
      StringJoiner sources = new StringJoiner(", ");
      for (int i = 0; i < positions.size(); i++) {
        targets.add(quote(layout.columnName(positions.get(i))));
        sources.add(quote(fields.get(i).getName()));
      }
      try (Statement statement = connection.createStatement()) {
        // The view names only a scan of the exported stream; the table and columns are quoted.
        statement.execute("INSERT INTO " + quote(table.namespace()) + "." + quote(table.name()) + " (" + targets
            + ") SELECT " + sources + " FROM " + quote(view));
        statement.execute("DROP VIEW " + quote(view));
      }
    } catch (RuntimeException e) {
      // The Arrow scan reports its failures (a value the column refuses) as unchecked exceptions.
      throw new SQLException("Loading a batch of " + batch.size() + " rows into " + table.namespace() + "."
          + table.name() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    allocator.close();
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static Field field(String name, int source, TargetLayout layout) {
    ArrowType type = switch (source) {
      case TargetLayout.RAW_ID -> new ArrowType.FixedSizeBinary(16);
      case TargetLayout.EXTRACTED_AT -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, UTC);
      case TargetLayout.META -> ArrowType.Utf8.INSTANCE;
      case TargetLayout.GENERATION_ID -> new ArrowType.Int(64, true);
      default -> ColumnVectors.arrowType(
          ColumnVectors.kind(layout.userColumn(layoutPosition(layout, source)).type(), NUMBERS), NUMBERS);
    };
    // DuckDB reads these extension types as UUID and JSON; JSON text typed as plain text would be
    // parsed again by the cast to the JSON column.
    String extension = source == TargetLayout.RAW_ID ? "arrow.uuid"
        : source == TargetLayout.META || (source >= 0 && isJson(layout.userColumn(layoutPosition(layout, source)).type()))
            ? "arrow.json" : null;
    Map<String, String> metadata =
        extension == null ? null : Map.of("ARROW:extension:name", extension, "ARROW:extension:metadata", "");
    return new Field(name, new FieldType(true, type, null, metadata), null);
  }

  /** The table position whose user column has index {@code source}. */
  private static int layoutPosition(TargetLayout layout, int source) {
    for (int position = 0; position < layout.size(); position++) {
      if (layout.source(position) == source) {
        return position;
      }
    }
    throw new IllegalArgumentException("no table column for user column " + source);
  }

  private static final DuckDbDialect DIALECT = new DuckDbDialect();
  private static final ColumnVectors.Numbers NUMBERS = new DuckDbValueLimits().numbers();

  /** Whether the column of this type is a JSON column. */
  private static boolean isJson(AirbyteType type) {
    return DIALECT.columnType(type).equals("JSON");
  }

  /**
   * The batch's own vectors for the user columns (shared, not copied: the batch keeps its own
   * reference for a retry), and vectors of the meta columns made from its arrays.
   */
  private static void fromColumns(
      VectorSchemaRoot root, List<Integer> positions, TargetLayout layout, DestinationStream stream,
      BatchColumns columns) {
    int rows = columns.size();
    List<FieldVector> targets = root.getFieldVectors();
    AirbyteMeta meta = new AirbyteMeta(stream.syncId());
    long generation = stream.generationId();
    for (int column = 0; column < targets.size(); column++) {
      FieldVector target = targets.get(column);
      int source = layout.source(positions.get(column));
      if (source >= 0) {
        shareBuffers(columns.vector(source), target);
        continue;
      }
      target.setInitialCapacity(rows);
      target.allocateNew();
      switch (source) {
        case TargetLayout.RAW_ID -> {
          FixedSizeBinaryVector ids = (FixedSizeBinaryVector) target;
          byte[] uuid = new byte[16];
          for (int row = 0; row < rows; row++) {
            putLong(uuid, 0, columns.rawIdHigh(row));
            putLong(uuid, 8, columns.rawIdLow(row));
            ids.set(row, uuid);
          }
        }
        case TargetLayout.EXTRACTED_AT -> {
          TimeStampMicroTZVector extracted = (TimeStampMicroTZVector) target;
          for (int row = 0; row < rows; row++) {
            extracted.set(row, columns.extractedAtMillis(row) * 1000L);
          }
        }
        case TargetLayout.META -> {
          VarCharVector metas = (VarCharVector) target;
          byte[] none = meta.render(null).getBytes(StandardCharsets.UTF_8);
          for (int row = 0; row < rows; row++) {
            String changes = columns.changes(row);
            metas.setSafe(row, changes == null ? none : meta.render(changes).getBytes(StandardCharsets.UTF_8));
          }
        }
        case TargetLayout.GENERATION_ID -> {
          BigIntVector generations = (BigIntVector) target;
          for (int row = 0; row < rows; row++) {
            generations.set(row, generation);
          }
        }
        default -> throw new IllegalArgumentException("unknown column source " + source);
      }
      target.setValueCount(rows);
    }
    root.setRowCount(rows);
  }

  /** Makes {@code target} read the buffers of {@code source} (each buffer's reference count goes up). */
  private static void shareBuffers(FieldVector source, FieldVector target) {
    List<org.apache.arrow.memory.ArrowBuf> buffers = source.getFieldBuffers();
    org.apache.arrow.vector.ipc.message.ArrowFieldNode node =
        new org.apache.arrow.vector.ipc.message.ArrowFieldNode(source.getValueCount(), source.getNullCount());
    target.loadFieldBuffers(node, buffers);
  }

  private static void fill(
      VectorSchemaRoot root, List<Integer> positions, TargetLayout layout, DestinationStream stream, RecordBatch batch)
      throws SQLException {
    int rows = batch.size();
    List<FieldVector> vectors = root.getFieldVectors();
    for (FieldVector vector : vectors) {
      vector.setInitialCapacity(rows);
      vector.allocateNew();
    }
    AirbyteMeta meta = new AirbyteMeta(stream.syncId());
    long generation = stream.generationId();
    byte[] uuid = new byte[16];
    ColumnVectors.Kind[] kinds = new ColumnVectors.Kind[vectors.size()];
    for (int column = 0; column < kinds.length; column++) {
      int source = layout.source(positions.get(column));
      kinds[column] = source >= 0 ? ColumnVectors.kind(layout.userColumn(positions.get(column)).type(), NUMBERS) : null;
    }
    List<Row> batchRows = batch.rows();
    for (int row = 0; row < rows; row++) {
      Row record = batchRows.get(row);
      Object[] values = record.values();
      for (int column = 0; column < vectors.size(); column++) {
        FieldVector vector = vectors.get(column);
        int source = layout.source(positions.get(column));
        switch (source) {
          case TargetLayout.RAW_ID -> {
            putLong(uuid, 0, record.rawIdHigh());
            putLong(uuid, 8, record.rawIdLow());
            ((FixedSizeBinaryVector) vector).set(row, uuid);
          }
          case TargetLayout.EXTRACTED_AT -> ((TimeStampMicroTZVector) vector).set(row, record.extractedAtMillis() * 1000L);
          case TargetLayout.META ->
              ((VarCharVector) vector).setSafe(row, meta.render(record.changes()).getBytes(StandardCharsets.UTF_8));
          case TargetLayout.GENERATION_ID -> ((BigIntVector) vector).set(row, generation);
          default -> setValue(vector, kinds[column], row, values[source]);
        }
      }
    }
    root.setRowCount(rows);
  }

  private static void putLong(byte[] target, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      target[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  private static void setValue(FieldVector vector, ColumnVectors.Kind kind, int row, Object value) throws SQLException {
    if (value == null) {
      vector.setNull(row);
      return;
    }
    try {
      ColumnVectors.set(vector, kind, row, value);
    } catch (ClassCastException e) {
      throw new SQLException("No Arrow mapping for a value of " + value.getClass().getSimpleName()
          + " in a column of Arrow type " + vector.getField().getType(), e);
    }
  }

  /** An Arrow stream of exactly one batch: the vectors the loader filled. */
  private static final class OneBatchReader extends ArrowReader {
    private final Schema schema;
    private boolean served;
    private boolean closed;

    OneBatchReader(BufferAllocator allocator, Schema schema) {
      super(allocator);
      this.schema = schema;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() {
      try {
        return super.getVectorSchemaRoot();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public boolean loadNextBatch() {
      if (served) {
        return false;
      }
      served = true;
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {}

    /** Closed by whichever comes first: the consumer's release of the exported stream, or the loader. */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        super.close();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    protected Schema readSchema() {
      return schema;
    }
  }
}
