package io.destkit.core.typing;

/** An object whose schema declares {@code properties: {}}; stored as JSON. */
public record ObjectTypeWithEmptySchema() implements AirbyteType {}
