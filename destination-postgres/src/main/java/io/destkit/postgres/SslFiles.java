package io.destkit.postgres;

import io.destkit.core.ConfigErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pgjdbc SSL properties of an {@link SslMode}. pgjdbc reads certificates and keys from files,
 * so the PEM text of the config goes to a temp folder only the owner can read (pgjdbc refuses a
 * key file others can read), deleted when closed and at the latest when the JVM exits.
 */
final class SslFiles implements AutoCloseable {
  private final Map<String, String> properties;
  private final List<Path> files;

  private SslFiles(Map<String, String> properties, List<Path> files) {
    this.properties = Map.copyOf(properties);
    this.files = List.copyOf(files);
  }

  /** Writes the mode's certificates, if any, and returns its pgjdbc properties. */
  static SslFiles write(SslMode mode) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("sslmode", mode.mode());
    if (mode instanceof SslMode.VerifyCa ca) {
      Path folder = createFolder();
      Path root = writeFile(folder, "root.crt", ca.caCertificate());
      properties.put("sslrootcert", root.toString());
      ca.clientKeyPassword().ifPresent(password -> properties.put("sslpassword", password));
      return new SslFiles(properties, List.of(root, folder));
    }
    if (mode instanceof SslMode.VerifyFull full) {
      Path folder = createFolder();
      Path root = writeFile(folder, "root.crt", full.caCertificate());
      Path cert = writeFile(folder, "client.crt", full.clientCertificate());
      Path key = writeFile(folder, "client.key", full.clientKey());
      properties.put("sslrootcert", root.toString());
      properties.put("sslcert", cert.toString());
      properties.put("sslkey", key.toString());
      full.clientKeyPassword().ifPresent(password -> properties.put("sslpassword", password));
      return new SslFiles(properties, List.of(root, cert, key, folder));
    }
    // disable, allow, prefer, require: no files.
    return new SslFiles(properties, List.of());
  }

  /** {@code sslmode} and, for the verifying modes, the paths of the certificate and key files. */
  Map<String, String> properties() {
    return properties;
  }

  /** Deletes the files (the folder last). */
  @Override
  public void close() {
    IOException failure = null;
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw new UncheckedIOException("cannot delete the SSL certificate files", failure);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static Path createFolder() {
    try {
      Path folder = posix()
          ? Files.createTempDirectory("destination-postgres-ssl",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
          : Files.createTempDirectory("destination-postgres-ssl");
      // deleteOnExit runs in reverse order of registration: the files registered later go first.
      folder.toFile().deleteOnExit();
      return folder;
    } catch (IOException e) {
      throw new ConfigErrorException(
          "Cannot create a temp folder for the SSL certificates of 'ssl_mode' (" + e.getMessage() + ")."
              + " Check that the temp folder (java.io.tmpdir) is writable.", e);
    }
  }

  private static Path writeFile(Path folder, String name, String pem) {
    Path file = folder.resolve(name);
    try {
      if (posix()) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      file.toFile().deleteOnExit();
      String text = pem.endsWith("\n") ? pem : pem + "\n";
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new ConfigErrorException(
          "Cannot write the SSL certificate file " + file + " (" + e.getMessage() + ").", e);
    }
  }
}
