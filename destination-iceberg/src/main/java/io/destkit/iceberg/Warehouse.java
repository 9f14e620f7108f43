package io.destkit.iceberg;

import io.destkit.core.ConfigErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.io.FileIO;

/**
 * Where the tables' data and metadata files go: a local directory or an S3 bucket. Each kind opens
 * its own {@link FileIO} and checks, before a catalog is used, that it can be written.
 */
sealed interface Warehouse permits Warehouse.Local, S3Warehouse {
  /** The warehouse as Iceberg locations start, without a trailing slash. */
  String location();

  /** A new file access for one catalog; closed with it. */
  FileIO openFileIO();

  /**
   * Makes sure the warehouse can be written: creates a local directory when missing, or finds the
   * bucket with the credentials given.
   *
   * @throws ConfigErrorException naming the field to fix
   */
  void prepare();

  /** A directory of the local file system. */
  record Local(Path directory) implements Warehouse {
    @Override
    public String location() {
      return LocalFileIO.location(directory);
    }

    @Override
    public FileIO openFileIO() {
      return new LocalFileIO();
    }

    @Override
    public void prepare() {
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new ConfigErrorException(
            "warehouse_location '" + directory + "' cannot be created as a directory (" + e.getClass().getSimpleName()
                + ": " + e.getMessage() + "). Check the field 'warehouse_location': it must be a directory this user"
                + " may write, or a path where one can be created.", e);
      }
      if (!Files.isWritable(directory)) {
        throw new ConfigErrorException(
            "warehouse_location '" + directory + "' is not writable by this user. Check the field"
                + " 'warehouse_location' or the directory's permissions.");
      }
    }
  }
}
