package io.destkit.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The outcome of parsing one input line; one instance is reused for every line. */
final class ParsedLine {
  enum Kind {
    BLANK,
    RECORD,
    STATE,
    STREAM_STATUS,
    OTHER
  }

  Kind kind;
  int streamIndex;
  long rawIdHigh;
  long rawIdLow;
  long extractedAtMillis;
  /** The record's {@code _airbyte_meta.changes} JSON array text, or null. */
  String changes;
  /** The record's values in the stream's column order; the parser reuses the array for the next record. */
  Object[] values;
  /** The record's {@code partition_id} (socket data channel), or null. */
  String partitionId;
  /** Values this record had nulled by the destination. */
  int nulledValues;
  /** The whole message, for STATE and TRACE messages. */
  ObjectNode message;

  void reset() {
    kind = Kind.OTHER;
    streamIndex = -1;
    changes = null;
    partitionId = null;
    values = null;
    nulledValues = 0;
    message = null;
  }
}
