package dev.weft.simulator.calibration;

/**
 * A Llama-family model's shape, as far as cost matters (the simulator has no engine dependency).
 *
 * @param name the model's name or shape label
 * @param dim embedding width
 * @param layers transformer layers
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param hidden feed-forward width
 * @param vocab vocabulary size
 * @param context context length (the serving loop's max model length)
 */
public record ModelShape(
    String name, int dim, int layers, int heads, int kvHeads, int hidden, int vocab, int context) {
  public ModelShape {
    if (name == null
        || dim < 1
        || layers < 1
        || heads < 1
        || kvHeads < 1
        || hidden < 1
        || vocab < 1
        || context < 2) {
      throw new IllegalArgumentException(
          "model shape needs a name and positive dim, layers, heads, kv heads, hidden, vocab and"
              + " a context >= 2");
    }
    if (dim % heads != 0 || heads % kvHeads != 0) {
      throw new IllegalArgumentException(
          "model shape: dim "
              + dim
              + " / heads "
              + heads
              + " / kv heads "
              + kvHeads
              + " do not divide");
    }
  }

  public int headDim() {
    return dim / heads;
  }

  public long kvDim() {
    return (long) kvHeads * headDim();
  }

  /** Weights of one layer's four products (q|k|v, o, gate|up, down). */
  public long layerParams() {
    long d = dim;
    return d * (d + 2 * kvDim()) + d * d + 2 * d * hidden + (long) hidden * d;
  }

  /** Float32 bytes of all weight matrices a step reads (layers and classifier). */
  public long weightBytes(int bytesPerWeight) {
    return (long) bytesPerWeight * (layers * layerParams() + (long) vocab * dim);
  }

  /** Bytes of one token's keys and values over all layers. */
  public long kvBytesPerToken(int bytesPerElement) {
    return 2L * layers * kvDim() * bytesPerElement;
  }

  /** Whether {@code other} has the same shape (names may differ). */
  public boolean sameShape(ModelShape other) {
    return dim == other.dim
        && layers == other.layers
        && heads == other.heads
        && kvHeads == other.kvHeads
        && hidden == other.hidden
        && vocab == other.vocab
        && context == other.context;
  }

  public String describe() {
    return String.format(
        "dim %d, %d layers, %d heads (%d kv), hidden %d, vocab %d, context %d",
        dim, layers, heads, kvHeads, hidden, vocab, context);
  }
}
