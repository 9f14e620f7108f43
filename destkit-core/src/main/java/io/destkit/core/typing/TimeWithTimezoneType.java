package io.destkit.core.typing;

/** A time of day with an offset; coerced to {@link java.time.OffsetTime}. */
public record TimeWithTimezoneType() implements AirbyteType {}
