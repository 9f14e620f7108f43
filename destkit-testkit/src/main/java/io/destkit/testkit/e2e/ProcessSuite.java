package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.DatabaseSuite;
import io.destkit.testkit.TestDatabase;
import io.destkit.testkit.e2e.ConnectorProcess.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * An end-to-end suite: it runs the packaged connector as a separate process over files, as a
 * platform would, then reads the test's own database with plain SQL ({@link DatabaseReader}). The
 * database is closed whenever the process runs (DuckDB locks its file).
 *
 * @param <C> the destination's typed config
 */
public abstract class ProcessSuite<C> extends DatabaseSuite<C> {
  /** The default schema of the configs, unless a test names another. */
  protected static final String MAIN = "main";

  private TestDatabase database;
  private int files;

  @Override
  protected abstract ProcessTarget<C> target();

  /** Where the test's files (configs, fixtures, process output) and, for a file database, its data live. */
  protected Path workDir() {
    return tempDir;
  }

  /** A testkit fixture ({@code src/main/resources/io/destkit/testkit/e2e/}), as a file. */
  protected Path fixture(String name) {
    return ConnectorProcess.fixture(name, workDir());
  }

  /** The config of the test's own database, with this default schema. */
  protected ObjectNode configJson(String defaultSchema) {
    return target().ownDatabaseConfig(workDir(), defaultSchema);
  }

  /** The config of the test's own database, with this default schema, as a file. */
  protected Path config(String defaultSchema) {
    return writeConfig(configJson(defaultSchema));
  }

  protected Path writeConfig(JsonNode config) {
    return ConnectorProcess.writeJson(workDir().resolve("config-" + files++ + ".json"), config);
  }

  /** Runs the connector with these arguments and nothing on stdin. */
  protected Result run(String... args) {
    return run(null, args);
  }

  /** Runs the connector with the file {@code stdin} (may be null) as its input. */
  protected Result run(Path stdin, String... args) {
    closeTheDatabase();
    return ConnectorProcess.run(workDir(), stdin, args);
  }

  /** {@code --write} into the test's own database, default schema {@value #MAIN}. */
  protected Result write(Path catalog, Path messages) {
    return write(MAIN, catalog, messages);
  }

  protected Result write(String defaultSchema, Path catalog, Path messages) {
    return writeWithConfig(config(defaultSchema), catalog, messages);
  }

  protected Result writeWithConfig(Path config, Path catalog, Path messages) {
    return run(messages, "--write", "--config", config.toString(), "--catalog", catalog.toString());
  }

  /** The snapshot of the SPEC message on the module's test classpath (the one the spec suite uses). */
  protected String expectedSpecResource() {
    return "/expected-spec.json";
  }

  protected JsonNode expectedSpec() {
    try (InputStream in = getClass().getResourceAsStream(expectedSpecResource())) {
      assertThat(in).as("snapshot " + expectedSpecResource()).isNotNull();
      return ConnectorProcess.JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fields the destination's spec requires, in the spec's order. */
  protected List<String> requiredFields() {
    List<String> fields = new ArrayList<>();
    expectedSpec().path("spec").path("connectionSpecification").path("required").forEach(f -> fields.add(f.asText()));
    assertThat(fields).as("required fields of the spec").isNotEmpty();
    return fields;
  }

  /** The test's own database, opened on first use after the last run. */
  protected DatabaseReader db() {
    if (database == null) {
      C config = destination().bindConfig(configJson(MAIN));
      try {
        database = target().openDatabase(config);
      } catch (Exception e) {
        throw new IllegalStateException("Cannot open the test's database", e);
      }
    }
    return new DatabaseReader(database);
  }

  @AfterEach
  void closeTheDatabase() {
    if (database != null) {
      try (TestDatabase closing = database) {
        database = null;
      } catch (Exception e) {
        throw new IllegalStateException("Cannot close the test's database", e);
      }
    }
  }
}
