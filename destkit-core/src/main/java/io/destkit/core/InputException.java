package io.destkit.core;

/** Input on stdin that cannot be processed (a malformed line, a record for an unknown stream). */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
