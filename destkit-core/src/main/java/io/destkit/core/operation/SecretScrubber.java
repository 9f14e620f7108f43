package io.destkit.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes the values of secret config fields (those the spec marks {@code airbyte_secret}) from any
 * text before it leaves the process.
 */
public final class SecretScrubber {
  private static final String MASK = "****";
  /** Parts of a secret shorter than this (a blank line, "true") are too common to mask alone. */
  private static final int MIN_LINE_SECRET = 8;
  private final List<String> secrets;

  private SecretScrubber(List<String> secrets) {
    this.secrets = secrets;
  }

  public static SecretScrubber none() {
    return new SecretScrubber(List.of());
  }

  /** Collects the secret values of {@code config} by walking the spec schema alongside it. */
  public static SecretScrubber of(JsonNode specSchema, JsonNode config) {
    List<String> secrets = new ArrayList<>();
    collect(specSchema, config, secrets);
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretScrubber(List.copyOf(secrets));
  }

  private static void collect(JsonNode schema, JsonNode value, List<String> out) {
    if (schema == null || value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    if (schema.path("airbyte_secret").asBoolean(false) && value.isValueNode()) {
      String text = value.asText();
      if (!text.isEmpty()) {
        out.add(text);
      }
      // Parts other text may quote alone: the lines of a PEM key (a stream is scrubbed a line at a
      // time), the values of key=value&key=value parameters (a driver names the one it refuses).
      List<String> parts = new ArrayList<>();
      if (text.contains("\n")) {
        parts.addAll(List.of(text.split("\r?\n")));
      } else if (text.contains("=")) {
        for (String parameter : text.split("&")) {
          parts.add(parameter.substring(parameter.indexOf('=') + 1));
        }
      }
      for (String part : parts) {
        String piece = part.strip();
        if (piece.length() >= MIN_LINE_SECRET && !piece.equals(text)) {
          out.add(piece);
        }
      }
      return;
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        collect(properties.get(field.getKey()), field.getValue(), out);
        for (JsonNode option : schema.path("oneOf")) {
          collect(option.path("properties").get(field.getKey()), field.getValue(), out);
        }
      }
    }
  }

  public String scrub(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }

  /**
   * A stream that writes to {@code target} with the secrets masked, a line at a time (a line ends at
   * {@code \n} or {@code \r}; what is left is written on close).
   */
  public PrintStream filter(PrintStream target) {
    return new PrintStream(new ScrubbingStream(target), true, StandardCharsets.UTF_8);
  }

  private final class ScrubbingStream extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    ScrubbingStream(PrintStream target) {
      this.target = target;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n' || b == '\r') {
        emit();
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        write(bytes[i]);
      }
    }

    private void emit() {
      target.print(scrub(line.toString(StandardCharsets.UTF_8)));
      line.reset();
    }

    @Override
    public synchronized void flush() {
      target.flush();
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        emit();
      }
      target.flush();
    }
  }
}
