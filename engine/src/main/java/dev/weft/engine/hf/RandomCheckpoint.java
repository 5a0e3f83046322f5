package dev.weft.engine.hf;

import dev.weft.engine.model.LlamaConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random-weight Hugging Face Llama checkpoints of real shapes, for benchmarks and tests that need a
 * model's size and speed but not its text: matrices and embeddings drawn from N(0, 0.02²) (the
 * usual initialisation), RMSNorm weights 1. Each tensor has its own stream, seeded from the seed
 * and the tensor's name, and is written in chunks, so a 110M model is generated in a few seconds
 * with memory for one chunk.
 *
 * <p>The tokenizer is synthetic but complete (see {@link #syntheticTokenizer}).
 */
public final class RandomCheckpoint {

  static final double STD = 0.02;
  private static final int CHUNK = 1 << 16;
  private static final int BOS = 1;
  private static final int EOS = 2;
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

  private RandomCheckpoint() {}

  /** Writes a model of shape {@code config} (rope style HALVES) to {@code dir}. */
  public static HfConfig write(Path dir, LlamaConfig config, long seed, Dtype dtype)
      throws IOException {
    TokenizerJson tokenizer = syntheticTokenizer(config.vocabSize());
    HfConfig hf = new HfConfig(config, OptionalInt.of(BOS), List.of(EOS));
    HfCheckpointWriter.write(dir, hf, dtype, (spec, out) -> fill(spec, seed, out));
    JsonFiles.write(dir.resolve(HfCheckpoint.TOKENIZER), tokenizer.toJson());
    return hf;
  }

  private static void fill(LlamaTensors.Spec spec, long seed, SafetensorsWriter out)
      throws IOException {
    SplittableRandom random =
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L + spec.name().hashCode());
    float[] chunk = new float[CHUNK];
    long left = spec.elements();
    while (left > 0) {
      int n = (int) Math.min(CHUNK, left);
      for (int i = 0; i < n; i++) {
        chunk[i] = spec.kind().isNorm() ? 1f : (float) (random.nextGaussian() * STD);
      }
      out.append(chunk, 0, n);
      left -= n;
    }
  }

  /**
   * A SentencePiece-style byte-fallback BPE of exactly {@code vocabSize} tokens: {@code <unk>},
   * {@code <s>}, {@code </s>}; the 256 byte tokens; {@code ▁} and the 94 printable ASCII
   * characters; then, as room allows, {@code ▁} + each ASCII letter and each pair of lowercase
   * letters (with their merges, so English text takes fewer tokens than characters); then filler
   * tokens {@code <reserved_N>} that no text encodes to. Needs at least 354 tokens.
   */
  static TokenizerJson syntheticTokenizer(int vocabSize) {
    List<String> vocab = new ArrayList<>(vocabSize);
    vocab.add("<unk>");
    vocab.add("<s>");
    vocab.add("</s>");
    for (int b = 0; b < 256; b++) {
      vocab.add(TokenizerJson.byteToken(b));
    }
    vocab.add(TokenizerJson.SPACE);
    for (char c = '!'; c <= '~'; c++) {
      vocab.add(String.valueOf(c));
    }
    if (vocab.size() > vocabSize) {
      throw new IllegalArgumentException(
          "vocab "
              + vocabSize
              + " is too small for the synthetic tokenizer, which needs "
              + vocab.size()
              + " tokens (specials, 256 bytes, printable ASCII)");
    }
    List<String[]> merges = new ArrayList<>();
    List<String[]> candidates = new ArrayList<>();
    for (char c : (LETTERS + LETTERS.toUpperCase(java.util.Locale.ROOT)).toCharArray()) {
      candidates.add(new String[] {TokenizerJson.SPACE, String.valueOf(c)});
    }
    for (char a : LETTERS.toCharArray()) {
      for (char b : LETTERS.toCharArray()) {
        candidates.add(new String[] {String.valueOf(a), String.valueOf(b)});
      }
    }
    for (String[] m : candidates) {
      if (vocab.size() == vocabSize) {
        break;
      }
      vocab.add(m[0] + m[1]);
      merges.add(m);
    }
    for (int n = 0; vocab.size() < vocabSize; n++) {
      vocab.add("<reserved_" + n + ">");
    }
    return new TokenizerJson(vocab, Set.of(0, BOS, EOS), merges, 0, BOS);
  }
}
