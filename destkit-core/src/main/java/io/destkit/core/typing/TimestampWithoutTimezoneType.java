package io.destkit.core.typing;

/** A local date-time; coerced to {@link java.time.LocalDateTime}. */
public record TimestampWithoutTimezoneType() implements AirbyteType {}
