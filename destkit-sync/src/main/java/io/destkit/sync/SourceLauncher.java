package io.destkit.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts a source's operation ({@code spec}, {@code check}, {@code discover}, {@code read}) as a
 * child process: a command line run by {@code /bin/sh}, or a container image run with podman or
 * docker. The operation's files (config, catalog, state) are written into a private folder first:
 * for a command their absolute paths are passed; for an image the folder is mounted read-only at
 * {@code /config}, the working directory, and the files take the names the platform gives them.
 */
abstract class SourceLauncher {
  /** A file an operation takes: its option (e.g. {@code --config}), the platform's file name, its text. */
  record InputFile(String option, String platformName, String text) {}

  /** The folder the files of one operation are written to. */
  private final Path workDir;

  SourceLauncher(Path workDir) {
    this.workDir = workDir;
  }

  /** What the user named the source by, for messages. */
  abstract String describe();

  /** The command line that runs {@code verb} with {@code arguments} (option, path pairs already made). */
  abstract List<String> commandLine(String verb, List<String> arguments, Path folder);

  /** How a file of the operation is named on the source's command line. */
  abstract String pathInSource(Path folder, InputFile file);

  /** Starts the operation; stdout and stderr are pipes for the caller to read. */
  Process start(String verb, List<InputFile> files) throws IOException {
    Path folder = Files.createDirectories(workDir.resolve(verb + "-" + UUID.randomUUID()));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> arguments = new ArrayList<>();
    for (InputFile file : files) {
      Path path = folder.resolve(file.platformName());
      Files.writeString(path, file.text());
      // A container's user may be another id: the files are readable by all, in a folder only we write.
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
      arguments.add(file.option());
      arguments.add(pathInSource(folder, file));
    }
    ProcessBuilder builder = new ProcessBuilder(commandLine(verb, arguments, folder));
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }

  /** A source run from a command line, e.g. {@code node main.js} or {@code python -m source_x}. */
  static final class Command extends SourceLauncher {
    private final String command;

    Command(String command, Path workDir) {
      super(workDir);
      this.command = command;
    }

    @Override
    String describe() {
      return "source command '" + command + "'";
    }

    @Override
    List<String> commandLine(String verb, List<String> arguments, Path folder) {
      List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", "exec " + command + " \"$@\"", "source", verb));
      line.addAll(arguments);
      return line;
    }

    @Override
    String pathInSource(Path folder, InputFile file) {
      return folder.resolve(file.platformName()).toAbsolutePath().toString();
    }
  }

  /** A source run from a container image, with its files mounted the way the platform mounts them. */
  static final class Image extends SourceLauncher {
    /** Where the platform mounts a connector's files, also its working directory. */
    static final String CONFIG_DIR = "/config";
    private final String image;
    private final List<String> runtime;
    private final Map<String, String> environment = new LinkedHashMap<>();

    Image(String image, List<String> runtime, Path workDir) {
      super(workDir);
      this.image = image;
      this.runtime = List.copyOf(runtime);
    }

    @Override
    String describe() {
      return "source image " + image;
    }

    @Override
    List<String> commandLine(String verb, List<String> arguments, Path folder) {
      List<String> line = new ArrayList<>(runtime);
      line.addAll(List.of("run", "--rm", "-i", "--network", "host",
          "-v", folder.toAbsolutePath() + ":" + CONFIG_DIR + ":ro", "-w", CONFIG_DIR));
      environment.forEach((name, value) -> line.addAll(List.of("-e", name + "=" + value)));
      line.add(image);
      line.add(verb);
      line.addAll(arguments);
      return line;
    }

    @Override
    String pathInSource(Path folder, InputFile file) {
      return file.platformName();
    }
  }
}
