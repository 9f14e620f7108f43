package io.destkit.core;

/**
 * A failure the user must fix (a wrong password, a missing field, an unwritable path). Reported as
 * a TRACE ERROR with {@code failure_type: config_error}. The message must say what to fix and must
 * never contain a secret.
 */
public class ConfigErrorException extends RuntimeException {
  public ConfigErrorException(String message) {
    super(message);
  }

  public ConfigErrorException(String message, Throwable cause) {
    super(message, cause);
  }
}
