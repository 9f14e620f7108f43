package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.destkit.protocol.MessageType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A destination's {@code metadata.yaml} (as Airbyte's platform and connector registry read it) and
 * its {@code Dockerfile} agree with each other, with the Maven build and with the spec the
 * destination prints. The module's folder and the project version come from the build (system
 * properties {@code destkit.module.dir} and {@code destkit.project.version}, set by surefire).
 */
public abstract class ConnectorMetadataSuite<C> extends DestinationSuite<C> {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Airbyte's base images are pinned by tag and digest. */
  private static final Pattern PINNED_BASE =
      Pattern.compile("docker\\.io/airbyte/java-connector-base:\\d+\\.\\d+\\.\\d+@sha256:[0-9a-f]{64}");
  private static final Set<String> ROOT = Set.of("root", "0", "0:0", "root:root");

  /** The definition id of Airbyte's own destination for this database: ours must differ from it. */
  protected abstract String airbyteDefinitionId();

  /**
   * The {@code connectorSubtype} Airbyte's registry files this kind of destination under: {@code
   * database} by default, {@code file} for files in a warehouse or a bucket.
   */
  protected String connectorSubtype() {
    return "database";
  }

  private static Path moduleDir() {
    return Path.of(requiredProperty("destkit.module.dir"));
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      fail("System property " + name + " is not set: the module's surefire configuration sets it from the build.");
    }
    return value;
  }

  private static JsonNode metadata() {
    try {
      return YAML.readTree(moduleDir().resolve("metadata.yaml").toFile());
    } catch (IOException e) {
      throw new AssertionError("metadata.yaml cannot be read: " + e.getMessage(), e);
    }
  }

  private static JsonNode data() {
    return metadata().path("data");
  }

  private static String dockerfile() {
    try {
      return Files.readString(moduleDir().resolve("Dockerfile"));
    } catch (IOException e) {
      throw new AssertionError("Dockerfile cannot be read: " + e.getMessage(), e);
    }
  }

  /** The one value the Dockerfile gives with {@code instruction} (e.g. {@code LABEL io.airbyte.name=}). */
  private static String dockerfileValue(String instruction) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(instruction) + "\"?([^\"\\s]+)\"?\\s*$").matcher(dockerfile());
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    assertThat(found).as("values of `%s` in the Dockerfile", instruction).hasSize(1);
    return found.get(0);
  }

  private static String text(String path) {
    JsonNode node = data().at(path);
    assertThat(node.isTextual() && !node.asText().isBlank()).as("data%s in metadata.yaml: %s", path, node).isTrue();
    return node.asText();
  }

  private JsonNode printedSpec() {
    ConnectorRun run = ConnectorRun.spec(destination());
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
    return run.single(MessageType.SPEC).json().path("spec");
  }

  @Test
  void everyFieldThePlatformAndTheRegistryReadIsPresent() {
    assertThat(metadata().path("metadataSpecVersion").asText()).isEqualTo("1.0");
    for (String field : List.of("/name", "/definitionId", "/dockerRepository", "/dockerImageTag", "/license",
        "/documentationUrl", "/githubIssueLabel", "/connectorBuildOptions/baseImage")) {
      text(field);
    }
    assertThat(text("/connectorType")).isEqualTo("destination");
    assertThat(text("/connectorSubtype")).isEqualTo(connectorSubtype());
    assertThat(text("/releaseStage")).isIn("alpha", "beta", "generally_available", "custom");
    assertThat(text("/supportLevel")).isIn("community", "certified", "archived");
    assertThat(data().path("tags").isArray()).as("tags").isTrue();
    assertThat(data().path("tags").toString()).contains("\"language:java\"");
    for (String registry : List.of("oss", "cloud")) {
      assertThat(data().path("registryOverrides").path(registry).path("enabled").isBoolean())
          .as("registryOverrides.%s.enabled", registry).isTrue();
    }
    JsonNode suites = data().path("connectorTestSuitesOptions");
    assertThat(suites.isArray() && !suites.isEmpty()).as("connectorTestSuitesOptions").isTrue();
    for (JsonNode suite : suites) {
      assertThat(suite.path("suite").asText()).isIn("unitTests", "integrationTests", "acceptanceTests", "liveTests");
    }
  }

  @Test
  void definitionIdIsAFixedUuidOfOurOwn() {
    UUID id = UUID.fromString(text("/definitionId"));
    assertThat(id.toString()).isEqualTo(text("/definitionId").toLowerCase());
    assertThat(id).isNotEqualTo(UUID.fromString(airbyteDefinitionId()));
  }

  /** The image of a build is tagged with that build's version, snapshot suffix included. */
  @Test
  void theImageTagIsTheProjectVersion() {
    assertThat(text("/dockerImageTag")).isEqualTo(requiredProperty("destkit.project.version"));
  }

  @Test
  void theBaseImageIsTheDockerfilesDefaultPinnedByTagAndDigest() {
    String base = text("/connectorBuildOptions/baseImage");
    assertThat(base).matches(PINNED_BASE);
    assertThat(dockerfileValue("ARG BASE_IMAGE=")).isEqualTo(base);
    assertThat(dockerfile()).containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}\\s*$");
  }

  @Test
  void theRepositoryAndTagAreTheImagesLabels() {
    assertThat(dockerfileValue("LABEL io.airbyte.name=")).isEqualTo(text("/dockerRepository"));
    assertThat(dockerfileValue("LABEL io.airbyte.version=")).isEqualTo(text("/dockerImageTag"));
  }

  @Test
  void theImageRunsThisDestinationsShadedJar() {
    String name = destination().name();
    assertThat(dockerfileValue("ENV APPLICATION=")).isEqualTo(name);
    assertThat(text("/dockerRepository")).endsWith("/" + name);
    assertThat(text("/githubIssueLabel")).isEqualTo(name);
    assertThat(dockerfile()).containsPattern(
        "(?m)^COPY .*\\Q" + name + "/target/" + name + ".jar /airbyte/lib/" + name + ".jar\\E\\s*$");
  }

  /** The platform runs AIRBYTE_ENTRYPOINT with the bare command words; the image's ENTRYPOINT is the same. */
  @Test
  void theEntrypointIsAirbyteEntrypointAndRunsAsAUserOtherThanRoot() {
    String entrypoint = dockerfileValue("ENV AIRBYTE_ENTRYPOINT=");
    assertThat(entrypoint).startsWith("/airbyte/");
    assertThat(dockerfile()).containsPattern("(?m)^ENTRYPOINT \\[\"\\Q" + entrypoint + "\\E\"]\\s*$");
    assertThat(dockerfileValue("USER ")).isNotIn(ROOT);
  }

  /** The heap follows the container's memory limit through the JVM's own ergonomics, never a fixed size. */
  @Test
  void theJvmSizesTheHeapFromTheContainersMemory() {
    Matcher m = Pattern.compile("(?m)^ENV DESTKIT_JVM_DEFAULTS=\"([^\"]*)\"\\s*$").matcher(dockerfile());
    assertThat(m.find()).as("ENV DESTKIT_JVM_DEFAULTS in the Dockerfile").isTrue();
    String options = m.group(1);
    assertThat(options).containsPattern("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?");
    assertThat(options).doesNotContain("-Xmx", "-Xms", "-XX:MaxHeapSize");
  }

  @Test
  void theDocumentationUrlIsTheSpecs() {
    assertThat(text("/documentationUrl")).isEqualTo(printedSpec().path("documentationUrl").asText());
  }

  /**
   * metadata.yaml has no list of sync modes (the registry takes them from the image's spec); what it
   * says about them is supportsRefreshes, which needs the overwrite mode (a refresh is a truncate sync).
   */
  @Test
  void supportsRefreshesAgreesWithTheSyncModesOfTheSpec() {
    List<String> printed = new ArrayList<>();
    printedSpec().path("supported_destination_sync_modes").forEach(mode -> printed.add(mode.asText()));
    assertThat(printed).containsExactlyElementsOf(destination().supportedSyncModes());
    assertThat(data().path("supportsRefreshes").isBoolean()).as("supportsRefreshes").isTrue();
    assertThat(data().path("supportsRefreshes").asBoolean()).isEqualTo(printed.contains("overwrite"));
  }

  /**
   * The runner reads both data channels (stdin, and the platform's sockets as JSONL or protobuf),
   * and the platform offers sockets only when both connectors declare the same version, 0.0.2.
   */
  @Test
  void bothDataChannelsAreOfferedWithThePlatformsVersion() {
    JsonNode channel = data().path("connectorIPCOptions").path("dataChannel");
    assertThat(channel.path("version").asText()).as("connectorIPCOptions.dataChannel.version").isEqualTo("0.0.2");
    assertThat(channel.path("supportedSerialization").toString()).isEqualTo("[\"JSONL\",\"PROTOBUF\"]");
    assertThat(channel.path("supportedTransport").toString()).isEqualTo("[\"SOCKET\",\"STDIO\"]");
  }
}
