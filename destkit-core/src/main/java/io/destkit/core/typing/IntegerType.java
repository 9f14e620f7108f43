package io.destkit.core.typing;

/** A whole number; coerced to {@link Long}. */
public record IntegerType() implements AirbyteType {}
