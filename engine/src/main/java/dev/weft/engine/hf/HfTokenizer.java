package dev.weft.engine.hf;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json}: encoding by the Hugging Face tokenizers library (through
 * DJL, always from the local file, so exactly as transformers would encode), decoding per token
 * from the vocabulary (see {@link PieceTable}). BOS is added by Weft, not by the file's
 * post-processor, so {@code addBos} means the same whatever the file says.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {

  private static final List<String> BOS_NAMES =
      List.of("<s>", "<|begin_of_text|>", "<|startoftext|>", "<bos>");
  private static final List<String> EOS_NAMES =
      List.of("</s>", "<|end_of_text|>", "<|endoftext|>", "<eos>");

  private final Path file;
  private final HuggingFaceTokenizer encoder;
  private final PieceTable pieces;
  private final int bos;
  private final int eos;

  private HfTokenizer(
      Path file, HuggingFaceTokenizer encoder, PieceTable pieces, int bos, int eos) {
    this.file = file;
    this.encoder = encoder;
    this.pieces = pieces;
    this.bos = bos;
    this.eos = eos;
  }

  /**
   * Loads {@code file}. BOS and EOS are the given ids (from config.json) or else the special tokens
   * of the usual names.
   */
  public static HfTokenizer load(Path file, OptionalInt bosId, Optional<Integer> eosId) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidModelException(
          file + ": no such file; a Hugging Face model folder needs its tokenizer.json");
    }
    PieceTable pieces = PieceTable.read(file, JsonFiles.read(file));
    int bos = bosId.isPresent() ? bosId.getAsInt() : find(file, pieces, BOS_NAMES, "bos");
    int eos = eosId.orElseGet(() -> find(file, pieces, EOS_NAMES, "eos"));
    for (int id : new int[] {bos, eos}) {
      if (id >= pieces.size()) {
        throw new InvalidModelException(
            file + ": special token id " + id + " is outside its vocabulary of " + pieces.size());
      }
    }
    HuggingFaceTokenizer encoder;
    try {
      // Weft adds BOS itself; no truncation or padding: a prompt is encoded whole.
      encoder =
          HuggingFaceTokenizer.newInstance(
              file, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new InvalidModelException(
          file + ": the Hugging Face tokenizers library rejects it: " + e.getMessage(), e);
    }
    return new HfTokenizer(file, encoder, pieces, bos, eos);
  }

  private static int find(Path file, PieceTable pieces, List<String> names, String what) {
    for (String name : names) {
      Optional<Integer> id = pieces.special(name);
      if (id.isPresent()) {
        return id.get();
      }
    }
    throw new InvalidModelException(
        file
            + ": no "
            + what
            + "_token_id in config.json and no special token named any of "
            + names);
  }

  public Path file() {
    return file;
  }

  @Override
  public int vocabSize() {
    return pieces.size();
  }

  @Override
  public int bos() {
    return bos;
  }

  @Override
  public int eos() {
    return eos;
  }

  @Override
  public int[] encode(String text, boolean addBos) {
    Encoding encoding = encoder.encode(text, false, false);
    long[] ids = encoding.getIds();
    int offset = addBos ? 1 : 0;
    int[] out = new int[ids.length + offset];
    if (addBos) {
      out[0] = bos;
    }
    for (int i = 0; i < ids.length; i++) {
      out[i + offset] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public byte[] decodePiece(int previous, int token) {
    if (token < 0 || token >= pieces.size()) {
      throw new IllegalArgumentException(
          "token id " + token + " outside the vocabulary [0, " + pieces.size() + ")");
    }
    return pieces.piece(token, previous == bos);
  }

  @Override
  public void close() {
    encoder.close();
  }
}
