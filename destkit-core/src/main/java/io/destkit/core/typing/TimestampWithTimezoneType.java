package io.destkit.core.typing;

/** An instant; coerced to {@link java.time.OffsetDateTime} at UTC. */
public record TimestampWithTimezoneType() implements AirbyteType {}
