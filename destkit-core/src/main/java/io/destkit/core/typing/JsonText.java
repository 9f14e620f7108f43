package io.destkit.core.typing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.destkit.protocol.JsonConfiguration;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;

/**
 * Copies one JSON value from a parser to its compact text, token by token, through a generator and
 * a buffer both reused across values. Numbers keep their exact text (no trip through double);
 * strings and names are copied from the parser's buffers. A value nested deeper than {@link
 * JsonConfiguration#MAX_VALUE_DEPTH} is read past and refused as too large for the databases. One
 * instance per coercer.
 */
final class JsonText {
  private static final JsonFactory FACTORY = JsonConfiguration.FACTORY;
  /** A buffer grown past this by one huge value is dropped afterwards rather than kept. */
  private static final int RETAINED_CAPACITY = 1 << 20;

  private final CharBuffer out = new CharBuffer();
  private JsonGenerator generator;

  /**
   * Copies the value at the parser's current token and leaves the parser on its last token.
   *
   * @throws CoercionFailure {@link CoercionFailure#FIELD_SIZE} when the value is nested too deep
   */
  String copy(JsonParser parser) throws IOException, CoercionFailure {
    JsonGenerator g = generator;
    if (g == null) {
      g = FACTORY.createGenerator(out);
      // Values are written one after another at the root; no separator between them.
      g.setRootValueSeparator(null);
      generator = g;
    }
    boolean copied = false;
    try {
      copyValue(parser, g);
      g.flush();
      copied = true;
      return out.toString();
    } finally {
      out.reset();
      if (!copied) {
        // The generator may be left inside an unfinished object; start afresh next time.
        generator = null;
      }
    }
  }

  private static void copyValue(JsonParser p, JsonGenerator g) throws IOException, CoercionFailure {
    int depth = 0;
    JsonToken token = p.currentToken();
    while (true) {
      switch (token) {
        case START_OBJECT:
          if (depth == JsonConfiguration.MAX_VALUE_DEPTH) {
            throw skipRest(p, depth);
          }
          g.writeStartObject();
          depth++;
          break;
        case START_ARRAY:
          if (depth == JsonConfiguration.MAX_VALUE_DEPTH) {
            throw skipRest(p, depth);
          }
          g.writeStartArray();
          depth++;
          break;
        case END_OBJECT:
          g.writeEndObject();
          depth--;
          break;
        case END_ARRAY:
          g.writeEndArray();
          depth--;
          break;
        case FIELD_NAME:
          g.writeFieldName(p.currentName());
          break;
        case VALUE_STRING:
          g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          break;
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          if (p.isNaN()) {
            // NaN and Infinity (only with a lenient parser) are not JSON numbers.
            g.writeString(p.getText());
          } else {
            g.writeNumber(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
          break;
        case VALUE_TRUE:
          g.writeBoolean(true);
          break;
        case VALUE_FALSE:
          g.writeBoolean(false);
          break;
        case VALUE_NULL:
          g.writeNull();
          break;
        case VALUE_EMBEDDED_OBJECT:
          Object embedded = p.getEmbeddedObject();
          if (embedded instanceof byte[] bytes) {
            g.writeBinary(bytes);
          } else {
            g.writeString(String.valueOf(embedded));
          }
          break;
        default:
          throw new IllegalStateException("Not a JSON value token: " + token);
      }
      if (depth == 0) {
        return;
      }
      token = p.nextToken();
      if (token == null) {
        throw new IOException("Unexpected end of JSON input inside a value");
      }
    }
  }

  /**
   * Reads past the rest of a value too deep to store: the container at the parser, then the
   * {@code depth} containers around it. Iterative ({@code skipChildren} is), however deep.
   */
  private static CoercionFailure skipRest(JsonParser p, int depth) throws IOException {
    p.skipChildren();
    int open = depth;
    while (open > 0) {
      JsonToken token = p.nextToken();
      if (token == null) {
        throw new IOException("Unexpected end of JSON input inside a value");
      }
      if (token.isStructStart()) {
        p.skipChildren();
      } else if (token.isStructEnd()) {
        open--;
      }
    }
    return CoercionFailure.FIELD_SIZE;
  }

  /** An unsynchronized StringWriter whose buffer is kept between values. */
  private static final class CharBuffer extends Writer {
    private char[] chars = new char[256];
    private int length;

    @Override
    public void write(char[] source, int offset, int count) {
      ensure(count);
      System.arraycopy(source, offset, chars, length, count);
      length += count;
    }

    @Override
    public void write(String source, int offset, int count) {
      ensure(count);
      source.getChars(offset, offset + count, chars, length);
      length += count;
    }

    @Override
    public void write(int c) {
      ensure(1);
      chars[length++] = (char) c;
    }

    private void ensure(int more) {
      int needed = length + more;
      if (needed > chars.length) {
        chars = Arrays.copyOf(chars, Math.max(needed, chars.length * 2));
      }
    }

    void reset() {
      length = 0;
      if (chars.length > RETAINED_CAPACITY) {
        chars = new char[256];
      }
    }

    @Override
    public String toString() {
      return new String(chars, 0, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
