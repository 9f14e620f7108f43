package io.destkit.core.write;


/**
 * What the kit gives a destination's writer for one sync.
 *
 * @param settings the pipeline's tuning, already final (the destination's preferences and the
 *     user's overrides applied): size connection pools and thread pools from it
 * @param log where the writer reports what a user should know (a LOG message on stdout)
 */
public record WriteContext(PipelineSettings settings, SyncLog log) {
  /** A context with these settings whose log goes nowhere, for tests and tools. */
  public static WriteContext of(PipelineSettings settings) {
    return new WriteContext(settings, SyncLog.NONE);
  }
}
