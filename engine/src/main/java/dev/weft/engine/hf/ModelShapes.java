package dev.weft.engine.hf;

import dev.weft.engine.model.LlamaConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Model shapes for {@code weft init-model}: the named shapes of llama2.c's TinyStories models (with
 * a 4096-token context so real request traces fit) and a compact custom form.
 */
public final class ModelShapes {

  /** What {@link #parse} accepts, for help texts. */
  public static final String HELP =
      "15M (dim 288, 6 layers, 6 heads, hidden 768, vocab 32000), 110M (dim 768, 12 layers,"
          + " 12 heads, hidden 2048, vocab 32000), both with a 4096-token context; or a spec"
          + " such as dim=64,layers=2,heads=4,kv_heads=2,hidden=172,vocab=512,context=1024"
          + " (dim, layers, heads required; kv_heads defaults to heads, hidden to llama2.c's"
          + " rule, vocab to 32000, context to 4096; also theta=10000, eps=1e-5, tied=true)";

  private static final List<String> KEYS =
      List.of(
          "dim",
          "layers",
          "heads",
          "kv_heads",
          "hidden",
          "vocab",
          "context",
          "theta",
          "eps",
          "tied");

  private ModelShapes() {}

  /** The shape named {@code spec}: 15M, 110M, or key=value pairs separated by commas. */
  public static LlamaConfig parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    switch (s.toUpperCase(Locale.ROOT)) {
      case "15M":
        return shape(288, 6, 6, 6, 768, 32000, 4096, 10000.0, 1e-5, true);
      case "110M":
        return shape(768, 12, 12, 12, 2048, 32000, 4096, 10000.0, 1e-5, true);
      default:
        return custom(s);
    }
  }

  private static LlamaConfig custom(String spec) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String[] pair = part.split("=", 2);
      String key = pair[0].trim();
      if (pair.length != 2 || !KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "shape '"
                + spec
                + "': '"
                + part.trim()
                + "' is not one of "
                + KEYS
                + " as key=value; expected "
                + HELP);
      }
      if (kv.put(key, pair[1].trim()) != null) {
        throw new IllegalArgumentException("shape '" + spec + "': " + key + " given twice");
      }
    }
    for (String required : List.of("dim", "layers", "heads")) {
      if (!kv.containsKey(required)) {
        throw new IllegalArgumentException("shape '" + spec + "': " + required + " is required");
      }
    }
    try {
      int dim = intOf(kv, "dim", 0);
      int heads = intOf(kv, "heads", 0);
      return shape(
          dim,
          intOf(kv, "layers", 0),
          heads,
          intOf(kv, "kv_heads", heads),
          intOf(kv, "hidden", llama2cHidden(dim)),
          intOf(kv, "vocab", 32000),
          intOf(kv, "context", 4096),
          doubleOf(kv, "theta", 10000.0),
          doubleOf(kv, "eps", 1e-5),
          booleanOf(kv, "tied", true));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("shape '" + spec + "': " + e.getMessage(), e);
    }
  }

  /** llama2.c's feed-forward width: 2/3 of 4·dim, rounded up to a multiple of 32. */
  static int llama2cHidden(int dim) {
    int hidden = 2 * (4 * dim) / 3;
    return (hidden + 31) / 32 * 32;
  }

  private static LlamaConfig shape(
      int dim,
      int layers,
      int heads,
      int kvHeads,
      int hidden,
      int vocab,
      int context,
      double theta,
      double eps,
      boolean tied) {
    return new LlamaConfig(
        dim,
        hidden,
        layers,
        heads,
        kvHeads,
        vocab,
        context,
        theta,
        eps,
        tied,
        LlamaConfig.RopeStyle.HALVES);
  }

  private static int intOf(Map<String, String> kv, String key, int fallback) {
    String v = kv.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + v + " is not an integer");
    }
  }

  private static double doubleOf(Map<String, String> kv, String key, double fallback) {
    String v = kv.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + v + " is not a number");
    }
  }

  private static boolean booleanOf(Map<String, String> kv, String key, boolean fallback) {
    String v = kv.get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + "=" + v + " is not true or false");
    }
    return Boolean.parseBoolean(v);
  }
}
