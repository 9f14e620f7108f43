package io.destkit.core.pipeline;

import java.util.List;

/**
 * What a write did.
 *
 * @param failure the first failure (bad input, failed write, failed close), or null
 * @param incompleteStreams streams that did not receive STREAM_STATUS COMPLETE
 * @param finaliseNanos the time the loaders' finalisation took (after the last write)
 */
public record SyncResult(
    long records, long bytes, long statesEmitted, List<String> incompleteStreams, Throwable failure,
    long finaliseNanos) {}
