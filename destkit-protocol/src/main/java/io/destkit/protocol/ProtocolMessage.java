package io.destkit.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A message in its generic form: its type and the whole JSON object, unknown fields included, so it
 * can be echoed back faithfully. The record hot path does not use this form.
 */
public record ProtocolMessage(MessageType type, ObjectNode json) {}
