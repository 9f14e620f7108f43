package io.destkit.sync;

/** The destination failed: its config, its check or its write. The sync exits with {@value #EXIT_CODE}. */
final class DestinationFailure extends RuntimeException {
  static final int EXIT_CODE = 3;

  private final String failureType;

  DestinationFailure(String failureType, String message) {
    super(message);
    this.failureType = failureType;
  }

  String failureType() {
    return failureType;
  }
}
