package io.destkit.sync;

import io.destkit.core.operation.StderrLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code destkit}: the command line of the kit; {@code destkit sync} runs a source into a destination. */
@Command(
    name = "destkit",
    mixinStandardHelpOptions = true,
    subcommands = {SyncCommand.class},
    description = "DestKit's command line. Run 'destkit sync --help' for the sync.")
public final class DestkitCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  public static void main(String[] args) {
    StderrLogging.install();
    int code = new CommandLine(new DestkitCommand())
        .setOut(new java.io.PrintWriter(System.err, true))
        .execute(args);
    System.exit(code);
  }
}
