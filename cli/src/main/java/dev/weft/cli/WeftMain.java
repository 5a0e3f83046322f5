package dev.weft.cli;

import picocli.CommandLine;

/** Entry point of the {@code weft} command. */
public final class WeftMain {

  private WeftMain() {}

  public static void main(String[] args) {
    OfflineSettings.apply();
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; used by tests to avoid System.exit. */
  public static int run(String... args) {
    OfflineSettings.apply();
    CommandLine cli = new CommandLine(new WeftCommand());
    cli.setExecutionExceptionHandler(new UserErrorHandler());
    return cli.execute(args);
  }
}
