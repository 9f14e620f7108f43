package io.destkit.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.write.CheckpointStore.StreamProgress;
import io.destkit.protocol.MessageCodec;
import io.destkit.protocol.StreamDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one run syncs: the configured catalog built from the source's discovered catalog and the
 * user's choices, with the ids the platform would give this run, and the state the source resumes
 * from. Made in two steps: {@link #plan} picks the streams and their modes; {@link #withProgress}
 * then sets the ids and the state from what the destination recorded of earlier runs.
 *
 * <p>The ids follow the platform:
 * <ul>
 *   <li>{@code sync_id}: one more than the last run's; the same when the last run did not finish
 *       (this run is its next attempt).
 *   <li>{@code generation_id}: kept by incremental streams; one more for {@code overwrite} streams
 *       on each new run and for every stream on {@code --full-refresh}; kept by the next attempt of
 *       an unfinished run (but for a full read the source cannot resume, {@code is_resumable}
 *       false, which starts a generation of its own).
 *   <li>{@code minimum_generation_id}: the generation itself where rows of older generations go
 *       (overwrite, refresh), else 0; kept by the next attempt of an unfinished run.
 * </ul>
 * The state given to the source is each stream's last committed STATE of the generation it
 * continues; a new generation starts without state.
 */
final class SyncPlan {
  /** One configured stream. */
  record PlannedStream(
      StreamDescriptor descriptor, ObjectNode stream, String syncMode, String destinationSyncMode,
      List<List<String>> primaryKey, List<String> cursorField, long generationId, long minimumGenerationId,
      String state) {

    boolean truncates() {
      return destinationSyncMode.startsWith("overwrite");
    }
  }

  private final List<PlannedStream> streams;
  private final long syncId;
  private final boolean resumed;

  private SyncPlan(List<PlannedStream> streams, long syncId, boolean resumed) {
    this.streams = List.copyOf(streams);
    this.syncId = syncId;
    this.resumed = resumed;
  }

  List<PlannedStream> streams() {
    return streams;
  }

  long syncId() {
    return syncId;
  }

  /** Whether this run continues an earlier run that did not finish. */
  boolean resumed() {
    return resumed;
  }

  List<StreamDescriptor> descriptors() {
    return streams.stream().map(PlannedStream::descriptor).toList();
  }

  /**
   * Picks the streams of {@code catalog} (the source's CATALOG) that {@code choices} select, with
   * their sync modes, keys and cursors: the user's choices win; otherwise incremental where the
   * stream supports it and has a cursor, deduplicated where it has a primary key, and full refresh
   * overwriting the table otherwise.
   */
  static SyncPlan plan(JsonNode catalog, StreamChoices choices, List<String> destinationModes) {
    Map<String, ObjectNode> byName = new LinkedHashMap<>();
    List<ObjectNode> discovered = new ArrayList<>();
    for (JsonNode stream : catalog.path("streams")) {
      if (!stream.isObject() || !stream.path("name").isTextual()) {
        throw new SourceFailure(SourceFailure.Stage.DISCOVER, "config_error",
            "The source's catalog holds a stream without a name: " + stream, null);
      }
      discovered.add((ObjectNode) stream);
      byName.put(qualifiedName(stream), (ObjectNode) stream);
      byName.putIfAbsent(stream.path("name").asText(), (ObjectNode) stream);
    }
    List<ObjectNode> selected = new ArrayList<>();
    Map<ObjectNode, StreamChoices.Choice> choiceOf = new LinkedHashMap<>();
    if (choices.selectsAll()) {
      discovered.forEach(stream -> {
        selected.add(stream);
        choiceOf.put(stream, StreamChoices.Choice.DEFAULTS);
      });
    } else {
      for (Map.Entry<String, StreamChoices.Choice> choice : choices.streams().entrySet()) {
        ObjectNode stream = byName.get(choice.getKey());
        if (stream == null) {
          List<String> names = discovered.stream().map(SyncPlan::qualifiedName).toList();
          throw new ConfigErrorException("The source has no stream '" + choice.getKey() + "'. Its streams: "
              + String.join(", ", names) + ".");
        }
        if (!choiceOf.containsKey(stream)) {
          selected.add(stream);
        }
        choiceOf.put(stream, choice.getValue());
      }
    }
    if (selected.isEmpty()) {
      throw new ConfigErrorException("No stream to sync: the source's catalog is empty.");
    }
    List<PlannedStream> planned = new ArrayList<>();
    for (ObjectNode stream : selected) {
      planned.add(planStream(stream, choiceOf.get(stream), destinationModes));
    }
    return new SyncPlan(planned, 0, false);
  }

  private static PlannedStream planStream(ObjectNode stream, StreamChoices.Choice choice, List<String> destinationModes) {
    String name = qualifiedName(stream);
    List<String> supported = new ArrayList<>();
    stream.path("supported_sync_modes").forEach(mode -> supported.add(mode.asText()));
    if (supported.isEmpty()) {
      supported.add("full_refresh");
    }
    List<List<String>> primaryKey = choice.primaryKey() != null ? choice.primaryKey() : paths(stream.path("source_defined_primary_key"));
    List<String> cursor = choice.cursorField() != null ? choice.cursorField() : path(stream.path("default_cursor_field"));
    boolean sourceDefinedCursor = stream.path("source_defined_cursor").asBoolean(false);
    String syncMode = choice.syncMode();
    if (syncMode == null) {
      syncMode = supported.contains("incremental") && (sourceDefinedCursor || !cursor.isEmpty()) ? "incremental" : "full_refresh";
    } else if (!supported.contains(syncMode)) {
      throw new ConfigErrorException("Stream '" + name + "' does not support sync_mode " + syncMode + "; it supports "
          + String.join(", ", supported) + ".");
    }
    if (syncMode.equals("incremental") && cursor.isEmpty() && !sourceDefinedCursor) {
      throw new ConfigErrorException("Stream '" + name + "' has no default cursor: give its cursor_field in the"
          + " streams file to sync it incrementally.");
    }
    String destinationSyncMode = choice.destinationSyncMode();
    if (destinationSyncMode == null) {
      if (syncMode.equals("incremental")) {
        destinationSyncMode = primaryKey.isEmpty() ? "append" : "append_dedup";
      } else {
        destinationSyncMode = "overwrite";
      }
      if (!destinationModes.contains(destinationSyncMode) && destinationModes.contains("append")) {
        destinationSyncMode = "append";
      }
    }
    if (!destinationModes.contains(destinationSyncMode)) {
      throw new ConfigErrorException("Stream '" + name + "': the destination does not support destination_sync_mode "
          + destinationSyncMode + "; it supports " + String.join(", ", destinationModes) + ".");
    }
    if (destinationSyncMode.endsWith("_dedup") && primaryKey.isEmpty()) {
      throw new ConfigErrorException("Stream '" + name + "' has no primary key: give its primary_key in the streams"
          + " file to deduplicate it, or choose destination_sync_mode append.");
    }
    return new PlannedStream(StreamStatuses.descriptor(stream), stream, syncMode, destinationSyncMode, primaryKey,
        cursor, 0, 0, null);
  }

  /**
   * Sets the ids and states from what the destination recorded of each stream (in this plan's
   * order; empty for a stream never synced). {@code refresh} starts a new generation for every
   * stream, without state.
   */
  SyncPlan withProgress(List<Optional<StreamProgress>> progress, boolean refresh) {
    long lastSyncId = 0;
    boolean unfinished = false;
    for (Optional<StreamProgress> stream : progress) {
      if (stream.isPresent()) {
        lastSyncId = Math.max(lastSyncId, stream.get().syncId());
        unfinished |= !stream.get().finished();
      }
    }
    boolean resume = unfinished && !refresh;
    long syncId = resume ? lastSyncId : lastSyncId + 1;
    List<PlannedStream> result = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      PlannedStream stream = streams.get(i);
      Optional<StreamProgress> previous = progress.get(i);
      long generation;
      long minimum;
      String state = null;
      if (previous.isEmpty()) {
        generation = refresh || stream.truncates() ? 1 : 0;
        minimum = refresh || stream.truncates() ? generation : 0;
      } else {
        StreamProgress last = previous.get();
        boolean fullRead = stream.syncMode().equals("full_refresh");
        boolean resumable = !fullRead || stream.stream().path("is_resumable").asBoolean(false);
        if (resume && !last.finished() && resumable) {
          generation = last.generationId();
          minimum = last.minimumGenerationId();
          state = last.state();
        } else if (refresh || stream.truncates() || (resume && fullRead)) {
          // A full read that cannot resume starts a generation of its own: the rows an unfinished
          // attempt kept would be read again.
          generation = last.generationId() + 1;
          minimum = generation;
        } else {
          generation = last.generationId();
          minimum = 0;
          state = last.state();
        }
      }
      if (stream.syncMode().equals("full_refresh") && generation != (previous.isPresent() ? previous.get().generationId() : -1)) {
        state = null;
      }
      if (stream.syncMode().equals("full_refresh") && !(resume && previous.isPresent() && !previous.get().finished())) {
        // A full read starts over, but for the next attempt of an unfinished resumable one.
        state = null;
      }
      result.add(new PlannedStream(stream.descriptor(), stream.stream(), stream.syncMode(), stream.destinationSyncMode(),
          stream.primaryKey(), stream.cursorField(), generation, minimum, state));
    }
    return new SyncPlan(result, syncId, resume);
  }

  /** The configured catalog the source reads and the destination writes. */
  ObjectNode configuredCatalog() {
    ObjectNode root = MessageCodec.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("streams");
    for (PlannedStream stream : streams) {
      ObjectNode configured = list.addObject();
      configured.set("stream", stream.stream());
      configured.put("sync_mode", stream.syncMode());
      configured.put("destination_sync_mode", stream.destinationSyncMode());
      ArrayNode cursor = configured.putArray("cursor_field");
      stream.cursorField().forEach(cursor::add);
      ArrayNode key = configured.putArray("primary_key");
      for (List<String> part : stream.primaryKey()) {
        ArrayNode path = key.addArray();
        part.forEach(path::add);
      }
      configured.put("generation_id", stream.generationId());
      configured.put("minimum_generation_id", stream.minimumGenerationId());
      configured.put("sync_id", syncId);
    }
    return root;
  }

  /**
   * The state file for the source's {@code read --state}, or empty when no stream has one: the
   * platform's forms, from the recorded STATE messages: an array of per-stream states, one GLOBAL
   * state, or a LEGACY state's {@code data}. The destination's counts are removed.
   */
  Optional<JsonNode> inputState() {
    ArrayNode perStream = MessageCodec.MAPPER.createArrayNode();
    JsonNode global = null;
    JsonNode legacy = null;
    Set<String> seen = new HashSet<>();
    for (PlannedStream stream : streams) {
      if (stream.state() == null || !seen.add(stream.state())) {
        continue;
      }
      JsonNode message;
      try {
        message = MessageCodec.MAPPER.readTree(stream.state());
      } catch (Exception e) {
        continue;
      }
      JsonNode state = message.path("state");
      if (!state.isObject()) {
        continue;
      }
      ObjectNode clean = ((ObjectNode) state).deepCopy();
      clean.remove(List.of("destinationStats", "sourceStats", "committedRecordsCount", "committedBytesCount"));
      String type = clean.path("type").asText("LEGACY");
      switch (type) {
        case "STREAM" -> perStream.add(clean);
        case "GLOBAL" -> global = clean;
        default -> legacy = clean.has("data") ? clean.get("data") : clean;
      }
    }
    if (global != null) {
      ArrayNode one = MessageCodec.MAPPER.createArrayNode();
      one.add(global);
      return Optional.of(one);
    }
    if (!perStream.isEmpty()) {
      return Optional.of(perStream);
    }
    return Optional.ofNullable(legacy);
  }

  static String qualifiedName(JsonNode stream) {
    JsonNode namespace = stream.get("namespace");
    String name = stream.path("name").asText();
    return namespace == null || namespace.isNull() || namespace.asText().isEmpty() ? name : namespace.asText() + "." + name;
  }

  private static List<List<String>> paths(JsonNode node) {
    List<List<String>> result = new ArrayList<>();
    for (JsonNode part : node) {
      List<String> path = new ArrayList<>();
      if (part.isArray()) {
        part.forEach(p -> path.add(p.asText()));
      } else {
        path.add(part.asText());
      }
      if (!path.isEmpty()) {
        result.add(path);
      }
    }
    return result;
  }

  private static List<String> path(JsonNode node) {
    List<String> result = new ArrayList<>();
    if (node.isTextual()) {
      result.add(node.asText());
    } else {
      node.forEach(p -> result.add(p.asText()));
    }
    return result;
  }
}
