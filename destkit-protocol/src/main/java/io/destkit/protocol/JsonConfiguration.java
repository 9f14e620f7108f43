package io.destkit.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * The one JSON configuration of the kit: every parser, generator and tree of the input and output
 * comes from {@link #FACTORY} or {@link #MAPPER}, so what is read can always be written back.
 * Jackson's default limits (1,000 levels, 50,000-character names, 20 MB strings) are below what
 * valid records hold; the lengths here are bounded by the longest input line instead.
 */
public final class JsonConfiguration {
  /**
   * Deepest nesting of a JSON value stored in a column ({@code {}} is 1, {@code {"a":[]}} is 2).
   * A deeper value is nulled with {@code DESTINATION_FIELD_SIZE_LIMITATION}. PostgreSQL's jsonb
   * parser is recursive and stops at about 13,000 levels (version 15; 16,000 on 18) with its
   * default {@code max_stack_depth} of 2 MB; DuckDB's JSON has no limit.
   */
  public static final int MAX_VALUE_DEPTH = 5_000;

  /**
   * Deepest nesting of an input line, well beyond {@link #MAX_VALUE_DEPTH} so that a deeper value
   * can be read past (iteratively, about 60 bytes per level) and nulled rather than fail the line.
   */
  public static final int MAX_INPUT_DEPTH = 1_000_000;

  /** Longest number text accepted; longer ones are refused as the coercers refuse them. */
  public static final int MAX_NUMBER_LENGTH = 100_000;

  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNameLength(Integer.MAX_VALUE)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .maxNestingDepth(MAX_INPUT_DEPTH)
                  .build())
          // Whatever was read can be written: a STATE is echoed as deep as it came.
          .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_INPUT_DEPTH).build())
          .build();

  /** Shared, thread-safe mapper over {@link #FACTORY}. */
  public static final ObjectMapper MAPPER = createMapper();

  private JsonConfiguration() {}

  private static ObjectMapper createMapper() {
    ObjectMapper mapper = new ObjectMapper(FACTORY);
    // Keep decimals exactly as written (1.10 stays 1.10), so a STATE is echoed unchanged.
    mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    return mapper;
  }
}
