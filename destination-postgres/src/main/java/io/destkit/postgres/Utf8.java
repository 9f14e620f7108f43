package io.destkit.postgres;

/**
 * Text bytes written straight into a COPY buffer, shared by the text and binary encoders: UTF-8 of
 * the non-ASCII part of a string, and a UUID's canonical text. UTF-8 encoding of the non-ASCII part of a string straight into a COPY buffer, shared by the text
 * and binary encoders (they differ only in how they write ASCII). A lone surrogate becomes {@code ?},
 * as Java's own encoder does.
 */
final class Utf8 {
  /** The most bytes one call of {@link #encodeNonAscii} writes. */
  static final int MAX_CHAR_BYTES = 4;

  private Utf8() {}

  /**
   * Writes the char at {@code value[i]} (not ASCII), with its low surrogate when the two form a pair,
   * and returns the new write position. Use {@link #isPair} to know whether {@code i + 1} was consumed.
   */
  static int encodeNonAscii(String value, int i, int end, byte[] out, int at) {
    char c = value.charAt(i);
    if (c < 0x800) {
      out[at++] = (byte) (0xC0 | (c >> 6));
      out[at++] = (byte) (0x80 | (c & 0x3F));
    } else if (isPair(value, i, end)) {
      int cp = Character.toCodePoint(c, value.charAt(i + 1));
      out[at++] = (byte) (0xF0 | (cp >> 18));
      out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      out[at++] = (byte) (0x80 | (cp & 0x3F));
    } else if (Character.isSurrogate(c)) {
      out[at++] = '?';
    } else {
      out[at++] = (byte) (0xE0 | (c >> 12));
      out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      out[at++] = (byte) (0x80 | (c & 0x3F));
    }
    return at;
  }

  /** True when {@code value[i]} and {@code value[i + 1]} are a surrogate pair (one code point). */
  static boolean isPair(String value, int i, int end) {
    return Character.isHighSurrogate(value.charAt(i)) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1));
  }

  /** The bytes {@link #encodeNonAscii} and an ASCII writer produce for the whole text. */
  static long length(String text) {
    long bytes = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (isPair(text, i, n)) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Writes a UUID's canonical text (36 ASCII bytes, lower-case hex) and returns the new position. */
  static int uuid(long high, long low, byte[] out, int at) {
    at = hex(high >>> 32, 8, out, at);
    out[at++] = '-';
    at = hex(high >>> 16, 4, out, at);
    out[at++] = '-';
    at = hex(high, 4, out, at);
    out[at++] = '-';
    at = hex(low >>> 48, 4, out, at);
    out[at++] = '-';
    return hex(low, 12, out, at);
  }

  private static int hex(long value, int count, byte[] out, int at) {
    for (int i = count - 1; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
    return at + count;
  }
}
