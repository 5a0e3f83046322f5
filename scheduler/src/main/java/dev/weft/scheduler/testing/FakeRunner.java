package dev.weft.scheduler.testing;

import dev.weft.scheduler.BlockCopy;
import dev.weft.scheduler.CacheConfig;
import dev.weft.scheduler.FinishReason;
import dev.weft.scheduler.ImmutableIntList;
import dev.weft.scheduler.Request;
import dev.weft.scheduler.Runner;
import dev.weft.scheduler.RunnerResult;
import dev.weft.scheduler.SamplingParams;
import dev.weft.scheduler.ScheduledSequence;
import dev.weft.scheduler.StepPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A runner without a model that still behaves like one where the scheduler can get it wrong.
 *
 * <p>It keeps a simulated KV cache, one {@code long} per slot on the device and in the host store.
 * The "KV" of the token at position p is a hash of the KV at p-1, read through the block table, and
 * of the token itself, so it stands for the whole prefix, as a transformer's does. A sampled token
 * is a hash of the last position's KV and the request's seed. So a block table pointing at a wrong
 * block, a prefix-cache hit on the wrong prefix, a block reused while still in use or a botched
 * swap changes the tokens a request receives, and {@link #reference} gives the tokens a request
 * must receive whatever the scheduling. It checks the plan's slot mapping against its block table
 * and throws on a contract violation. With a {@link FakeClock} it also advances time by a simple
 * cost: per step, per token and the plan's modelled swap cost.
 */
public final class FakeRunner implements Runner {
  private static final long UNWRITTEN = 0x5eed_dead_beefL;
  private static final long START = 0x243f6a8885a308d3L;

  /**
   * @param vocabulary tokens are sampled from {@code [0, vocabulary)}
   * @param endOfSequenceToken the sampled token that the runner flags as end of sequence; -1 none
   * @param nanosPerStep clock advance per executed step
   * @param nanosPerToken clock advance per computed token
   */
  public record Settings(
      int vocabulary, int endOfSequenceToken, long nanosPerStep, long nanosPerToken) {
    public static final Settings DEFAULT = new Settings(64, -1, 1_000_000, 10_000);

    public Settings {
      if (vocabulary < 1 || nanosPerStep < 0 || nanosPerToken < 0) {
        throw new IllegalArgumentException("invalid fake runner settings");
      }
    }

    public Settings withEndOfSequence(int token) {
      return new Settings(vocabulary, token, nanosPerStep, nanosPerToken);
    }

    public Settings withVocabulary(int size) {
      return new Settings(size, endOfSequenceToken, nanosPerStep, nanosPerToken);
    }
  }

  /** What a request must receive: its tokens and why it stops. */
  public record Expected(ImmutableIntList tokens, FinishReason reason) {}

  private final int blockSize;
  private final long[] device;
  private final long[] host;
  private final FakeClock clock;
  private final Settings settings;
  private long stepsExecuted;

  public FakeRunner(CacheConfig cache, FakeClock clock, Settings settings) {
    this.blockSize = cache.blockSize();
    this.device = new long[cache.numBlocks() * blockSize];
    this.host = new long[cache.numHostBlocks() * blockSize];
    Arrays.fill(device, UNWRITTEN);
    Arrays.fill(host, UNWRITTEN);
    this.clock = clock;
    this.settings = settings;
  }

  /** Default settings: 64 tokens, no end-of-sequence token, 1 ms per step plus 10 us per token. */
  public FakeRunner(CacheConfig cache, FakeClock clock) {
    this(cache, clock, Settings.DEFAULT);
  }

  public long stepsExecuted() {
    return stepsExecuted;
  }

  @Override
  public RunnerResult execute(StepPlan plan) {
    for (BlockCopy copy : plan.swapOut()) {
      copyBlock(device, copy.source(), host, copy.destination());
    }
    for (BlockCopy copy : plan.swapIn()) {
      copyBlock(host, copy.source(), device, copy.destination());
    }
    for (BlockCopy copy : plan.copies()) {
      copyBlock(device, copy.source(), device, copy.destination());
    }
    List<RunnerResult.Sample> samples = new ArrayList<>();
    boolean[] written = new boolean[device.length];
    for (ScheduledSequence sequence : plan.sequences()) {
      long state = compute(sequence, written);
      if (sequence.sample()) {
        int token = sample(state, sequence.sampling());
        boolean end = token == settings.endOfSequenceToken();
        samples.add(new RunnerResult.Sample(sequence.requestId(), token, end));
      }
    }
    stepsExecuted++;
    if (clock != null) {
      clock.advance(
          settings.nanosPerStep()
              + settings.nanosPerToken() * plan.numBatchedTokens()
              + plan.modelledSwapNanos());
    }
    return new RunnerResult(samples);
  }

  /** Writes the chunk's KV; returns the last position's. */
  private long compute(ScheduledSequence sequence, boolean[] written) {
    ImmutableIntList table = sequence.blockTable();
    if ((long) table.size() * blockSize < sequence.contextLength()) {
      throw violation(sequence, "block table too short for context " + sequence.contextLength());
    }
    int start = sequence.startPosition();
    long state = start == 0 ? START : device[slot(sequence, table, start - 1)];
    if (state == UNWRITTEN) {
      throw violation(sequence, "KV of position " + (start - 1) + " was never written");
    }
    for (int i = 0; i < sequence.numTokens(); i++) {
      int position = start + i;
      int slot = slot(sequence, table, position);
      if (sequence.slotMapping().get(i) != slot) {
        throw violation(sequence, "slot mapping disagrees with the block table at " + position);
      }
      if (written[slot]) {
        throw violation(sequence, "slot " + slot + " written twice in one step");
      }
      written[slot] = true;
      state = kv(state, sequence.tokenIds().get(i), position);
      device[slot] = state;
    }
    return state;
  }

  private int slot(ScheduledSequence sequence, ImmutableIntList table, int position) {
    int block = table.get(position / blockSize);
    if (block < 0 || (block + 1) * blockSize > device.length) {
      throw violation(sequence, "block " + block + " is outside the pool");
    }
    return block * blockSize + position % blockSize;
  }

  /**
   * The tokens {@code request} must receive from this runner in a loop with context length {@code
   * maxModelLen}, computed directly, without a scheduler or a cache.
   */
  public Expected reference(Request request, int maxModelLen) {
    SamplingParams sampling = request.sampling();
    ImmutableIntList prompt = request.promptTokens();
    long state = START;
    for (int position = 0; position < prompt.size(); position++) {
      state = kv(state, prompt.get(position), position);
    }
    List<Integer> output = new ArrayList<>();
    int length = prompt.size();
    while (true) {
      int token = sample(state, sampling);
      boolean stop =
          token == settings.endOfSequenceToken() || sampling.stopTokens().contains(token);
      // This runner does not mask stop tokens below min tokens: the loop then emits them.
      if (stop && !sampling.belowMinTokens(output.size())) {
        return new Expected(ImmutableIntList.copyOf(output), FinishReason.STOP);
      }
      output.add(token);
      if (output.size() >= sampling.maxTokens()) {
        return new Expected(ImmutableIntList.copyOf(output), FinishReason.MAX_TOKENS);
      }
      if (++length >= maxModelLen) {
        return new Expected(ImmutableIntList.copyOf(output), FinishReason.CONTEXT_LENGTH);
      }
      state = kv(state, token, length - 1);
    }
  }

  private int sample(long state, SamplingParams sampling) {
    return (int) Math.floorMod(mix(state ^ mix(sampling.seed())), (long) settings.vocabulary());
  }

  private static long kv(long previous, int token, int position) {
    return mix(previous * 31 + token + ((long) position << 32));
  }

  private void copyBlock(long[] from, int source, long[] to, int destination) {
    System.arraycopy(from, source * blockSize, to, destination * blockSize, blockSize);
  }

  private static IllegalStateException violation(ScheduledSequence sequence, String what) {
    return new IllegalStateException("plan for " + sequence.requestId() + ": " + what);
  }

  private static long mix(long value) {
    long h = value;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
