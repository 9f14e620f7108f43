package io.destkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataChannelTest {
  @Test
  void noVariablesIsStandardInputAsJsonLines() {
    assertThat(DataChannel.fromEnvironment(Map.of())).isEqualTo(DataChannel.STDIO);
    assertThat(DataChannel.fromEnvironment(Map.of(DataChannel.MEDIUM, " ", DataChannel.FORMAT, ""))).isEqualTo(DataChannel.STDIO);
  }

  @Test
  void socketsAreListedInOrderWhateverTheCaseOfTheValues() {
    DataChannel channel = DataChannel.fromEnvironment(Map.of(DataChannel.MEDIUM, "socket", DataChannel.FORMAT, "PROTOBUF",
        DataChannel.SOCKET_PATHS, "/var/run/sockets/airbyte_socket_1.sock, /var/run/sockets/airbyte_socket_2.sock,"));

    assertThat(channel.medium()).isEqualTo(DataChannel.Medium.SOCKET);
    assertThat(channel.format()).isEqualTo(DataChannel.Format.PROTOBUF);
    assertThat(channel.socketPaths()).containsExactly(
        Path.of("/var/run/sockets/airbyte_socket_1.sock"), Path.of("/var/run/sockets/airbyte_socket_2.sock"));
  }

  @Test
  void impossibleOrUnknownValuesNameTheVariable() {
    assertThatThrownBy(() -> DataChannel.fromEnvironment(Map.of(DataChannel.MEDIUM, "PIGEON")))
        .hasMessageContaining("DATA_CHANNEL_MEDIUM is 'PIGEON'").hasMessageContaining("STDIO, SOCKET");
    assertThatThrownBy(() -> DataChannel.fromEnvironment(Map.of(DataChannel.MEDIUM, "SOCKET")))
        .hasMessageContaining("DATA_CHANNEL_SOCKET_PATHS lists no socket path");
    assertThatThrownBy(() -> DataChannel.fromEnvironment(Map.of(DataChannel.FORMAT, "PROTOBUF")))
        .hasMessageContaining("DATA_CHANNEL_FORMAT is PROTOBUF");
    assertThatThrownBy(() -> new DataChannel(DataChannel.Medium.SOCKET, DataChannel.Format.JSONL, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
