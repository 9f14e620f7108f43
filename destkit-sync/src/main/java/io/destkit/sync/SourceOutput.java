package io.destkit.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.LineReader;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The source's stdout as the destination's input, with the platform's part played in between:
 * RECORD, STATE and STREAM_STATUS messages pass through unchanged; LOG messages, TRACE errors and
 * lines that are not JSON go to the {@link SourceEvents} (the user's terminal); other messages
 * (estimates, analytics, control) are dropped. When the source's stdout ends, the source's exit is
 * awaited: on success, STREAM_STATUS COMPLETE follows for every configured stream the source did
 * not end itself, as the platform sends it; on failure, none, so the destination keeps what the
 * last STATE covers and reports the streams incomplete.
 *
 * <p>RECORD lines are recognised by their first bytes ({@code {"type":"RECORD"}), as sources print
 * them, and passed on without being parsed here; any other line is parsed once.
 */
final class SourceOutput extends InputStream {
  private static final byte[] RECORD_PREFIX = "{\"type\":\"RECORD\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STATE_PREFIX = "{\"type\":\"STATE\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SOURCE_STATUS = "\"sourceStatus\"".getBytes(StandardCharsets.US_ASCII);

  /** What the source did besides its records, as the sync reports it. */
  interface SourceEvents {
    void log(String level, String message);

    void error(String failureType, String message, String internalMessage);

    /** A line of stdout that is not an Airbyte message: the platform shows it as the source's log. */
    void otherLine(String line);
  }

  private final LineReader lines;
  private final Process process;
  private final List<StreamDescriptor> streams;
  private final SourceEvents events;
  private final Set<StreamDescriptor> ended = new LinkedHashSet<>();
  private byte[] pending = new byte[0];
  private int pendingStart;
  private int pendingEnd;
  private volatile Integer exitCode;
  private volatile boolean sourceFailed;
  private long records;
  private long states;

  SourceOutput(Process process, List<StreamDescriptor> streams, SourceEvents events) {
    this.process = process;
    this.lines = new LineReader(process.getInputStream(), 1 << 16);
    this.streams = List.copyOf(streams);
    this.events = events;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (pendingStart == pendingEnd) {
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(length, pendingEnd - pendingStart);
    System.arraycopy(pending, pendingStart, target, offset, n);
    pendingStart += n;
    return n;
  }

  /** Takes lines from the source until some are to be passed on; false at the end of the input. */
  private boolean fill() throws IOException {
    pendingStart = 0;
    pendingEnd = 0;
    if (endAppended) {
      return false;
    }
    // Passes on up to 64 KB of consecutive lines per fill, so that a record costs one copy.
    while (pendingEnd < (1 << 16)) {
      if (!lines.next()) {
        appendEnd();
        return pendingEnd > 0;
      }
      byte[] buffer = lines.buffer();
      int start = lines.lineStart();
      int lineLength = lines.lineLength();
      if (startsWith(buffer, start, lineLength, RECORD_PREFIX)) {
        records++;
        append(buffer, start, lineLength);
      } else if (startsWith(buffer, start, lineLength, STATE_PREFIX) && !contains(buffer, start, lineLength, SOURCE_STATUS)) {
        states++;
        append(buffer, start, lineLength);
      } else {
        other(buffer, start, lineLength);
      }
    }
    return true;
  }

  private boolean endAppended;

  /** At the end of the source's stdout: waits for its exit, then the platform's COMPLETE statuses. */
  private void appendEnd() throws IOException {
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for the source to exit", e);
    }
    exitCode = code;
    if (code == 0 && !sourceFailed) {
      for (StreamDescriptor stream : streams) {
        if (!ended.contains(stream)) {
          byte[] line = MessageCodec.encode(StreamStatuses.complete(stream)).getBytes(StandardCharsets.UTF_8);
          append(line, 0, line.length);
        }
      }
    }
    endAppended = true;
  }

  private void other(byte[] buffer, int start, int length) {
    String text = new String(buffer, start, length, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return;
    }
    JsonNode message;
    try {
      message = MessageCodec.MAPPER.readTree(text);
    } catch (IOException e) {
      events.otherLine(text);
      return;
    }
    if (message == null || !message.isObject() || !message.has("type")) {
      events.otherLine(text);
      return;
    }
    switch (message.path("type").asText()) {
      case "RECORD" -> {
        records++;
        append(buffer, start, length);
      }
      case "STATE" -> {
        states++;
        sourceStatus(message);
        append(buffer, start, length);
      }
      case "LOG" -> events.log(message.path("log").path("level").asText("INFO"), message.path("log").path("message").asText(""));
      case "TRACE" -> trace(message, buffer, start, length);
      default -> { }
    }
  }

  /**
   * Sources on {@code faros-airbyte-cdk} report a failed read in their STATE messages, not by exit
   * code or TRACE: {@code "sourceStatus": {"status": "ERRORED", "message": {"summary": ...}}}.
   */
  private void sourceStatus(JsonNode message) {
    JsonNode status = message.path("sourceStatus");
    if ("ERRORED".equals(status.path("status").asText())) {
      sourceFailed = true;
      JsonNode summary = status.path("message").path("summary");
      events.error("system_error", "the source reported its read ERRORED"
          + (summary.isTextual() ? ": " + summary.asText() : ""), null);
    }
  }

  private static boolean contains(byte[] buffer, int start, int length, byte[] part) {
    outer:
    for (int i = start; i <= start + length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (buffer[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void trace(JsonNode message, byte[] buffer, int start, int length) {
    JsonNode trace = message.path("trace");
    switch (trace.path("type").asText()) {
      case "STREAM_STATUS" -> {
        JsonNode status = trace.path("stream_status");
        String value = status.path("status").asText();
        if (value.equals("COMPLETE") || value.equals("INCOMPLETE")) {
          ended.add(StreamStatuses.descriptor(status.path("stream_descriptor")));
        }
        append(buffer, start, length);
      }
      case "ERROR" -> {
        sourceFailed = true;
        JsonNode error = trace.path("error");
        events.error(error.path("failure_type").asText("system_error"), error.path("message").asText(""),
            error.path("internal_message").asText(null));
      }
      default -> { }
    }
  }

  private void append(byte[] buffer, int start, int length) {
    int needed = pendingEnd + length + 1;
    if (needed > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(needed, Math.max(1 << 17, pending.length * 2)));
    }
    System.arraycopy(buffer, start, pending, pendingEnd, length);
    pendingEnd += length;
    pending[pendingEnd++] = '\n';
  }

  private static boolean startsWith(byte[] buffer, int start, int length, byte[] prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buffer[start + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The source's exit code once its stdout ended and it exited; null before. */
  Integer exitCode() {
    return exitCode;
  }

  /** Whether the source printed a TRACE ERROR. */
  boolean sourceFailed() {
    return sourceFailed;
  }

  /** RECORD messages the source printed. */
  long records() {
    return records;
  }

  /** STATE messages the source printed. */
  long states() {
    return states;
  }

  /** Waits for the source's exit after the destination stopped reading early; stops it if needed. */
  int stop(long graceSeconds) throws InterruptedException {
    if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    int code = process.waitFor();
    if (exitCode == null) {
      exitCode = code;
    }
    return code;
  }
}
