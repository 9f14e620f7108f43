package io.destkit.core.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of text, for names that must match another system's. */
final class Hashes {
  private Hashes() {}

  /** Lower-case hex of the digest of {@code text}'s UTF-8 bytes. */
  static String hex(String algorithm, String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " unavailable", e); // SHA-1 and SHA-256 are required of every JRE
    }
  }
}
