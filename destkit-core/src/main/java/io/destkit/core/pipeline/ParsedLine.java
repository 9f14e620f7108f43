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
  Row row;
  /** Values this record had nulled by the destination. */
  int nulledValues;
  /** The whole message, for STATE and TRACE messages. */
  ObjectNode message;

  void reset() {
    kind = Kind.OTHER;
    streamIndex = -1;
    row = null;
    nulledValues = 0;
    message = null;
  }
}
