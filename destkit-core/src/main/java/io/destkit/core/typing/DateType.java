package io.destkit.core.typing;

/** A calendar date; coerced to {@link java.time.LocalDate}. */
public record DateType() implements AirbyteType {}
