package dev.weft.cli.circulant;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft circulant}: block-circulant layers (CirCNN, E-RNN): kernels and training. */
@Command(
    name = "circulant",
    mixinStandardHelpOptions = true,
    description = {
      "Block-circulant layers (CirCNN, E-RNN): each k x k weight block is one vector, products"
          + " use FFTs."
    },
    subcommands = {
      CirculantBenchCommand.class,
      CirculantTrainCommand.class,
      CirculantCompressCommand.class
    })
public final class CirculantCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
