package io.destkit.testkit.socket;

import io.destkit.protocol.DataChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A separate process standing in for a spawned destination: reads the data channel from its
 * environment as a connector does, reads every socket to EOF (never stdin), and prints one line per
 * socket: its byte count and SHA-256.
 */
public final class SocketReaderProcess {
  private SocketReaderProcess() {}

  public static void main(String[] args) throws Exception {
    DataChannel channel = DataChannel.fromEnvironment(System.getenv());
    for (Path path : channel.socketPaths()) {
      byte[] bytes = SocketClient.readAll(path);
      System.out.println(channel.format() + " " + bytes.length + " "
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }
  }
}
