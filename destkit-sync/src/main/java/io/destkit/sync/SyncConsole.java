package io.destkit.sync;

import io.destkit.core.operation.SecretScrubber;
import java.io.PrintStream;
import java.util.Set;

/**
 * What the sync shows the user, on stderr (stdout stays free): the source's logs and stderr, the
 * destination's logs, progress and the summary; every line with the config's secrets masked.
 */
final class SyncConsole {
  private static final Set<String> QUIET_LEVELS = Set.of("DEBUG", "TRACE");
  private final PrintStream err;
  private final boolean verbose;
  private volatile SecretScrubber sourceSecrets = SecretScrubber.none();
  private volatile SecretScrubber destinationSecrets = SecretScrubber.none();

  SyncConsole(PrintStream err, boolean verbose) {
    this.err = err;
    this.verbose = verbose;
  }

  void maskSource(SecretScrubber scrubber) {
    sourceSecrets = scrubber;
  }

  void maskDestination(SecretScrubber scrubber) {
    destinationSecrets = scrubber;
  }

  String mask(String text) {
    return destinationSecrets.scrub(sourceSecrets.scrub(text));
  }

  void info(String message) {
    err.println(mask(message));
  }

  void sourceLog(String level, String message) {
    if (verbose || !QUIET_LEVELS.contains(level)) {
      err.println(mask("[source] " + level + " " + message));
    }
  }

  void sourceStderr(String line) {
    err.println(mask("[source] " + line));
  }

  void sourceError(String failureType, String message) {
    err.println(mask("[source] ERROR (" + failureType + "): " + message));
  }

  void destinationLog(String level, String message) {
    if (verbose || !QUIET_LEVELS.contains(level)) {
      err.println(mask("[destination] " + level + " " + message));
    }
  }
}
