package io.destkit.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Properties;
import javax.net.SocketFactory;

/**
 * The sockets of connections through an SSH tunnel (pgjdbc's {@code socketFactory}): whatever
 * address pgjdbc connects to (the database's host and port, which the JDBC URL names), the socket
 * connects to the tunnel's local end, given in the connection property {@value #LOCAL_END} as
 * {@code host:port}. So pgjdbc still knows the database by its own name: {@code verify-full}
 * checks the server's certificate against {@code host}, not against the loopback address. The
 * sockets have {@link KeepAliveSocketFactory}'s keep-alive probes.
 */
public final class TunnelSocketFactory extends SocketFactory {
  /** The connection property that holds the tunnel's local end. */
  static final String LOCAL_END = "destkitTunnelLocalEnd";

  private final InetSocketAddress localEnd;

  /** pgjdbc passes the connection's properties. */
  public TunnelSocketFactory(Properties properties) {
    String end = properties.getProperty(LOCAL_END);
    int colon = end == null ? -1 : end.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("the connection property " + LOCAL_END + " must be host:port, not " + end);
    }
    this.localEnd = new InetSocketAddress(end.substring(0, colon), Integer.parseInt(end.substring(colon + 1)));
  }

  @Override
  public Socket createSocket() throws IOException {
    return KeepAliveSocketFactory.keepAlive(new LocalEndSocket(localEnd));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected();
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return connected();
  }

  private Socket connected() throws IOException {
    Socket socket = createSocket();
    try {
      socket.connect(localEnd);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A socket that connects to the tunnel's local end whatever address it is given. */
  private static final class LocalEndSocket extends Socket {
    private final InetSocketAddress localEnd;

    LocalEndSocket(InetSocketAddress localEnd) {
      this.localEnd = localEnd;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
      super.connect(localEnd);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      super.connect(localEnd, timeout);
    }
  }
}
