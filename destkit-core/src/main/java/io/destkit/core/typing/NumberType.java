package io.destkit.core.typing;

/** A decimal number; coerced exactly to {@link java.math.BigDecimal}. */
public record NumberType() implements AirbyteType {}
