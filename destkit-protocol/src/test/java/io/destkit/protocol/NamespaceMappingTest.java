package io.destkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespaceMappingTest {
  @TempDir Path dir;

  private NamespaceMapping file(String json) throws IOException {
    Path file = dir.resolve("mapping.json");
    Files.writeString(file, json);
    return NamespaceMapping.fromEnvironment(Map.of(NamespaceMapping.PATH_VARIABLE, file.toString())).orElseThrow();
  }

  @Test
  void sourceKeepsTheNamespaceAndPrefixesTheName() throws IOException {
    NamespaceMapping mapping = file("{\"namespaceDefinitionType\":\"source\",\"streamPrefix\":\"raw_\"}");

    assertThat(mapping.apply(new StreamDescriptor("public", "users"))).isEqualTo(new StreamDescriptor("public", "raw_users"));
    assertThat(mapping.apply(new StreamDescriptor(null, "users"))).isEqualTo(new StreamDescriptor(null, "raw_users"));
  }

  @Test
  void destinationDropsTheNamespaceSoTheDestinationsDefaultApplies() throws IOException {
    NamespaceMapping mapping = file("{\"namespaceDefinitionType\":\"destination\",\"namespaceFormat\":null}");

    assertThat(mapping.apply(new StreamDescriptor("public", "users"))).isEqualTo(new StreamDescriptor(null, "users"));
  }

  @Test
  void aCustomFormatPutsTheSourceNamespaceInAndABlankResultIsTheDefault() throws IOException {
    NamespaceMapping mapping =
        file("{\"namespaceDefinitionType\":\"customformat\",\"namespaceFormat\":\"airbyte_${SOURCE_NAMESPACE}\"}");
    NamespaceMapping onlySource =
        file("{\"namespaceDefinitionType\":\"customformat\",\"namespaceFormat\":\"${SOURCE_NAMESPACE}\"}");

    assertThat(mapping.apply(new StreamDescriptor("crm", "users"))).isEqualTo(new StreamDescriptor("airbyte_crm", "users"));
    assertThat(mapping.apply(new StreamDescriptor(null, "users"))).isEqualTo(new StreamDescriptor("airbyte_", "users"));
    assertThat(onlySource.apply(new StreamDescriptor(null, "users"))).isEqualTo(new StreamDescriptor(null, "users"));
  }

  @Test
  void noVariableMeansNoMapping() {
    assertThat(NamespaceMapping.fromEnvironment(Map.of())).isEmpty();
    assertThat(NamespaceMapping.fromEnvironment(Map.of(NamespaceMapping.PATH_VARIABLE, " "))).isEmpty();
  }

  @Test
  void aBadFileIsAnErrorNamingTheFileAndTheField() throws IOException {
    assertThatThrownBy(() -> file("{\"namespaceDefinitionType\":\"mirror\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mapping.json").hasMessageContaining("'mirror'");
    assertThatThrownBy(() -> file("{\"streamPrefix\":\"x_\"}"))
        .hasMessageContaining("no namespaceDefinitionType");
    assertThatThrownBy(() -> file("{\"namespaceDefinitionType\":\"source\",\"streamPrefix\":3}"))
        .hasMessageContaining("streamPrefix");
    assertThatThrownBy(() -> file("not json"))
        .hasMessageContaining(NamespaceMapping.PATH_VARIABLE);
    assertThatThrownBy(() -> NamespaceMapping.read(dir.resolve("missing.json")))
        .hasMessageContaining("missing.json");
  }
}
