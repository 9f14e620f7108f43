package io.destkit.iceberg;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * Iceberg's file access on the local file system, through java.nio: no Hadoop file system. A
 * location is {@code file:/abs/path}, {@code file:///abs/path} or an absolute path. A new file is
 * created only when missing ({@link OutputFile#create()}), as Iceberg's commits expect of metadata
 * files; it is forced to disk when closed, so a commit never points at a file still in the page cache.
 */
public final class LocalFileIO implements FileIO {
  private static final String SCHEME = "file:";

  /** The location of a local path, as Iceberg writes them: {@code file:/abs/path}. */
  public static String location(Path path) {
    return SCHEME + path.toAbsolutePath().normalize();
  }

  /** The local path of a location. */
  public static Path path(String location) {
    String path = location;
    if (path.startsWith(SCHEME)) {
      path = path.substring(SCHEME.length());
      if (path.startsWith("//")) {
        path = path.substring(2);
      }
    }
    return Path.of(path);
  }

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInputFile(location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutputFile(location);
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(path(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + location, e);
    }
  }

  private record LocalInputFile(String location) implements InputFile {
    @Override
    public long getLength() {
      try {
        return Files.size(path(location));
      } catch (NoSuchFileException e) {
        throw new NotFoundException(e, "File does not exist: %s", location);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the size of " + location, e);
      }
    }

    @Override
    public SeekableInputStream newStream() {
      try {
        return new ChannelInputStream(FileChannel.open(path(location), StandardOpenOption.READ));
      } catch (NoSuchFileException e) {
        throw new NotFoundException(e, "File does not exist: %s", location);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot open " + location, e);
      }
    }

    @Override
    public boolean exists() {
      return Files.exists(path(location));
    }
  }

  private record LocalOutputFile(String location) implements OutputFile {
    @Override
    public PositionOutputStream create() {
      return open(StandardOpenOption.CREATE_NEW);
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private PositionOutputStream open(StandardOpenOption... options) {
      Path path = path(location);
      try {
        Files.createDirectories(path.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(path, withWrite(options));
        return new ChannelOutputStream(channel);
      } catch (FileAlreadyExistsException e) {
        throw new AlreadyExistsException(e, "File already exists: %s", location);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create " + location, e);
      }
    }

    private static StandardOpenOption[] withWrite(StandardOpenOption[] options) {
      StandardOpenOption[] all = Arrays.copyOf(options, options.length + 1);
      all[options.length] = StandardOpenOption.WRITE;
      return all;
    }

    @Override
    public InputFile toInputFile() {
      return new LocalInputFile(location);
    }
  }

  private static final class ChannelInputStream extends SeekableInputStream {
    private final FileChannel channel;

    ChannelInputStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long getPos() throws IOException {
      return channel.position();
    }

    @Override
    public void seek(long newPos) throws IOException {
      channel.position(newPos);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int read = read(one, 0, 1);
      return read < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      return channel.read(ByteBuffer.wrap(buffer, offset, length));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private static final class ChannelOutputStream extends PositionOutputStream {
    private final FileChannel channel;
    private final OutputStream out;
    private long position;

    ChannelOutputStream(FileChannel channel) {
      this.channel = channel;
      this.out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      out.write(buffer, offset, length);
      position += length;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!channel.isOpen()) {
        return;
      }
      try (channel) {
        out.flush();
        channel.force(true);
      }
    }
  }
}
