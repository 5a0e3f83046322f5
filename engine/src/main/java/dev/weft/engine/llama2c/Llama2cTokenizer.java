package dev.weft.engine.llama2c;

import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * llama2.c's BPE tokenizer: a vocabulary of byte strings with merge scores. Encoding follows
 * SentencePiece as llama2.c does it: BOS, a dummy-prefix space, one token per UTF-8 character
 * (falling back to byte tokens {@code <0x00>..<0xFF>} at id byte + 3), then repeatedly the adjacent
 * pair whose merged string has the highest score is merged.
 */
public final class Llama2cTokenizer implements Tokenizer {

  static final int BOS = 1;
  static final int EOS = 2;
  private static final int BYTE_TOKEN_OFFSET = 3;

  private final byte[][] pieces;
  private final float[] scores;
  private final Map<String, Integer> idsByPiece;
  private final byte[][] decoded;

  Llama2cTokenizer(byte[][] pieces, float[] scores) {
    this.pieces = pieces;
    this.scores = scores;
    this.idsByPiece = new HashMap<>(pieces.length * 2);
    this.decoded = new byte[pieces.length][];
    for (int i = 0; i < pieces.length; i++) {
      // ISO-8859-1 maps each byte to one char, so the key is the exact byte string.
      idsByPiece.putIfAbsent(new String(pieces[i], StandardCharsets.ISO_8859_1), i);
      decoded[i] = rawBytes(pieces[i]);
    }
  }

  /** Loads a tokenizer file written by llama2.c's tokenizer.py for a vocabulary of this size. */
  public static Llama2cTokenizer load(Path file, int vocabSize) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidModelException(file + ": cannot read tokenizer: " + e.getMessage(), e);
    }
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < Integer.BYTES) {
      throw new InvalidModelException(file + ": not a llama2.c tokenizer: file too short");
    }
    int maxTokenLength = in.getInt();
    List<byte[]> pieces = new ArrayList<>(vocabSize);
    float[] scores = new float[vocabSize];
    for (int i = 0; i < vocabSize; i++) {
      if (in.remaining() < 8) {
        throw new InvalidModelException(
            file + " is truncated: token " + i + " of " + vocabSize + " has no score/length");
      }
      scores[i] = in.getFloat();
      int len = in.getInt();
      if (len < 0 || len > maxTokenLength || len > in.remaining()) {
        throw new InvalidModelException(
            file
                + ": token "
                + i
                + " has length "
                + len
                + " (max token length "
                + maxTokenLength
                + ", "
                + in.remaining()
                + " bytes left)");
      }
      byte[] piece = new byte[len];
      in.get(piece);
      pieces.add(piece);
    }
    if (in.hasRemaining()) {
      throw new InvalidModelException(
          file
              + ": "
              + in.remaining()
              + " bytes left after "
              + vocabSize
              + " tokens; the tokenizer does not match the model's vocabulary size");
    }
    return new Llama2cTokenizer(pieces.toArray(byte[][]::new), scores);
  }

  @Override
  public int vocabSize() {
    return pieces.length;
  }

  /**
   * The stored bytes of token {@code id} (byte tokens as their text {@code <0xNN>}); converters to
   * other formats need the vocabulary as it is.
   */
  public byte[] piece(int id) {
    return pieces[id].clone();
  }

  /** The merge score of token {@code id}: higher merges first. */
  public float score(int id) {
    return scores[id];
  }

  @Override
  public int bos() {
    return BOS;
  }

  @Override
  public int eos() {
    return EOS;
  }

  @Override
  public int[] encode(String text, boolean addBos) {
    List<Integer> tokens = new ArrayList<>();
    if (addBos) {
      tokens.add(BOS);
    }
    int start = tokens.size();
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > 0) {
      tokens.add(lookup(new byte[] {' '}));
    }
    for (int i = 0; i < utf8.length; ) {
      int len = utf8CharLength(utf8, i);
      String key = new String(utf8, i, len, StandardCharsets.ISO_8859_1);
      Integer id = idsByPiece.get(key);
      if (id != null) {
        tokens.add(id);
      } else {
        for (int b = 0; b < len; b++) {
          tokens.add((utf8[i + b] & 0xFF) + BYTE_TOKEN_OFFSET);
        }
      }
      i += len;
    }
    mergePairs(tokens, start);
    return tokens.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Merges the best-scoring adjacent pair until none merges; ties go to the leftmost pair. */
  private void mergePairs(List<Integer> tokens, int from) {
    while (true) {
      float bestScore = Float.NEGATIVE_INFINITY;
      int bestId = -1;
      int bestIndex = -1;
      for (int i = from; i < tokens.size() - 1; i++) {
        byte[] a = pieces[tokens.get(i)];
        byte[] b = pieces[tokens.get(i + 1)];
        byte[] merged = new byte[a.length + b.length];
        System.arraycopy(a, 0, merged, 0, a.length);
        System.arraycopy(b, 0, merged, a.length, b.length);
        Integer id = idsByPiece.get(new String(merged, StandardCharsets.ISO_8859_1));
        if (id != null && scores[id] > bestScore) {
          bestScore = scores[id];
          bestId = id;
          bestIndex = i;
        }
      }
      if (bestIndex < 0) {
        return;
      }
      tokens.set(bestIndex, bestId);
      tokens.remove(bestIndex + 1);
    }
  }

  @Override
  public byte[] decodePiece(int previous, int token) {
    if (token < 0 || token >= pieces.length) {
      throw new IllegalArgumentException(
          "token id " + token + " outside the vocabulary [0, " + pieces.length + ")");
    }
    byte[] piece = decoded[token];
    // SentencePiece's dummy prefix: the first piece after BOS loses its leading space.
    if (previous == BOS && piece.length > 0 && piece[0] == ' ') {
      byte[] stripped = new byte[piece.length - 1];
      System.arraycopy(piece, 1, stripped, 0, stripped.length);
      return stripped;
    }
    return piece.clone();
  }

  private int lookup(byte[] piece) {
    Integer id = idsByPiece.get(new String(piece, StandardCharsets.ISO_8859_1));
    if (id == null) {
      throw new InvalidModelException(
          "tokenizer has no token for " + new String(piece, StandardCharsets.UTF_8));
    }
    return id;
  }

  /** A piece of the form {@code <0xNN>} stands for the raw byte NN. */
  private static byte[] rawBytes(byte[] piece) {
    if (piece.length == 6
        && piece[0] == '<'
        && piece[1] == '0'
        && piece[2] == 'x'
        && piece[5] == '>') {
      int hi = Character.digit(piece[3], 16);
      int lo = Character.digit(piece[4], 16);
      if (hi >= 0 && lo >= 0) {
        return new byte[] {(byte) (hi * 16 + lo)};
      }
    }
    return piece;
  }

  /**
   * Length of the UTF-8 character starting at {@code i}: the lead byte plus following continuation
   * bytes, at most four (as llama2.c splits it, so malformed input still encodes).
   */
  private static int utf8CharLength(byte[] utf8, int i) {
    int len = 1;
    while (i + len < utf8.length && len < 4 && (utf8[i + len] & 0xC0) == 0x80) {
      len++;
    }
    return len;
  }
}
