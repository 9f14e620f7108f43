package io.destkit.postgres;

import io.destkit.core.ConfigErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The pgjdbc SSL properties of an {@link SslMode}. pgjdbc reads certificates and keys from files,
 * so the PEM text of the config goes to a temp folder only the owner can read (0700, files 0600;
 * pgjdbc refuses a key file others can read), deleted when closed and at the latest when the JVM
 * exits. A JVM killed with {@code kill -9} deletes nothing: the folder's name holds the process id,
 * and the next run deletes the folders of processes that no longer exist.
 */
final class SslFiles implements AutoCloseable {
  static final String FOLDER_PREFIX = "destination-postgres-ssl-";
  private static final Logger LOG = Logger.getLogger(SslFiles.class.getName());

  private final Map<String, String> properties;
  private final List<Path> files;

  private SslFiles(Map<String, String> properties, List<Path> files) {
    this.properties = Map.copyOf(properties);
    this.files = List.copyOf(files);
  }

  /** Writes the mode's certificates, if any, and returns its pgjdbc properties. */
  static SslFiles write(SslMode mode) {
    return write(mode, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** As {@link #write(SslMode)}, with the folder in {@code tempRoot}. */
  static SslFiles write(SslMode mode, Path tempRoot) {
    // Whatever this run's mode, the keys an earlier, killed run left behind go now.
    removeStaleFolders(tempRoot);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("sslmode", mode.mode());
    if (mode instanceof SslMode.VerifyCa ca) {
      Path folder = createFolder(tempRoot);
      Path root = writeFile(folder, "root.crt", ca.caCertificate());
      properties.put("sslrootcert", root.toString());
      ca.clientKeyPassword().ifPresent(password -> properties.put("sslpassword", password));
      return new SslFiles(properties, List.of(root, folder));
    }
    if (mode instanceof SslMode.VerifyFull full) {
      Path folder = createFolder(tempRoot);
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

  private static Path createFolder(Path tempRoot) {
    try {
      String prefix = FOLDER_PREFIX + ProcessHandle.current().pid() + "-";
      Path folder = posix()
          ? Files.createTempDirectory(tempRoot, prefix,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
          : Files.createTempDirectory(tempRoot, prefix);
      // deleteOnExit runs in reverse order of registration: the files registered later go first.
      folder.toFile().deleteOnExit();
      return folder;
    } catch (IOException e) {
      throw new ConfigErrorException(
          "Cannot create a temp folder for the SSL certificates of 'ssl_mode' (" + e.getMessage() + ")."
              + " Check that the temp folder (java.io.tmpdir) is writable.", e);
    }
  }

  /**
   * Deletes the folders of {@code tempRoot} that a connector process left behind: named with the id
   * of a process that no longer runs, and owned by this process's user. A folder that cannot be
   * deleted is reported on stderr (it only holds certificates of an old run).
   */
  static void removeStaleFolders(Path tempRoot) {
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(tempRoot, FOLDER_PREFIX + "*")) {
      UserPrincipal user = null;
      for (Path folder : folders) {
        if (user == null) {
          user = tempRoot.getFileSystem().getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name"));
        }
        OptionalLong pid = processIdOf(folder.getFileName().toString());
        if (pid.isEmpty()
            || ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)
            || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
            || !user.equals(Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS))) {
          continue;
        }
        try (Stream<Path> contents = Files.walk(folder)) {
          for (Path path : contents.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(path);
          }
        } catch (IOException | UncheckedIOException e) {
          LOG.warning("Cannot delete " + folder + ", left by an earlier run that was killed: " + e);
        }
      }
    } catch (IOException e) {
      LOG.warning("Cannot look for SSL folders of earlier runs in " + tempRoot + ": " + e);
    }
  }

  /** 1234 for {@code destination-postgres-ssl-1234-56789}; empty for any other name. */
  private static OptionalLong processIdOf(String name) {
    String rest = name.substring(FOLDER_PREFIX.length());
    int dash = rest.indexOf('-');
    if (dash <= 0) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(rest.substring(0, dash)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
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
