package io.destkit.core.naming;

import java.nio.charset.StandardCharsets;

/** UTF-8 byte-length helpers that never split a code point. */
final class Utf8 {
  private Utf8() {}

  /** Number of bytes {@code s} takes in UTF-8. */
  static int length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      bytes += bytesOf(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  /** The longest prefix of {@code s} whose UTF-8 encoding fits in {@code maxBytes} bytes. */
  static String truncate(String s, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int b = bytesOf(cp);
      if (bytes + b > maxBytes) {
        break;
      }
      bytes += b;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int bytesOf(int cp) {
    if (cp < 0x80) {
      return 1;
    } else if (cp < 0x800) {
      return 2;
    } else if (cp < 0x10000) {
      return Character.isSurrogate((char) cp) ? 1 : 3; // lone surrogates encode as '?'
    }
    return 4;
  }
}
