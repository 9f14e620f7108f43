package io.destkit.testkit;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A suite that looks into the destination's database: the destination opens it, for a config, as a
 * {@link TestDatabase}.
 *
 * @param <C> the destination's typed config
 */
public abstract class DatabaseSuite<C> extends DestinationSuite<C> {

  /** Opens the database the config points at; the suite closes it. */
  protected final TestDatabase openDatabase(C config) throws Exception {
    return target().openDatabase(config);
  }

  /** A name no other test uses, so tests may share a database server. */
  protected static String uniqueName(String prefix) {
    return prefix + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }
}
