package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A row read back from a final table: its meta columns, typed, and its user columns as the
 * database's text form (null for SQL NULL).
 */
public record TableRow(
    UUID rawId, Instant extractedAt, JsonNode meta, OptionalLong generationId, Map<String, String> values) {}
