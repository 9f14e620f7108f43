package io.destkit.sync;

/** The source failed: its config, its check, its discovery or its read. The sync exits with {@value #EXIT_CODE}. */
final class SourceFailure extends RuntimeException {
  static final int EXIT_CODE = 2;

  enum Stage { SPEC, CONFIG, CHECK, DISCOVER, READ }

  private final Stage stage;
  private final String failureType;

  SourceFailure(Stage stage, String failureType, String message, Throwable cause) {
    super(message, cause);
    this.stage = stage;
    this.failureType = failureType;
  }

  Stage stage() {
    return stage;
  }

  /** The failure type the source reported (config_error, system_error, transient_error), or ours. */
  String failureType() {
    return failureType;
  }
}
