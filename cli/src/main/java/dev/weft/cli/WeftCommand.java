package dev.weft.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code weft} command; every verb is a subcommand. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    version = "weft 0.1.0",
    description = "A Java runtime for large language models and the systems research around them.",
    subcommands = {
      GenerateCommand.class,
      ServeCommand.class,
      ClientCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      dev.weft.cli.model.ConvertCommand.class,
      dev.weft.cli.model.InitModelCommand.class,
      dev.weft.cli.graph.GraphCommand.class,
      dev.weft.cli.circulant.CirculantCommand.class,
      dev.weft.cli.train.TrainCommand.class,
      dev.weft.cli.plan.PlanCommand.class,
      dev.weft.cli.sim.ProfileCommand.class,
      dev.weft.cli.sim.SimulateCommand.class,
      dev.weft.cli.sim.ValidateCommand.class
    })
public final class WeftCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
