package io.destkit.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding or copying them: each line is exposed as a
 * slice of an internal buffer that stays valid until the next call to {@link #next()}. Handles
 * {@code \n} and {@code \r\n}; lines may be longer than the initial buffer, up to a maximum. The
 * buffer grows for a long line and returns to its initial size once the lines after it fit.
 */
public final class LineReader {
  /** The maximum line length when none is given. */
  public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

  private final InputStream in;
  private final int normalSize;
  private final int maxLineBytes;
  private byte[] buffer;
  private int start;
  private int end;
  private int scan;
  private boolean eof;
  private long lineNumber;
  private long bytesRead;
  private int lineStart;
  private int lineLength;

  /**
   * @param bufferSize the buffer's initial (and normal) size
   * @param maxLineBytes the longest line accepted, without its terminator
   */
  public LineReader(InputStream in, int bufferSize, int maxLineBytes) {
    if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxLineBytes out of range: " + maxLineBytes);
    }
    this.in = in;
    this.normalSize = Math.max(16, bufferSize);
    this.maxLineBytes = maxLineBytes;
    this.buffer = new byte[normalSize];
  }

  public LineReader(InputStream in, int bufferSize) {
    this(in, bufferSize, DEFAULT_MAX_LINE_BYTES);
  }

  public LineReader(InputStream in) {
    this(in, 1 << 20);
  }

  /**
   * Advances to the next line; returns false at the end of input.
   *
   * @throws LineTooLongException when the next line is longer than the maximum
   */
  public boolean next() throws IOException {
    if (buffer.length > normalSize && end - start <= normalSize) {
      shrink();
    }
    while (true) {
      for (int i = scan; i < end; i++) {
        if (buffer[i] == '\n') {
          int length = i - start;
          if (length > 0 && buffer[i - 1] == '\r') {
            length--;
          }
          if (length > maxLineBytes) {
            throw new LineTooLongException(lineNumber + 1, maxLineBytes);
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
      // Without its newline the line is at least end - start - 1 bytes (a final \r is dropped).
      if (end - start - 1 > maxLineBytes) {
        throw new LineTooLongException(lineNumber + 1, maxLineBytes);
      }
      if (eof) {
        if (start < end) {
          lineStart = start;
          lineLength = end - start;
          if (lineLength > 0 && buffer[end - 1] == '\r') {
            lineLength--;
          }
          if (lineLength > maxLineBytes) {
            throw new LineTooLongException(lineNumber + 1, maxLineBytes);
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
      // Room for the longest line and its \r\n, no more: doubling past it would hold twice the maximum.
      long grown = Math.min(2L * buffer.length, (long) maxLineBytes + 2);
      buffer = Arrays.copyOf(buffer, (int) Math.max(grown, buffer.length + 1L));
    }
    int n = in.read(buffer, end, buffer.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
      bytesRead += n;
    }
  }

  /** Back to the normal buffer after a long line; only unread bytes are kept. */
  private void shrink() {
    byte[] normal = new byte[normalSize];
    System.arraycopy(buffer, start, normal, 0, end - start);
    end -= start;
    scan -= start;
    start = 0;
    buffer = normal;
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
