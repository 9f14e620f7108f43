package io.destkit.testkit;

import static io.destkit.testkit.Fixtures.json;

import io.destkit.protocol.StreamDescriptor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The input of a sync of one stream, generated as the connector reads it, for as long as a test
 * wants (while faults are being injected): chunks of {@value #STATE_EVERY} records, each followed
 * by a STATE, then {@code STREAM_STATUS COMPLETE}. Record {@code i} has {@code updated_at} {@code i},
 * {@code name} "user i" and {@code id} {@code i}, or {@code i % keys} when the records share keys;
 * the same number of records always gives the same input ({@link #text}), so a disturbed sync can be
 * compared with an undisturbed one.
 */
final class GeneratedInput extends InputStream {
  static final int STATE_EVERY = 500;
  private static final long EMITTED_AT = 1_700_000_000_000L;

  private final StreamDescriptor stream;
  private final int keys;
  private final BooleanSupplier keepGoing;
  private final long minimumRecords;
  private final long maximumRecords;
  private long records;
  private boolean ended;
  private byte[] chunk = new byte[0];
  private int position;

  /**
   * @param keys how many keys the records share, or 0 for a key per record
   * @param keepGoing asked after each chunk, once {@code minimumRecords} were read: whether to go on
   * @param maximumRecords the input ends here, whatever {@code keepGoing} says
   */
  GeneratedInput(StreamDescriptor stream, int keys, BooleanSupplier keepGoing, long minimumRecords, long maximumRecords) {
    this.stream = stream;
    this.keys = keys;
    this.keepGoing = keepGoing;
    this.minimumRecords = minimumRecords;
    this.maximumRecords = maximumRecords;
  }

  /** The records generated so far (a multiple of {@value #STATE_EVERY}). */
  synchronized long records() {
    return records;
  }

  /** The whole input of {@code records} records (a multiple of {@value #STATE_EVERY}), as generated. */
  static String text(StreamDescriptor stream, int keys, long records) {
    StringBuilder text = new StringBuilder();
    for (long first = 0; first < records; first += STATE_EVERY) {
      text.append(chunk(stream, keys, first));
    }
    return text.append(new SyncInput().complete(stream).text()).toString();
  }

  private static String chunk(StreamDescriptor stream, int keys, long first) {
    SyncInput input = new SyncInput();
    for (long i = first; i < first + STATE_EVERY; i++) {
      long id = keys == 0 ? i : i % keys;
      input.record(stream, EMITTED_AT + i, json("{\"id\":" + id + ",\"name\":\"user " + i + "\",\"updated_at\":" + i + "}"));
    }
    return input.state(stream, json("{\"cursor\":" + (first + STATE_EVERY - 1) + "}")).text();
  }

  @Override
  public synchronized int read() {
    if (!fill()) {
      return -1;
    }
    return chunk[position++] & 0xff;
  }

  @Override
  public synchronized int read(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, chunk.length - position);
    System.arraycopy(chunk, position, buffer, offset, n);
    position += n;
    return n;
  }

  private boolean fill() {
    while (position == chunk.length) {
      if (ended) {
        return false;
      }
      String next;
      if (records >= maximumRecords || (records >= minimumRecords && !keepGoing.getAsBoolean())) {
        next = new SyncInput().complete(stream).text();
        ended = true;
      } else {
        next = chunk(stream, keys, records);
        records += STATE_EVERY;
      }
      chunk = next.getBytes(StandardCharsets.UTF_8);
      position = 0;
    }
    return true;
  }
}
