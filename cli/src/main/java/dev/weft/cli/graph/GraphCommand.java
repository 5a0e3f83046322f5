package dev.weft.cli.graph;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft graph}: GraphR's graph kernels on any registered backend. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = {
      "Graph kernels as semiring SpMV programs (GraphR) on a chosen backend.",
      "Prints a summary, the time and a 'checksum:' line that is identical across backends."
    },
    subcommands = {
      GraphVerbs.PageRank.class,
      GraphVerbs.Spmv.class,
      GraphVerbs.Bfs.class,
      GraphVerbs.Sssp.class,
      GraphVerbs.Cf.class,
      GraphVerbs.Cc.class,
      GraphExportCommand.class
    })
public final class GraphCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
