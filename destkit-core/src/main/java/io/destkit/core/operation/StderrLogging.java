package io.destkit.core.operation;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends the warnings of java.util.logging (pgjdbc's logger) to stderr, never to stdout (which
 * carries only protocol messages), as slf4j-simple does for slf4j (HikariCP; see {@code
 * simplelogger.properties}). Both write to {@link System#err} as it is at the time of each message,
 * so the runner's scrubbing of stderr covers them.
 */
public final class StderrLogging {
  private StderrLogging() {}

  /** Routes JUL records of level WARNING and above to stderr; call before any library logs. */
  public static void install() {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    root.addHandler(new CurrentStderrHandler());
  }

  /** One line per record on the current System.err: level, logger, message, and the exception if any. */
  static final class CurrentStderrHandler extends Handler {
    CurrentStderrHandler() {
      setLevel(Level.WARNING);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      String message = record.getMessage();
      if (record.getParameters() != null && message != null && message.contains("{")) {
        message = java.text.MessageFormat.format(message, record.getParameters());
      }
      PrintStream err = System.err;
      err.println("[" + record.getLevel() + "] " + record.getLoggerName() + " - " + message);
      if (record.getThrown() != null) {
        record.getThrown().printStackTrace(err);
      }
    }

    @Override
    public void flush() {
      System.err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
