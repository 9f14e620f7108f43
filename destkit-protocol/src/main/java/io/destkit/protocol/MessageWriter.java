package io.destkit.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes messages to the destination's stdout, one per line, flushed at once. Thread-safe: lines
 * from several threads never interleave. A write that fails (the reader closed the pipe) throws
 * {@link UncheckedIOException}.
 */
public final class MessageWriter {
  private final OutputStream out;

  public MessageWriter(OutputStream out) {
    this.out = out;
  }

  public synchronized void write(JsonNode message) {
    byte[] line = (MessageCodec.encode(message) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      out.write(line);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to stdout", e);
    }
    // A PrintStream keeps its errors to itself (a closed pipe included): ask it.
    if (out instanceof PrintStream print && print.checkError()) {
      throw new UncheckedIOException("cannot write to stdout", new IOException("the output stream reported an error"));
    }
  }
}
