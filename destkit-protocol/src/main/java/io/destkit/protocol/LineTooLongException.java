package io.destkit.protocol;

/** An input line longer than the reader's maximum; the lines before it were read whole. */
public final class LineTooLongException extends ProtocolException {
  private final long lineNumber;
  private final int maxLineBytes;

  LineTooLongException(long lineNumber, int maxLineBytes) {
    super("Line " + lineNumber + " is longer than the maximum of " + maxLineBytes + " bytes");
    this.lineNumber = lineNumber;
    this.maxLineBytes = maxLineBytes;
  }

  /** The 1-based number of the line. */
  public long lineNumber() {
    return lineNumber;
  }

  public int maxLineBytes() {
    return maxLineBytes;
  }
}
