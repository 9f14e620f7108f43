package io.destkit.core.typing;

/** A local time of day; coerced to {@link java.time.LocalTime}. */
public record TimeWithoutTimezoneType() implements AirbyteType {}
