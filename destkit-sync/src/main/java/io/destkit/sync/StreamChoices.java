package io.destkit.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.destkit.core.ConfigErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user's choices per stream, from {@code --streams} and the {@code --streams-file} YAML:
 *
 * <pre>
 * streams:
 *   users:                              # a stream's name (or namespace.name)
 *     sync_mode: incremental            # or full_refresh
 *     destination_sync_mode: append_dedup   # append, overwrite, append_dedup, overwrite_dedup
 *     primary_key: [id]                 # one field, several ([a, b]) or paths ([[a, b], [c]])
 *     cursor_field: updated_at          # a field, or a path [a, b]
 *   products: {}                        # selected with the source's defaults
 * </pre>
 *
 * A stream the file lists is selected; with neither option every stream the source discovers is.
 */
record StreamChoices(Map<String, Choice> streams) {
  private static final Set<String> KEYS = Set.of("sync_mode", "destination_sync_mode", "primary_key", "cursor_field");

  /** One stream's choices; null fields take the source's defaults. */
  record Choice(String syncMode, String destinationSyncMode, List<List<String>> primaryKey, List<String> cursorField) {
    static final Choice DEFAULTS = new Choice(null, null, null, null);
  }

  /** Every stream selected, with the source's defaults. */
  static StreamChoices all() {
    return new StreamChoices(Map.of());
  }

  boolean selectsAll() {
    return streams.isEmpty();
  }

  /** Reads the YAML file; names the file and the entry at fault. */
  static StreamChoices fromFile(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ConfigErrorException("The streams file " + file + " does not exist.");
    } catch (IOException e) {
      throw new ConfigErrorException("The streams file " + file + " is not valid YAML: " + firstLine(e.getMessage()));
    }
    JsonNode streams = root == null ? null : root.get("streams");
    if (streams == null || !streams.isObject()) {
      throw new ConfigErrorException("The streams file " + file + " needs a 'streams:' map of stream names to their"
          + " choices, e.g. 'streams: {users: {sync_mode: incremental}}'.");
    }
    Map<String, Choice> choices = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = streams.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String where = "streams file " + file + ", stream '" + entry.getKey() + "'";
      JsonNode value = entry.getValue();
      if (value == null || value.isNull()) {
        choices.put(entry.getKey(), Choice.DEFAULTS);
        continue;
      }
      if (!value.isObject()) {
        throw new ConfigErrorException("In the " + where + ": expected a map of choices (" + String.join(", ", KEYS) + ").");
      }
      for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!KEYS.contains(name)) {
          throw new ConfigErrorException("In the " + where + ": unknown key '" + name + "'; the keys are "
              + String.join(", ", KEYS) + ".");
        }
      }
      choices.put(entry.getKey(), new Choice(
          text(value, "sync_mode", where, List.of("incremental", "full_refresh")),
          text(value, "destination_sync_mode", where, List.of("append", "overwrite", "append_dedup", "overwrite_dedup")),
          primaryKey(value.get("primary_key"), where),
          cursor(value.get("cursor_field"), where)));
    }
    return new StreamChoices(choices);
  }

  /** {@code --streams a,b}: those streams, with the file's choices where it has them. */
  StreamChoices selecting(List<String> names) {
    Map<String, Choice> selected = new LinkedHashMap<>();
    for (String name : names) {
      selected.put(name, streams.getOrDefault(name, Choice.DEFAULTS));
    }
    return new StreamChoices(selected);
  }

  private static String text(JsonNode value, String key, String where, List<String> allowed) {
    JsonNode node = value.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || !allowed.contains(node.asText())) {
      throw new ConfigErrorException("In the " + where + ": " + key + " is " + node + "; it is one of "
          + String.join(", ", allowed) + ".");
    }
    return node.asText();
  }

  private static List<List<String>> primaryKey(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    List<List<String>> key = new ArrayList<>();
    if (node.isTextual()) {
      key.add(List.of(node.asText()));
      return key;
    }
    if (!node.isArray()) {
      throw new ConfigErrorException("In the " + where + ": primary_key is " + node + "; give a field, a list of"
          + " fields or a list of paths.");
    }
    for (JsonNode part : node) {
      if (part.isTextual()) {
        key.add(List.of(part.asText()));
      } else if (part.isArray() && !part.isEmpty()) {
        List<String> path = new ArrayList<>();
        part.forEach(p -> path.add(p.asText()));
        key.add(path);
      } else {
        throw new ConfigErrorException("In the " + where + ": primary_key holds " + part + "; each part is a field"
            + " name or a path (a list of field names).");
      }
    }
    return key;
  }

  private static List<String> cursor(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (node.isArray() && !node.isEmpty()) {
      List<String> path = new ArrayList<>();
      node.forEach(p -> path.add(p.asText()));
      return path;
    }
    throw new ConfigErrorException("In the " + where + ": cursor_field is " + node + "; give a field or a path.");
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
