package io.destkit.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding or copying them: each line is exposed as a
 * slice of an internal buffer that stays valid until the next call to {@link #next()}. Handles
 * {@code \n} and {@code \r\n}; lines may be longer than the initial buffer.
 */
public final class LineReader {
  private final InputStream in;
  private byte[] buffer;
  private int start;
  private int end;
  private int scan;
  private boolean eof;
  private long lineNumber;
  private long bytesRead;
  private int lineStart;
  private int lineLength;

  public LineReader(InputStream in, int bufferSize) {
    this.in = in;
    this.buffer = new byte[Math.max(16, bufferSize)];
  }

  public LineReader(InputStream in) {
    this(in, 1 << 20);
  }

  /** Advances to the next line; returns false at the end of input. */
  public boolean next() throws IOException {
    while (true) {
      for (int i = scan; i < end; i++) {
        if (buffer[i] == '\n') {
          int length = i - start;
          if (length > 0 && buffer[i - 1] == '\r') {
            length--;
          }
          lineStart = start;
          lineLength = length;
          start = i + 1;
          scan = start;
          lineNumber++;
          return true;
        }
      }
      scan = end;
      if (eof) {
        if (start < end) {
          lineStart = start;
          lineLength = end - start;
          if (lineLength > 0 && buffer[end - 1] == '\r') {
            lineLength--;
          }
          start = end;
          scan = end;
          lineNumber++;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      scan -= start;
      start = 0;
    }
    if (end == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int n = in.read(buffer, end, buffer.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
      bytesRead += n;
    }
  }

  public byte[] buffer() {
    return buffer;
  }

  public int lineStart() {
    return lineStart;
  }

  public int lineLength() {
    return lineLength;
  }

  /** The 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }

  /** Bytes read from the input so far. */
  public long bytesRead() {
    return bytesRead;
  }

  /** True when the current line holds only whitespace. */
  public boolean isBlank() {
    for (int i = lineStart; i < lineStart + lineLength; i++) {
      byte b = buffer[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
