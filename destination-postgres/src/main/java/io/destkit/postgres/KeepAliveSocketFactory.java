package io.destkit.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * The sockets of the connector's connections (pgjdbc's {@code socketFactory}): TCP keepalive probes
 * after {@value #IDLE_SECONDS} s of silence, every {@value #INTERVAL_SECONDS} s, and the connection
 * is dropped after {@value #COUNT} unanswered ones. A server that vanished (a dead host, a dropped
 * network) is thus noticed within about two minutes, where the system's defaults wait hours; a
 * server busy with a long statement answers the probes, so its statement is never cut short.
 * Options the platform lacks are left at its defaults.
 */
public final class KeepAliveSocketFactory extends SocketFactory {
  static final int IDLE_SECONDS = 60;
  static final int INTERVAL_SECONDS = 10;
  static final int COUNT = 6;

  @Override
  public Socket createSocket() throws IOException {
    return keepAlive(new Socket());
  }

  /** {@code socket}, its keep-alive probes set as this factory sets them. */
  static Socket keepAlive(Socket socket) throws IOException {
    socket.setKeepAlive(true);
    setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPIDLE, IDLE_SECONDS);
    setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, INTERVAL_SECONDS);
    setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, COUNT);
    return socket;
  }

  private static void setIfSupported(Socket socket, SocketOption<Integer> option, int value) throws IOException {
    if (socket.supportedOptions().contains(option)) {
      socket.setOption(option, value);
    }
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  /** A socket of this factory connected to {@code remote}, from {@code local} unless that is null. */
  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
