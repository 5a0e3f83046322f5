package dev.weft.engine.tokenizer;

/**
 * Text to token ids and back. Decoding is per token and yields bytes, because a token may hold part
 * of a UTF-8 character (byte fallback); callers that need text assemble whole characters.
 */
public interface Tokenizer {

  int vocabSize();

  /** Beginning-of-sequence token id. */
  int bos();

  /** End-of-sequence token id. */
  int eos();

  /** Encodes {@code text}; with {@code addBos} the sequence starts with {@link #bos()}. */
  int[] encode(String text, boolean addBos);

  /**
   * The bytes that {@code token} contributes to the output when it follows {@code previous}
   * (tokenizers strip, for example, the dummy-prefix space after BOS).
   */
  byte[] decodePiece(int previous, int token);

  /** Decodes a whole sequence that followed {@code previous}, replacing invalid UTF-8. */
  default String decode(int previous, int[] tokens) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int prev = previous;
    for (int t : tokens) {
      out.writeBytes(decodePiece(prev, t));
      prev = t;
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
