package io.destkit.core.typing;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Reads the values of one column. Created once per column by {@link Coercers#forType} and reused
 * for every record; not thread-safe.
 */
public interface ValueCoercer {
  /**
   * Reads one value from a parser positioned AT the value's first token (never {@code
   * VALUE_NULL}: the caller handles JSON null), consumes the entire value (including all children
   * of a container), and returns the typed Java value.
   *
   * @param changes receives the changes made to a value stored altered (see {@link ValueLimits#apply})
   * @throws CoercionFailure when the value cannot be stored; the value is consumed all the same
   * @throws IOException when the input is not well-formed JSON
   */
  Object read(JsonParser parser, ChangeSink changes) throws IOException, CoercionFailure;

  /** {@link #read(JsonParser, ChangeSink)} for callers that keep no record of changes. */
  default Object read(JsonParser parser) throws IOException, CoercionFailure {
    return read(parser, ChangeSink.IGNORE);
  }
}
