package io.destkit.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The in-process destination's stdout, read line by line as the platform reads it: STATE echoes are
 * counted (the destination recorded them in its own database before echoing them), LOG messages
 * are shown, and TRACE ERROR and CONNECTION_STATUS are kept for the sync's outcome.
 */
final class DestinationOutput extends OutputStream {
  /** Where the destination's LOG messages go. */
  interface Logs {
    void log(String level, String message);
  }

  private final Logs logs;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private volatile long statesCommitted;
  private volatile String errorType;
  private volatile String errorMessage;
  private volatile JsonNode connectionStatus;

  DestinationOutput(Logs logs) {
    this.logs = logs;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      handle();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int start = offset;
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] == '\n') {
        line.write(bytes, start, i - start);
        handle();
        start = i + 1;
      }
    }
    line.write(bytes, start, offset + length - start);
  }

  private void handle() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isBlank()) {
      return;
    }
    JsonNode message;
    try {
      message = MessageCodec.MAPPER.readTree(text);
    } catch (Exception e) {
      logs.log("INFO", text);
      return;
    }
    switch (message.path("type").asText()) {
      case "STATE" -> statesCommitted++;
      case "LOG" -> logs.log(message.path("log").path("level").asText("INFO"), message.path("log").path("message").asText());
      case "TRACE" -> {
        if (message.path("trace").path("type").asText().equals("ERROR")) {
          JsonNode error = message.path("trace").path("error");
          errorType = error.path("failure_type").asText("system_error");
          errorMessage = error.path("message").asText();
        }
      }
      case "CONNECTION_STATUS" -> connectionStatus = message.path("connectionStatus");
      default -> { }
    }
  }

  /** STATE messages the destination committed and echoed. */
  long statesCommitted() {
    return statesCommitted;
  }

  /** The failure type of the destination's TRACE ERROR, or null. */
  String errorType() {
    return errorType;
  }

  String errorMessage() {
    return errorMessage;
  }

  JsonNode connectionStatus() {
    return connectionStatus;
  }
}
