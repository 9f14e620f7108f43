package io.destkit.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.destkit.core.typing.AirbyteTypeParser;
import io.destkit.core.typing.Coercers;
import io.destkit.core.typing.CoercionFailure;
import io.destkit.core.typing.ValueCoercer;
import io.destkit.core.typing.ValueLimits;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Values per second through the public {@link Coercers}, one column type at a time: a JSON array of
 * {@value #VALUES} values is parsed with Jackson and each value is read by the column's coercer.
 * {@code tokenizeOnly} walks the same array without coercing, so the difference is the coercion.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(CoercerBenchmark.VALUES)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoercerBenchmark {
  static final int VALUES = 1000;

  @Param({"integer", "number", "string", "boolean", "date", "timestamp_utc", "timestamp_offset", "object", "array"})
  public String type;

  private final JsonFactory factory = MessageCodec.jsonFactory();
  private byte[] json;
  private ValueCoercer coercer;

  @Setup
  public void setUp() throws IOException {
    Random random = new Random(1);
    String schema;
    Function<Random, String> value;
    switch (type) {
      case "integer" -> {
        schema = "{\"type\":\"integer\"}";
        value = r -> Long.toString(r.nextLong() >> r.nextInt(60));
      }
      case "number" -> {
        schema = "{\"type\":\"number\"}";
        value = r -> String.format("%d.%02d", r.nextInt(1_000_000), r.nextInt(100));
      }
      case "string" -> {
        schema = "{\"type\":\"string\"}";
        value = r -> "\"Ada Lovelace " + r.nextInt(1_000_000) + "\"";
      }
      case "boolean" -> {
        schema = "{\"type\":\"boolean\"}";
        value = r -> Boolean.toString(r.nextBoolean());
      }
      case "date" -> {
        schema = "{\"type\":\"string\",\"format\":\"date\"}";
        value = r -> String.format("\"%d-%02d-%02d\"", 1940 + r.nextInt(80), 1 + r.nextInt(12), 1 + r.nextInt(28));
      }
      case "timestamp_utc" -> {
        schema = "{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_with_timezone\"}";
        value = r -> String.format("\"2024-%02d-%02dT%02d:%02d:%02dZ\"", 1 + r.nextInt(12), 1 + r.nextInt(28),
            r.nextInt(24), r.nextInt(60), r.nextInt(60));
      }
      case "timestamp_offset" -> {
        schema = "{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_with_timezone\"}";
        value = r -> String.format("\"2025-%02d-%02dT%02d:%02d:%02d.%06d+02:00\"", 1 + r.nextInt(12), 1 + r.nextInt(28),
            r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000));
      }
      case "object" -> {
        schema = "{\"type\":\"object\",\"properties\":{\"street\":{\"type\":\"string\"},\"city\":{\"type\":\"string\"}}}";
        value = r -> "{\"street\":\"" + r.nextInt(999) + " Main St\",\"city\":\"London\",\"zip\":\"" + r.nextInt(99999) + "\"}";
      }
      case "array" -> {
        schema = "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}";
        value = r -> r.nextBoolean() ? "[\"vip\",\"beta\"]" : "[\"trial\"]";
      }
      default -> throw new IllegalArgumentException(type);
    }
    StringJoiner array = new StringJoiner(",", "[", "]");
    for (int i = 0; i < VALUES; i++) {
      array.add(value.apply(random));
    }
    json = array.toString().getBytes(StandardCharsets.UTF_8);
    coercer = Coercers.forType(AirbyteTypeParser.parse(MessageCodec.MAPPER.readTree(schema)), ValueLimits.NONE);
  }

  @Benchmark
  public void coerce(Blackhole sink) throws IOException, CoercionFailure {
    try (JsonParser parser = factory.createParser(json)) {
      parser.nextToken();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        sink.consume(coercer.read(parser));
      }
    }
  }

  @Benchmark
  public void tokenizeOnly(Blackhole sink) throws IOException {
    try (JsonParser parser = factory.createParser(json)) {
      parser.nextToken();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        sink.consume(token);
        parser.skipChildren();
      }
    }
  }
}
