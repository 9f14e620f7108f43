package io.destkit.benchmarks;

import io.destkit.core.catalog.NamingPolicy;
import io.destkit.core.catalog.TableCatalog;
import io.destkit.core.naming.IdentifierRules;
import io.destkit.core.stream.DestinationCatalog;
import io.destkit.protocol.ConfiguredCatalog;
import io.destkit.protocol.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The messages and catalog of a shape, made by {@code benchmarks/generate.py} (run on first use).
 * Paths are relative to the working directory: run the benchmarks from the repository root, or set
 * {@code -Ddestkit.bench.root=/path/to/repo}.
 */
final class BenchData {
  final byte[] messages;
  final DestinationCatalog catalog;
  final TableCatalog tables;

  private BenchData(byte[] messages, DestinationCatalog catalog, TableCatalog tables) {
    this.messages = messages;
    this.catalog = catalog;
    this.tables = tables;
  }

  static BenchData load(String shape, int records) throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("destkit.bench.root", ".")).toAbsolutePath();
    Path dir = root.resolve("benchmarks/out/jmh-data/" + shape + "-" + records);
    if (!Files.exists(dir.resolve("manifest.json"))) {
      Path generator = root.resolve("benchmarks/generate.py");
      if (!Files.exists(generator)) {
        throw new IllegalStateException(generator + " not found: run from the repository root or set -Ddestkit.bench.root");
      }
      Process process =
          new ProcessBuilder("python3", generator.toString(), "--shape", shape, "--records", Integer.toString(records),
                  "--no-csv", "--mode", "append", "--out", dir.toString())
              .inheritIO()
              .start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("generate.py failed for shape " + shape);
      }
    }
    DestinationCatalog catalog =
        DestinationCatalog.from(ConfiguredCatalog.fromJson(MessageCodec.MAPPER.readTree(dir.resolve("catalog.json").toFile())));
    TableCatalog tables = TableCatalog.build(catalog, new NamingPolicy(new IdentifierRules(255, true, Set.of()), "main", null));
    return new BenchData(Files.readAllBytes(dir.resolve("messages.jsonl")), catalog, tables);
  }
}
