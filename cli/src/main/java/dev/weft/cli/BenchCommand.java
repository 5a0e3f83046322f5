package dev.weft.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft bench}: end-to-end benchmarks; each kind is a subcommand. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "End-to-end benchmarks.",
    subcommands = {BenchServeCommand.class})
final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
