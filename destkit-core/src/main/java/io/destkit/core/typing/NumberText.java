package io.destkit.core.typing;

import java.math.BigDecimal;

/**
 * Checks and reads numbers and words in a parser's character buffer without making a String.
 * Validating before {@code new BigDecimal} keeps invalid values (common in a bad column) from
 * costing a NumberFormatException each.
 */
final class NumberText {
  private NumberText() {}

  /** {@code [+-]digits}, at least one digit. */
  static boolean isPlainInteger(char[] t, int offset, int length) {
    int p = offset;
    int end = offset + length;
    if (p < end && (t[p] == '-' || t[p] == '+')) {
      p++;
    }
    if (p == end) {
      return false;
    }
    for (; p < end; p++) {
      if (t[p] < '0' || t[p] > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code [+-]digits[.digits][(e|E)[+-]digits]}, with at least one digit before or after the
   * point: the syntax {@link BigDecimal#BigDecimal(char[], int, int)} accepts.
   */
  static boolean isDecimal(char[] t, int offset, int length) {
    int p = offset;
    int end = offset + length;
    if (p < end && (t[p] == '-' || t[p] == '+')) {
      p++;
    }
    int mantissaDigits = 0;
    while (p < end && isDigit(t[p])) {
      p++;
      mantissaDigits++;
    }
    if (p < end && t[p] == '.') {
      p++;
      while (p < end && isDigit(t[p])) {
        p++;
        mantissaDigits++;
      }
    }
    if (mantissaDigits == 0) {
      return false;
    }
    if (p < end && (t[p] == 'e' || t[p] == 'E')) {
      p++;
      if (p < end && (t[p] == '-' || t[p] == '+')) {
        p++;
      }
      int exponentDigits = 0;
      while (p < end && isDigit(t[p])) {
        p++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return false;
      }
    }
    return p == end;
  }

  /** Reads text that {@link #isDecimal} accepted. */
  static BigDecimal toDecimal(char[] t, int offset, int length) throws CoercionFailure {
    try {
      return new BigDecimal(t, offset, length);
    } catch (NumberFormatException e) {
      // Text that passed isDecimal only gets here with an exponent beyond an int.
      throw CoercionFailure.FIELD_SIZE;
    }
  }

  /**
   * Reads {@code [+-]digits} as a long; a value beyond 64 bits is {@link CoercionFailure#FIELD_SIZE},
   * anything else than digits {@link CoercionFailure#SERIALIZATION}.
   */
  static long parseLong(char[] t, int offset, int length) throws CoercionFailure {
    int p = offset;
    int end = offset + length;
    boolean negative = false;
    if (p < end && (t[p] == '-' || t[p] == '+')) {
      negative = t[p] == '-';
      p++;
    }
    if (p == end) {
      throw CoercionFailure.SERIALIZATION;
    }
    // Accumulate negatively, as Long.parseLong does, so that Long.MIN_VALUE fits.
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multiplyMin = limit / 10;
    long result = 0;
    boolean overflow = false;
    for (; p < end; p++) {
      int digit = t[p] - '0';
      if (digit < 0 || digit > 9) {
        throw CoercionFailure.SERIALIZATION;
      }
      if (!overflow) {
        if (result < multiplyMin) {
          overflow = true;
        } else {
          result *= 10;
          if (result < limit + digit) {
            overflow = true;
          } else {
            result -= digit;
          }
        }
      }
    }
    if (overflow) {
      throw CoercionFailure.FIELD_SIZE;
    }
    return negative ? result : -result;
  }

  static boolean equalsIgnoreCase(char[] t, int offset, int length, String lowerCaseWord) {
    if (length != lowerCaseWord.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = t[offset + i];
      if (c != lowerCaseWord.charAt(i) && Character.toLowerCase(c) != lowerCaseWord.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
