package io.destkit.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.catalog.ColumnDef;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.typing.AirbyteType;
import io.destkit.core.typing.BooleanType;
import io.destkit.core.typing.DateType;
import io.destkit.core.typing.IntegerType;
import io.destkit.core.typing.NumberType;
import io.destkit.core.typing.StringType;
import io.destkit.core.typing.TimeWithTimezoneType;
import io.destkit.core.typing.TimeWithoutTimezoneType;
import io.destkit.core.typing.TimestampWithTimezoneType;
import io.destkit.core.typing.TimestampWithoutTimezoneType;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Final-table rows in a form that compares across databases: one map per row from field name
 * (the source's name, or a meta column) to a canonical text of the value. A SQL NULL is an absent
 * key; timestamps compare as instants, numbers by value, JSON as parsed JSON (keys sorted), and
 * {@code _airbyte_meta} by its changes only, in any order. {@code _airbyte_raw_id} is left out.
 *
 * <p>Expected rows follow the conventions of the public Airbyte fixtures: a missing column is SQL
 * NULL; an explicit JSON {@code null} is a JSON null in a JSON column (SQL NULL in any other).
 */
public final class ComparableRows {
  /** The key of a row's {@code _airbyte_meta.changes}. */
  public static final String CHANGES = "_airbyte_meta.changes";

  private static final List<String> IGNORED = List.of(MetaColumns.RAW_ID, "_airbyte_loaded_at");

  private ComparableRows() {}

  /** Expected rows (JSON objects keyed by source field names and meta columns). */
  public static List<Map<String, String>> expected(StreamTables tables, List<? extends JsonNode> rows) {
    List<Map<String, String>> result = new ArrayList<>();
    for (JsonNode row : rows) {
      Map<String, String> values = new TreeMap<>();
      values.put(CHANGES, changes(row.path(MetaColumns.META).path("changes")));
      for (Iterator<Map.Entry<String, JsonNode>> fields = row.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String name = field.getKey();
        JsonNode value = field.getValue();
        switch (name) {
          case MetaColumns.EXTRACTED_AT -> values.put(name, value.isNumber()
              ? Instant.ofEpochMilli(value.asLong()).toString() : instant(value.asText()));
          case MetaColumns.GENERATION_ID -> values.put(name, Long.toString(value.asLong()));
          case MetaColumns.META -> { }
          default -> {
            if (IGNORED.contains(name)) {
              continue;
            }
            ColumnDef column = columnOfField(tables, name);
            if (!value.isNull()) {
              values.put(name, canonicalOfJson(column.type(), value));
            } else if (isJson(column.type())) {
              values.put(name, "null");
            }
          }
        }
      }
      result.add(values);
    }
    return result;
  }

  /** Rows read from the stream's final table. */
  public static List<Map<String, String>> actual(StreamTables tables, List<TableRow> rows) {
    List<Map<String, String>> result = new ArrayList<>();
    for (TableRow row : rows) {
      Map<String, String> values = new TreeMap<>();
      values.put(CHANGES, changes(row.meta() == null ? null : row.meta().path("changes")));
      if (row.extractedAt() != null) {
        values.put(MetaColumns.EXTRACTED_AT, row.extractedAt().toString());
      }
      row.generationId().ifPresent(generation -> values.put(MetaColumns.GENERATION_ID, Long.toString(generation)));
      row.values().forEach((columnName, text) -> {
        ColumnDef column = columnNamed(tables, columnName);
        if (column == null) {
          values.put("column " + columnName + " (not in the stream)", String.valueOf(text));
        } else if (text != null) {
          values.put(fieldOf(column), canonicalOfText(column.type(), text));
        }
      });
      result.add(values);
    }
    return result;
  }

  /** The canonical text of a value as the database's text form gives it. */
  public static String canonicalOfText(AirbyteType type, String text) {
    if (type instanceof IntegerType || type instanceof NumberType) {
      return number(new BigDecimal(text.strip()));
    } else if (type instanceof BooleanType) {
      String lower = text.strip().toLowerCase(Locale.ROOT);
      return Boolean.toString(lower.equals("t") || lower.equals("true") || lower.equals("1"));
    } else if (type instanceof StringType) {
      return text;
    } else if (type instanceof DateType) {
      return LocalDate.parse(text.strip()).toString();
    } else if (type instanceof TimestampWithTimezoneType) {
      return instant(text);
    } else if (type instanceof TimestampWithoutTimezoneType) {
      return LocalDateTime.parse(text.strip().replace(' ', 'T')).toString();
    } else if (type instanceof TimeWithTimezoneType) {
      return OffsetTime.parse(withIsoOffset(text.strip())).toString();
    } else if (type instanceof TimeWithoutTimezoneType) {
      return LocalTime.parse(text.strip()).toString();
    }
    return canonicalJson(parse(text));
  }

  /** The canonical text of a value as a fixture gives it in JSON. */
  public static String canonicalOfJson(AirbyteType type, JsonNode value) {
    if (isJson(type)) {
      return canonicalJson(value);
    }
    if (type instanceof StringType && !value.isTextual()) {
      return MessageCodec.encode(value);
    }
    return canonicalOfText(type, value.isTextual() ? value.textValue() : value.asText());
  }

  /** JSON with object keys sorted and numbers compared by value. */
  public static String canonicalJson(JsonNode node) {
    StringBuilder out = new StringBuilder();
    appendCanonical(node, out);
    return out.toString();
  }

  /** An instant from a timestamp with an offset ({@code Z}, {@code ±HH:MM}, {@code ±HHMM}, {@code ±HH}) or none (UTC). */
  public static String instant(String text) {
    String iso = text.strip().replaceFirst(" ", "T");
    return OffsetDateTime.parse(withIsoOffset(iso)).toInstant().toString();
  }

  static boolean isJson(AirbyteType type) {
    return !(type instanceof StringType || type instanceof BooleanType || type instanceof IntegerType
        || type instanceof NumberType || type instanceof DateType || type instanceof TimestampWithTimezoneType
        || type instanceof TimestampWithoutTimezoneType || type instanceof TimeWithTimezoneType
        || type instanceof TimeWithoutTimezoneType);
  }

  /** Rewrites the offset at the end of a time (after any 'T') to {@code ±HH:MM} or Z; none means Z. */
  private static String withIsoOffset(String text) {
    int timeStart = text.indexOf('T') + 1;
    int offset = -1;
    for (int i = timeStart; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '+' || c == '-' || c == 'Z' || c == 'z') {
        offset = i;
        break;
      }
    }
    if (offset < 0) {
      return text + "Z";
    }
    String zone = text.substring(offset);
    if (zone.equalsIgnoreCase("Z")) {
      return text.substring(0, offset) + "Z";
    }
    String digits = zone.substring(1).replace(":", "");
    String hours = digits.substring(0, 2);
    String minutes = digits.length() >= 4 ? digits.substring(2, 4) : "00";
    return text.substring(0, offset) + zone.charAt(0) + hours + ":" + minutes;
  }

  private static String changes(JsonNode changes) {
    List<String> each = new ArrayList<>();
    if (changes != null && changes.isArray()) {
      changes.forEach(change -> each.add(canonicalJson(change)));
    }
    each.sort(null);
    return each.toString();
  }

  private static String number(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  private static void appendCanonical(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      node.fields().forEachRemaining(field -> sorted.put(field.getKey(), field.getValue()));
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(MessageCodec.encode(MessageCodec.MAPPER.getNodeFactory().textNode(field.getKey()))).append(':');
        appendCanonical(field.getValue(), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        appendCanonical(node.get(i), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      out.append(number(node.decimalValue()));
    } else {
      out.append(MessageCodec.encode(node));
    }
  }

  private static JsonNode parse(String text) {
    try {
      return MessageCodec.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  private static ColumnDef columnOfField(StreamTables tables, String field) {
    for (ColumnDef column : tables.columns()) {
      if (field.equals(fieldOf(column))) {
        return column;
      }
    }
    throw new IllegalArgumentException(
        "Expected field '" + field + "' is not a field of stream " + tables.stream().descriptor());
  }

  private static ColumnDef columnNamed(StreamTables tables, String name) {
    for (ColumnDef column : tables.columns()) {
      if (column.name().equals(name)) {
        return column;
      }
    }
    return null;
  }

  /** A column's source field name; the whole-record column of a schemaless stream is {@code _airbyte_data}. */
  private static String fieldOf(ColumnDef column) {
    return column.sourceName() == null ? MetaColumns.DATA : column.sourceName();
  }
}
