package dev.weft.cli;

import dev.weft.protos.v1.EmbedRequest;
import dev.weft.protos.v1.EmbedResponse;
import dev.weft.protos.v1.Embedding;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.InferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft client}: one Generate call to a running server, text streamed to stdout. */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = {
      "Stream a generation from a running weft server (weft serve).",
      "A gRPC error prints its status code and message and exits with 1."
    })
final class ClientCommand implements Callable<Integer> {

  /** Exit code of a call that ended with a gRPC error status. */
  static final int RPC_ERROR = 1;

  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      defaultValue = "localhost:50051",
      paramLabel = "HOST:PORT",
      description = "The server (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(
      names = "--prompt",
      defaultValue = "",
      description = "Prompt text (default: empty, start from BOS).")
  String prompt;

  @Mixin SamplingFlags sampling = new SamplingFlags();

  @Mixin ClientSecurityFlags security = new ClientSecurityFlags();

  @Option(names = "--min-tokens", defaultValue = "0", description = "Fewest tokens to generate.")
  int minTokens;

  @Option(names = "--ignore-eos", description = "Generate past the model's end-of-sequence token.")
  boolean ignoreEos;

  @Option(names = "--stop", description = "Stop string (repeatable); not printed.")
  List<String> stop = new ArrayList<>();

  @Option(names = "--priority", defaultValue = "0", description = "Lower is more urgent.")
  int priority;

  @Option(
      names = "--request-id",
      defaultValue = "",
      description = "Id for Abort (default: assigned).")
  String requestId;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description = "Deadline of the call in seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--embed",
      paramLabel = "TEXT",
      description =
          "Embed TEXT (repeatable) instead of generating: prints each vector as one line of"
              + " comma-separated values.")
  List<String> embed = new ArrayList<>();

  private Integer embed(ServerAddress address) throws InterruptedException {
    ManagedChannel channel = security.channel(address);
    try {
      EmbedResponse r =
          InferenceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
              .embed(EmbedRequest.newBuilder().addAllTexts(embed).build());
      for (Embedding e : r.getEmbeddingsList()) {
        StringBuilder line = new StringBuilder();
        for (int k = 0; k < e.getValuesCount(); k++) {
          line.append(k == 0 ? "" : ",").append(e.getValues(k));
        }
        System.out.println(line);
      }
      spec.commandLine()
          .getErr()
          .printf(
              "%s: %d vectors, %d tokens, %d truncated%n",
              r.getModel(), r.getEmbeddingsCount(), r.getPromptTokens(), r.getTruncatedTexts());
      return 0;
    } catch (StatusRuntimeException e) {
      spec.commandLine()
          .getErr()
          .println(
              "weft client: error: "
                  + e.getStatus().getCode()
                  + ": "
                  + e.getStatus().getDescription());
      return RPC_ERROR;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    ServerAddress address = ServerAddress.parse(server);
    if (!embed.isEmpty()) {
      return embed(address);
    }
    long seed = sampling.seedOrRandom();
    GenerateRequest request =
        GenerateRequest.newBuilder()
            .setRequestId(requestId)
            .setText(prompt)
            .setSampling(sampling.toProto(seed))
            .setMaxTokens(sampling.maxTokens)
            .setMinTokens(minTokens)
            .setIgnoreEos(ignoreEos)
            .addAllStop(stop)
            .setPriority(priority)
            .build();
    PrintWriter err = spec.commandLine().getErr();
    ManagedChannel channel = security.channel(address);
    try {
      StreamedGeneration result =
          StreamedGeneration.stream(
              channel, request, java.time.Duration.ofSeconds(timeoutSeconds), System.out);
      System.out.println();
      err.println(result.summary() + "; seed " + seed);
      return 0;
    } catch (StatusRuntimeException e) {
      System.out.println();
      err.println(
          "weft client: error: "
              + e.getStatus().getCode()
              + ": "
              + (e.getStatus().getDescription() != null
                  ? e.getStatus().getDescription()
                  : "(no message)")
              + (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
                  ? " (is weft serve running at " + address + "?)"
                  : ""));
      return RPC_ERROR;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
