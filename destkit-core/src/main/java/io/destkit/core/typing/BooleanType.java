package io.destkit.core.typing;

/** true or false. */
public record BooleanType() implements AirbyteType {}
