package io.destkit.source.example;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An Airbyte source of generated data, deterministic by seed: {@code users} (incremental on
 * {@code updated_at}, with updates of earlier users as {@code count} grows), {@code purchases}
 * (append-only, incremental on {@code created_at}) and {@code products} (full refresh). Operations:
 * {@code spec}, {@code check --config F}, {@code discover --config F}, {@code read --config F
 * --catalog F [--state F]}.
 *
 * <p>Times: user {@code i} is created at {@code BASE + i minutes}. A user whose id is a multiple of
 * 10 is updated once for every 500 users created after it: as of {@code count} C its version is
 * {@code v = (C - i) / 500} and its {@code updated_at} is {@code BASE + (i + 500 v) minutes + v ms}
 * (its created_at for v = 0). Purchase {@code p} is made at {@code BASE + 20 p seconds} by user
 * {@code (p + 2) / 3}. Every value of a record derives from (seed, stream, id, version) alone.
 */
public final class ExampleSource {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
  static final int PRODUCTS = 50;
  private static final String[] NAMES = {"Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Frances", "Grace",
      "John", "Katherine", "Leslie", "Margaret", "Niklaus", "Radia", "Tim", "Whitfield"};
  private static final String[] CITIES = {"Lisbon", "Nairobi", "Osaka", "Quito", "Reykjavik", "Tartu", "Utrecht", "Zagreb"};
  private static final String[] ITEMS = {"lamp", "chair", "kettle", "notebook", "bicycle", "teapot", "guitar", "clock"};

  /** The config, validated. */
  record Config(long seed, int count, int recordsPerState, Long failAfterRecords) {
    static Config from(JsonNode json) {
      if (!json.isObject()) {
        throw new ConfigError("The config is not a JSON object.");
      }
      long seed = number(json, "seed", 42, Long.MIN_VALUE);
      long count = number(json, "count", 1000, 0);
      long perState = number(json, "records_per_state", 1000, 1);
      if (count > 10_000_000) {
        throw new ConfigError("count is " + count + "; at most 10000000.");
      }
      Long failAfter = json.hasNonNull("fail_after_records") ? number(json, "fail_after_records", 0, 0) : null;
      return new Config(seed, (int) count, (int) Math.min(perState, Integer.MAX_VALUE), failAfter);
    }

    private static long number(JsonNode json, String field, long fallback, long minimum) {
      JsonNode value = json.get(field);
      if (value == null || value.isNull()) {
        return fallback;
      }
      if (!value.isIntegralNumber()) {
        throw new ConfigError(field + " is " + value + "; it must be an integer.");
      }
      if (value.asLong() < minimum) {
        throw new ConfigError(field + " is " + value + "; it must be at least " + minimum + ".");
      }
      return value.asLong();
    }
  }

  /** A config the source refuses, with a message naming the field. */
  static final class ConfigError extends RuntimeException {
    ConfigError(String message) {
      super(message);
    }
  }

  private final JsonGenerator out;
  private long recordsEmitted;

  ExampleSource(OutputStream stdout) throws IOException {
    this.out = JSON.getFactory().createGenerator(new BufferedOutputStream(stdout, 1 << 16), JsonEncoding.UTF8);
    out.setRootValueSeparator(null);
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out);
    } catch (IOException e) {
      System.err.println("source-example: " + e.getMessage());
      code = 1;
    }
    System.out.flush();
    System.exit(code);
  }

  /** Runs one operation; returns the exit code. */
  static int run(String[] args, OutputStream stdout) throws IOException {
    ExampleSource source = new ExampleSource(stdout);
    try {
      return source.operation(args);
    } catch (ConfigError e) {
      source.error("config_error", e.getMessage());
      return 1;
    } finally {
      source.out.flush();
    }
  }

  private int operation(String[] args) throws IOException {
    if (args.length == 0) {
      throw new ConfigError("Give an operation: spec, check, discover or read.");
    }
    Map<String, Path> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!List.of("--config", "--catalog", "--state").contains(args[i]) || i + 1 >= args.length) {
        throw new ConfigError("Unknown or incomplete argument '" + args[i] + "'; the options are --config FILE,"
            + " --catalog FILE and --state FILE.");
      }
      options.put(args[i], Path.of(args[++i]));
    }
    switch (args[0]) {
      case "spec" -> write(spec());
      case "check" -> {
        try {
          Config.from(read(options, "--config"));
          write(status(true, null));
        } catch (ConfigError e) {
          write(status(false, e.getMessage()));
        }
      }
      case "discover" -> {
        Config.from(read(options, "--config"));
        ObjectNode message = JSON.createObjectNode().put("type", "CATALOG");
        message.set("catalog", Catalog.discovered());
        write(message);
      }
      case "read" -> {
        Config config = Config.from(read(options, "--config"));
        JsonNode catalog = read(options, "--catalog");
        JsonNode state = options.containsKey("--state") ? readState(options.get("--state")) : JSON.createArrayNode();
        return read(config, catalog, state);
      }
      default -> throw new ConfigError("Unknown operation '" + args[0] + "'; the operations are spec, check, discover, read.");
    }
    return 0;
  }

  private int read(Config config, JsonNode catalog, JsonNode state) throws IOException {
    Map<String, JsonNode> streamStates = new HashMap<>();
    if (state.isArray()) {
      for (JsonNode entry : state) {
        if ("STREAM".equals(entry.path("type").asText())) {
          streamStates.put(entry.path("stream").path("stream_descriptor").path("name").asText(),
              entry.path("stream").path("stream_state"));
        }
      }
    }
    for (JsonNode configured : catalog.path("streams")) {
      String name = configured.path("stream").path("name").asText();
      boolean incremental = "incremental".equals(configured.path("sync_mode").asText());
      JsonNode previous = incremental ? streamStates.get(name) : null;
      status(name, "STARTED");
      boolean completed = switch (name) {
        case "users" -> users(config, previous);
        case "purchases" -> purchases(config, previous);
        case "products" -> products(config);
        default -> throw new ConfigError("The catalog names stream '" + name + "', which this source does not have;"
            + " its streams are users, purchases, products.");
      };
      if (!completed) {
        error("system_error", "Failing on purpose after " + recordsEmitted + " records (fail_after_records).");
        return 1;
      }
      status(name, "COMPLETE");
    }
    return 0;
  }

  /** Emits the users updated after the state's cursor, in updated_at order; false when failing on purpose. */
  private boolean users(Config config, JsonNode previous) throws IOException {
    long after = cursorMillis(previous, "updated_at");
    int count = config.count();
    // Each user's latest version as of count: (updated_at millis, id), sorted.
    long[] times = new long[count];
    int[] ids = new int[count];
    for (int i = 1; i <= count; i++) {
      times[i - 1] = Users.updatedAt(i, count);
      ids[i - 1] = i;
    }
    Integer[] order = new Integer[count];
    for (int k = 0; k < count; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
    long cursor = after;
    long sinceState = 0;
    long emitted = 0;
    for (Integer k : order) {
      if (times[k] <= after) {
        continue;
      }
      if (!beforeRecord()) {
        return false;
      }
      int id = ids[k];
      record("users", generator -> Users.write(generator, config.seed(), id, Users.version(id, count)));
      cursor = times[k];
      emitted++;
      if (++sinceState == config.recordsPerState()) {
        state("users", "updated_at", cursor, sinceState);
        sinceState = 0;
      }
    }
    state("users", "updated_at", cursor, sinceState);
    log("Emitted " + emitted + " users.");
    return true;
  }

  private boolean purchases(Config config, JsonNode previous) throws IOException {
    long after = cursorMillis(previous, "created_at");
    long total = 3L * config.count();
    long cursor = after;
    long sinceState = 0;
    long first = Math.max(1, after == Long.MIN_VALUE ? 1 : (after - BASE.toEpochMilli()) / 20_000 + 1);
    for (long p = first; p <= total; p++) {
      long at = BASE.toEpochMilli() + 20_000 * p;
      if (at <= after) {
        continue;
      }
      if (!beforeRecord()) {
        return false;
      }
      long id = p;
      record("purchases", generator -> {
        SplittableRandom random = new SplittableRandom(config.seed() * 31 + id * 7 + 2);
        generator.writeNumberField("id", id);
        generator.writeNumberField("user_id", (id + 2) / 3);
        generator.writeNumberField("product_id", 1 + random.nextInt(PRODUCTS));
        generator.writeNumberField("amount", random.nextInt(100, 50_000) / 100.0);
        generator.writeStringField("created_at", Instant.ofEpochMilli(at).toString());
      });
      cursor = at;
      if (++sinceState == config.recordsPerState()) {
        state("purchases", "created_at", cursor, sinceState);
        sinceState = 0;
      }
    }
    state("purchases", "created_at", cursor, sinceState);
    return true;
  }

  private boolean products(Config config) throws IOException {
    for (int id = 1; id <= PRODUCTS; id++) {
      if (!beforeRecord()) {
        return false;
      }
      int product = id;
      record("products", generator -> {
        SplittableRandom random = new SplittableRandom(config.seed() * 31 + product * 7 + 3);
        generator.writeNumberField("id", product);
        generator.writeStringField("name", ITEMS[random.nextInt(ITEMS.length)] + " " + product);
        generator.writeNumberField("price", random.nextInt(100, 20_000) / 100.0);
      });
    }
    return true;
  }

  /** False when the record would pass fail_after_records. */
  private boolean beforeRecord() {
    return config == null || config.failAfterRecords() == null || recordsEmitted < config.failAfterRecords();
  }

  private Config config;

  @FunctionalInterface
  interface Fields {
    void write(JsonGenerator generator) throws IOException;
  }

  private void record(String stream, Fields fields) throws IOException {
    out.writeStartObject();
    out.writeStringField("type", "RECORD");
    out.writeObjectFieldStart("record");
    out.writeStringField("stream", stream);
    out.writeObjectFieldStart("data");
    fields.write(out);
    out.writeEndObject();
    out.writeNumberField("emitted_at", System.currentTimeMillis());
    out.writeEndObject();
    out.writeEndObject();
    out.writeRaw('\n');
    recordsEmitted++;
  }

  private void state(String stream, String field, long cursorMillis, long records) throws IOException {
    ObjectNode message = JSON.createObjectNode().put("type", "STATE");
    ObjectNode state = message.putObject("state").put("type", "STREAM");
    ObjectNode streamState = state.putObject("stream");
    streamState.putObject("stream_descriptor").put("name", stream);
    ObjectNode value = streamState.putObject("stream_state");
    if (cursorMillis != Long.MIN_VALUE) {
      value.put(field, Instant.ofEpochMilli(cursorMillis).toString());
    }
    state.putObject("sourceStats").put("recordCount", (double) records);
    write(message);
  }

  private void status(String stream, String status) throws IOException {
    ObjectNode message = JSON.createObjectNode().put("type", "TRACE");
    ObjectNode trace = message.putObject("trace").put("type", "STREAM_STATUS").put("emitted_at", (double) System.currentTimeMillis());
    ObjectNode value = trace.putObject("stream_status");
    value.putObject("stream_descriptor").put("name", stream);
    value.put("status", status);
    write(message);
  }

  private void log(String message) throws IOException {
    ObjectNode log = JSON.createObjectNode().put("type", "LOG");
    log.putObject("log").put("level", "INFO").put("message", message);
    write(log);
  }

  private void error(String failureType, String text) throws IOException {
    ObjectNode message = JSON.createObjectNode().put("type", "TRACE");
    ObjectNode trace = message.putObject("trace").put("type", "ERROR").put("emitted_at", (double) System.currentTimeMillis());
    trace.putObject("error").put("message", text).put("failure_type", failureType);
    write(message);
  }

  private static ObjectNode status(boolean ok, String message) {
    ObjectNode status = JSON.createObjectNode().put("type", "CONNECTION_STATUS");
    ObjectNode value = status.putObject("connectionStatus").put("status", ok ? "SUCCEEDED" : "FAILED");
    if (message != null) {
      value.put("message", message);
    }
    return status;
  }

  private void write(JsonNode message) throws IOException {
    JSON.writeTree(out, message);
    out.writeRaw('\n');
  }

  private static long cursorMillis(JsonNode state, String field) {
    if (state == null || !state.hasNonNull(field)) {
      return Long.MIN_VALUE;
    }
    try {
      return Instant.parse(state.get(field).asText()).toEpochMilli();
    } catch (RuntimeException e) {
      throw new ConfigError("The state's " + field + " is '" + state.get(field).asText() + "', not an ISO-8601 instant.");
    }
  }

  private JsonNode read(Map<String, Path> options, String option) throws IOException {
    Path path = options.get(option);
    if (path == null) {
      throw new ConfigError(option + " FILE is required for this operation.");
    }
    if (!Files.exists(path)) {
      throw new ConfigError("The file " + path + " given to " + option + " does not exist.");
    }
    try {
      JsonNode json = JSON.readTree(path.toFile());
      if (option.equals("--config")) {
        config = Config.from(json == null ? JSON.createObjectNode() : json);
      }
      return json == null ? JSON.createObjectNode() : json;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigError("The file " + path + " given to " + option + " is not valid JSON (line "
          + e.getLocation().getLineNr() + ").");
    }
  }

  private static JsonNode readState(Path path) throws IOException {
    String text = Files.readString(path).trim();
    if (text.isEmpty()) {
      return JSON.createArrayNode();
    }
    return JSON.readTree(text);
  }

  private static ObjectNode spec() {
    ObjectNode message = JSON.createObjectNode().put("type", "SPEC");
    ObjectNode spec = message.putObject("spec");
    spec.put("documentationUrl", "https://github.com/destkit/destkit/tree/main/source-example");
    spec.put("supportsIncremental", true);
    ObjectNode schema = spec.putObject("connectionSpecification");
    schema.put("$schema", "http://json-schema.org/draft-07/schema#").put("title", "Example Source Spec").put("type", "object");
    schema.put("additionalProperties", true);
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("seed").put("type", "integer").put("default", 42)
        .put("description", "The seed every generated value derives from: the same seed gives the same records.");
    properties.putObject("count").put("type", "integer").put("minimum", 0).put("maximum", 10_000_000).put("default", 1000)
        .put("description", "The number of users (purchases: three times as many; products: 50). A larger count on a"
            + " later run adds users and purchases and updates earlier users.");
    properties.putObject("records_per_state").put("type", "integer").put("minimum", 1).put("default", 1000)
        .put("description", "A STATE message after this many records of a stream, and one at its end.");
    properties.putObject("fail_after_records").put("type", "integer").put("minimum", 0)
        .put("description", "For tests: after emitting this many records, fail with a TRACE ERROR and exit code 1.");
    return message;
  }

  /** The user stream's rule, as the class comment gives it. */
  static final class Users {
    private Users() {
    }

    static int version(int id, int count) {
      return id % 10 == 0 ? (count - id) / 500 : 0;
    }

    static long updatedAt(int id, int count) {
      int version = version(id, count);
      return BASE.toEpochMilli() + 60_000L * (id + 500L * version) + version;
    }

    static void write(JsonGenerator generator, long seed, int id, int version) throws IOException {
      SplittableRandom random = new SplittableRandom(seed * 31 + id * 7L + 1 + version * 1_000_003L);
      String name = NAMES[random.nextInt(NAMES.length)];
      generator.writeNumberField("id", id);
      generator.writeStringField("name", name + " " + id);
      generator.writeStringField("email", name.toLowerCase(java.util.Locale.ROOT) + id + "@example.com");
      generator.writeNumberField("age", 18 + random.nextInt(70));
      generator.writeObjectFieldStart("address");
      generator.writeStringField("city", CITIES[random.nextInt(CITIES.length)]);
      generator.writeStringField("zip", String.format(java.util.Locale.ROOT, "%05d", random.nextInt(100_000)));
      generator.writeEndObject();
      generator.writeStringField("created_at", Instant.ofEpochMilli(BASE.toEpochMilli() + 60_000L * id).toString());
      generator.writeStringField("updated_at", Instant.ofEpochMilli(updatedAt(id, version == 0 ? id : id + 500 * version)).toString());
      generator.writeNumberField("version", version);
    }
  }
}
