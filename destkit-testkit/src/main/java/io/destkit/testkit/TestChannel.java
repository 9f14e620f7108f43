package io.destkit.testkit;

import io.destkit.protocol.DataChannel;

/**
 * The data channel a suite's syncs use: standard input ({@link #STDIO}), or a number of sockets the
 * testkit's {@link io.destkit.testkit.socket.SocketSource} serves, as JSONL or protobuf, with the
 * input's records dealt into partitions over them as the platform's source deals them.
 */
public record TestChannel(DataChannel.Format format, int sockets) {
  /** Standard input, as JSON lines. */
  public static final TestChannel STDIO = new TestChannel(DataChannel.Format.JSONL, 0);

  public TestChannel {
    if (sockets < 0) {
      throw new IllegalArgumentException("sockets must not be negative: " + sockets);
    }
  }

  /** {@code sockets} sockets carrying {@code format}. */
  public static TestChannel sockets(DataChannel.Format format, int sockets) {
    if (sockets < 1) {
      throw new IllegalArgumentException("A socket channel has at least one socket: " + sockets);
    }
    return new TestChannel(format, sockets);
  }

  public boolean isStdio() {
    return sockets == 0;
  }

  @Override
  public String toString() {
    return isStdio() ? "STDIO" : "SOCKET x" + sockets + " " + format;
  }
}
