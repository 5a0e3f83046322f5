package dev.weft.engine.hf;

import dev.weft.engine.llama2c.Llama2cCheckpoint;
import dev.weft.engine.llama2c.Llama2cTokenizer;
import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.ModelSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Converts a llama2.c model (checkpoint and tokenizer) into a Hugging Face Llama folder that
 * computes the same logits and tokenizes text to the same ids.
 *
 * <p>Weights: llama2.c rotates interleaved pairs (0,1), (2,3), ... of each head and Hugging Face
 * rotates halves (i, i + headDim/2), so the rows of wq and wk are permuted within each head, as
 * transformers' {@code convert_llama_weights_to_hf.py} does; q·k is unchanged because q and k get
 * the same permutation. Everything else is copied as it is.
 *
 * <p>Tokenizer: the same vocabulary (spaces written as {@code ▁}, ids 0–2 named {@code <unk>},
 * {@code <s>}, {@code </s>}) with merges derived from it: every split of a piece into two pieces is
 * a merge, ranked by the merged piece's score, which reproduces llama2.c's "merge the pair whose
 * result scores highest" (as transformers' SentencePiece converter does).
 */
public final class Llama2cToHf {

  /** llama2.c's fixed special ids. */
  static final int UNK = 0;

  static final int BOS = 1;
  static final int EOS = 2;

  private Llama2cToHf() {}

  /** Reads the llama2.c model {@code source} and writes it to {@code dir} as {@code dtype}. */
  public static HfConfig convert(ModelSource source, Path dir, Dtype dtype) throws IOException {
    if (source.format() != ModelSource.Format.LLAMA2C) {
      throw new IllegalArgumentException(
          source.name() + " is a " + source.format() + " model, not a llama2.c one");
    }
    LlamaWeights weights = Llama2cCheckpoint.read(source.checkpoint());
    weights.requireDenseFfn("converting " + source.checkpoint() + " to Hugging Face format");
    Llama2cTokenizer tokenizer =
        Llama2cTokenizer.load(source.tokenizer(), weights.config().vocabSize());
    TokenizerJson tokenizerJson = tokenizerJson(tokenizer, source.tokenizer());
    LlamaWeights halves = toHalves(weights);
    // llama2.c models end a story with BOS, so generation stops on it as well as on EOS.
    HfConfig config = new HfConfig(halves.config(), OptionalInt.of(BOS), List.of(EOS, BOS));
    HfCheckpointWriter.write(dir, config, halves, dtype);
    JsonFiles.write(dir.resolve(HfCheckpoint.TOKENIZER), tokenizerJson.toJson());
    return config;
  }

  /** The same model with q/k rows in Hugging Face's halves pairing. */
  static LlamaWeights toHalves(LlamaWeights w) {
    LlamaConfig c = w.config();
    if (c.ropeStyle() != LlamaConfig.RopeStyle.INTERLEAVED) {
      throw new IllegalArgumentException("weights already rotate " + c.ropeStyle());
    }
    LlamaConfig halves =
        new LlamaConfig(
            c.dim(),
            c.hiddenDim(),
            c.nLayers(),
            c.nHeads(),
            c.nKvHeads(),
            c.vocabSize(),
            c.maxSeqLen(),
            c.ropeTheta(),
            c.rmsNormEps(),
            c.sharedClassifier(),
            LlamaConfig.RopeStyle.HALVES);
    List<LlamaWeights.Layer> layers = new ArrayList<>();
    for (LlamaWeights.Layer l : w.layers()) {
      layers.add(
          new LlamaWeights.Layer(
              l.rmsAtt(),
              interleavedToHalves(l.wq(), c.nHeads(), c.headSize(), c.dim()),
              interleavedToHalves(l.wk(), c.nKvHeads(), c.headSize(), c.dim()),
              l.wv(),
              l.wo(),
              l.rmsFfn(),
              l.w1(),
              l.w2(),
              l.w3()));
    }
    return new LlamaWeights(halves, w.tokenEmbedding(), layers, w.rmsFinal(), w.classifier());
  }

  /**
   * Within each head, output row {@code 2j + i} (pair j, member i) moves to row {@code i * half +
   * j}: torch's {@code w.view(heads, half, 2, cols).transpose(1, 2).reshape(rows, cols)}.
   */
  static float[] interleavedToHalves(float[] w, int heads, int headSize, int cols) {
    int half = headSize / 2;
    float[] out = new float[w.length];
    for (int h = 0; h < heads; h++) {
      for (int j = 0; j < half; j++) {
        for (int i = 0; i < 2; i++) {
          int from = h * headSize + 2 * j + i;
          int to = h * headSize + i * half + j;
          System.arraycopy(w, from * cols, out, to * cols, cols);
        }
      }
    }
    return out;
  }

  /** The llama2.c vocabulary as a Hugging Face tokenizer; {@code file} is named in errors. */
  static TokenizerJson tokenizerJson(Llama2cTokenizer tok, Path file) {
    int n = tok.vocabSize();
    if (n <= EOS + 256) {
      throw new InvalidModelException(
          file
              + ": "
              + n
              + " tokens; a llama2.c tokenizer has <unk>, <s>, </s> and 256 byte"
              + " tokens first");
    }
    List<String> vocab = new ArrayList<>(n);
    vocab.add("<unk>");
    vocab.add("<s>");
    vocab.add("</s>");
    for (int id = EOS + 1; id < n; id++) {
      vocab.add(utf8(tok.piece(id), file, id).replace(" ", TokenizerJson.SPACE));
    }
    for (int b = 0; b < 256; b++) {
      if (!vocab.get(EOS + 1 + b).equals(TokenizerJson.byteToken(b))) {
        throw new InvalidModelException(
            file
                + ": token "
                + (EOS + 1 + b)
                + " is '"
                + vocab.get(EOS + 1 + b)
                + "', expected"
                + " the byte token "
                + TokenizerJson.byteToken(b));
      }
    }
    return new TokenizerJson(vocab, Set.of(UNK, BOS, EOS), merges(tok, vocab), UNK, BOS);
  }

  /** Every split of a text piece into two text pieces, best merged score first. */
  private static List<String[]> merges(Llama2cTokenizer tok, List<String> vocab) {
    int firstText = EOS + 1 + 256;
    Map<String, Integer> ids = new HashMap<>();
    for (int id = firstText; id < vocab.size(); id++) {
      ids.putIfAbsent(vocab.get(id), id);
    }
    record Merge(String left, String right, float score, int leftId, int rightId) {}
    List<Merge> merges = new ArrayList<>();
    for (int id = firstText; id < vocab.size(); id++) {
      String piece = vocab.get(id);
      for (int k = piece.offsetByCodePoints(0, 1);
          k < piece.length();
          k = piece.offsetByCodePoints(k, 1)) {
        Integer left = ids.get(piece.substring(0, k));
        Integer right = ids.get(piece.substring(k));
        if (left != null && right != null) {
          merges.add(
              new Merge(piece.substring(0, k), piece.substring(k), tok.score(id), left, right));
        }
      }
    }
    merges.sort(
        Comparator.comparingDouble((Merge m) -> -m.score())
            .thenComparingInt(Merge::leftId)
            .thenComparingInt(Merge::rightId));
    return merges.stream().map(m -> new String[] {m.left(), m.right()}).toList();
  }

  private static String utf8(byte[] bytes, Path file, int id) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidModelException(
          file + ": token " + id + " is not UTF-8 text, so it cannot be a tokenizer.json token");
    }
  }
}
