package io.destkit.core.typing;

/** Text; also the type of base64 binary data. */
public record StringType() implements AirbyteType {}
