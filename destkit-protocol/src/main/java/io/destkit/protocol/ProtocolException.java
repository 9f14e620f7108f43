package io.destkit.protocol;

/** Input that does not follow the Airbyte protocol. */
public class ProtocolException extends RuntimeException {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
