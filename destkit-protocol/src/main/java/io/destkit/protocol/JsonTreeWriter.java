package io.destkit.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree with an explicit stack instead of Jackson's recursive serializers, which
 * overflow the thread's stack on trees a few thousand levels deep (a deep STATE is still echoed).
 */
final class JsonTreeWriter {
  private JsonTreeWriter() {}

  static void write(JsonNode root, JsonGenerator g) throws IOException {
    // Each open container: an iterator over its elements (arrays) or entries (objects).
    ArrayDeque<Iterator<?>> open = new ArrayDeque<>();
    JsonNode node = root;
    while (true) {
      if (node != null) {
        if (node.isObject()) {
          g.writeStartObject();
          open.push(node.properties().iterator());
        } else if (node.isArray()) {
          g.writeStartArray();
          open.push(node.elements());
        } else {
          writeScalar(node, g);
        }
        node = null;
      }
      if (open.isEmpty()) {
        return;
      }
      Iterator<?> top = open.peek();
      if (!top.hasNext()) {
        open.pop();
        if (g.getOutputContext().inObject()) {
          g.writeEndObject();
        } else {
          g.writeEndArray();
        }
        continue;
      }
      Object next = top.next();
      if (next instanceof Map.Entry<?, ?> entry) {
        g.writeFieldName((String) entry.getKey());
        node = (JsonNode) entry.getValue();
      } else {
        node = (JsonNode) next;
      }
    }
  }

  private static void writeScalar(JsonNode node, JsonGenerator g) throws IOException {
    switch (node.getNodeType()) {
      case STRING -> g.writeString(node.textValue());
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL -> g.writeNull();
      case NUMBER -> {
        switch (node.numberType()) {
          case INT, LONG -> g.writeNumber(node.longValue());
          case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
          case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
          default -> g.writeNumber(node.doubleValue());
        }
      }
      // Binary, POJO and missing nodes never come from parsing; Jackson writes them as usual.
      default -> JsonConfiguration.MAPPER.writeTree(g, node);
    }
  }
}
