package io.destkit.testkit;

import io.destkit.sql.ConnectionSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections of a real database whose next commit, once {@linkplain #loseNextCommit armed},
 * commits and then fails as if the acknowledgement had been lost on the way back: the work is
 * durable, but its caller sees an error. What a retry must survive without applying the work twice.
 */
public final class LostAcknowledgements implements ConnectionSource {
  private final ConnectionSource database;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final AtomicInteger lost = new AtomicInteger();

  public LostAcknowledgements(ConnectionSource database) {
    this.database = database;
  }

  /** The failure a lost acknowledgement is reported as. */
  public static final class LostAcknowledgement extends SQLException {
    LostAcknowledgement() {
      super("The commit went through, but its acknowledgement was lost on the way back (injected by the test)");
    }
  }

  /** Whether a failure is (or wraps) the one this reports for a lost acknowledgement. */
  public static boolean isLostAcknowledgement(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof LostAcknowledgement) {
        return true;
      }
    }
    return false;
  }

  /** Makes the next commit, on whichever connection, succeed and then fail. */
  public void loseNextCommit() {
    armed.set(true);
  }

  /** How many commits succeeded but were reported as failed. */
  public int lost() {
    return lost.get();
  }

  @Override
  public Connection open() throws SQLException {
    Connection real = database.open();
    return (Connection) Proxy.newProxyInstance(
        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("commit") && armed.compareAndSet(true, false)) {
            lost.incrementAndGet();
            throw new LostAcknowledgement();
          }
          return result;
        });
  }
}
