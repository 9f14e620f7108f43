package io.destkit.core.typing;

/** An object whose schema declares no properties at all; stored as JSON. */
public record ObjectTypeWithoutSchema() implements AirbyteType {}
