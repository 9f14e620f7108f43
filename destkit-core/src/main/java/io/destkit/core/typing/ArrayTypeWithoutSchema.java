package io.destkit.core.typing;

/** An array whose schema declares no items; stored as JSON. */
public record ArrayTypeWithoutSchema() implements AirbyteType {}
