package dev.weft.cli;

import dev.weft.protos.v1.SamplingOptions;
import dev.weft.scheduler.SamplingParams;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/** The sampling flags of {@code generate}, shared by {@code client} and {@code demo}. */
final class SamplingFlags {

  @Option(
      names = "--max-tokens",
      defaultValue = "256",
      description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "Top-k filter; 0 disables it.")
  int topK;

  @Option(names = "--top-p", defaultValue = "1.0", description = "Top-p (nucleus) filter.")
  double topP;

  @Option(names = "--min-p", defaultValue = "0", description = "Min-p filter; 0 disables it.")
  double minP;

  @Option(
      names = "--repetition-penalty",
      defaultValue = "1.0",
      description = "Penalty on tokens already in the prompt or output; 1 disables it.")
  double repetitionPenalty;

  @Option(
      names = "--frequency-penalty",
      defaultValue = "0",
      description = "Subtracted per earlier occurrence of a token; 0 disables it.")
  double frequencyPenalty;

  @Option(
      names = "--seed",
      description = "Seed of the sampling stream (default: random, printed in the summary).")
  Long seed;

  /** The given seed, or a random one (printed so that a run can be repeated). */
  long seedOrRandom() {
    return seed != null ? seed : ThreadLocalRandom.current().nextLong();
  }

  /** Validated parameters (an invalid value is an IllegalArgumentException naming it). */
  SamplingParams params(long actualSeed) {
    return new SamplingParams(
        temperature,
        topK,
        topP,
        minP,
        repetitionPenalty,
        frequencyPenalty,
        actualSeed,
        maxTokens,
        Set.of());
  }

  /** The same values for a Generate call (checked here first, so errors read as for generate). */
  SamplingOptions toProto(long actualSeed) {
    params(actualSeed);
    return SamplingOptions.newBuilder()
        .setTemperature(temperature)
        .setTopK(topK)
        .setTopP(topP)
        .setMinP(minP)
        .setRepetitionPenalty(repetitionPenalty)
        .setFrequencyPenalty(frequencyPenalty)
        .setSeed(actualSeed)
        .build();
  }
}
