package dev.weft.trainer.hypar;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads network descriptions: a small JSON format.
 *
 * <pre>{@code
 * {
 *   "name": "Lenet-c",
 *   "source": "Caffe examples/mnist/lenet_train_test.prototxt",
 *   "batch": 64,
 *   "layers": [
 *     {"name": "conv1", "type": "conv", "in": [1, 28, 28], "kernel": 5,
 *      "conv": [20, 24, 24], "out": [20, 12, 12]},
 *     {"name": "ip1", "type": "fc", "in": 800, "out": 500}
 *   ]
 * }
 * }</pre>
 *
 * Shapes are per sample, {@code [channels, height, width]} or a plain number for a vector. {@code
 * conv} (the convolution's output before pooling) may be left out when there is no pooling. Any
 * other fields ("notes") are ignored, so files can carry their own documentation.
 */
public final class NetworkFile {

  /** The paper's ten networks, in its order, as bundled resource names. */
  public static final List<String> BUNDLED =
      List.of(
          "sfc", "sconv", "lenet-c", "cifar-c", "alexnet", "vgg-a", "vgg-b", "vgg-c", "vgg-d",
          "vgg-e");

  private NetworkFile() {}

  /** A bundled network by name (any case), or else a file path. */
  public static Network load(String nameOrPath) throws IOException {
    String key = nameOrPath.toLowerCase(Locale.ROOT);
    if (key.matches("[a-z0-9-]+")
        && NetworkFile.class.getResource("/hypar/networks/" + key + ".json") != null) {
      return bundled(key);
    }
    Path p = Path.of(nameOrPath);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(
          "network '"
              + nameOrPath
              + "' is neither a bundled network ("
              + String.join(", ", BUNDLED)
              + ", mlp) nor a file");
    }
    return parse(Files.readString(p, StandardCharsets.UTF_8), p.toString());
  }

  public static Network bundled(String name) throws IOException {
    String res = "/hypar/networks/" + name + ".json";
    try (InputStream in = NetworkFile.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalArgumentException("no bundled network " + name);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), res);
    }
  }

  /** Parses a description; errors name the file and the layer. */
  public static Network parse(String json, String where) {
    JsonObject o;
    try {
      JsonElement e = JsonParser.parseString(json);
      if (!e.isJsonObject()) {
        throw new IllegalArgumentException(where + ": expected a JSON object");
      }
      o = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(where + ": not valid JSON: " + e.getMessage());
    }
    try {
      String name = string(o, "name", where);
      int batch = integer(o.get("batch"), "batch", where);
      String source = o.has("source") ? o.get("source").getAsString() : "";
      JsonElement ls = o.get("layers");
      if (ls == null || !ls.isJsonArray()) {
        throw new IllegalArgumentException(where + ": 'layers' must be a list");
      }
      List<Layer> layers = new ArrayList<>();
      int i = 0;
      for (JsonElement le : ls.getAsJsonArray()) {
        layers.add(layer(le, where + " layer " + i++));
      }
      return new Network(name, batch, layers, source);
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(where)
          ? e
          : new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static Layer layer(JsonElement le, String where) {
    if (!le.isJsonObject()) {
      throw new IllegalArgumentException(where + " is not an object");
    }
    JsonObject o = le.getAsJsonObject();
    String name = string(o, "name", where);
    String at = "layer '" + name + "'";
    String type = string(o, "type", at).toLowerCase(Locale.ROOT);
    Shape in = shape(o.get("in"), at, "in");
    Shape out = shape(o.get("out"), at, "out");
    switch (type) {
      case "fc":
        return new Layer(name, Layer.Kind.FC, in, null, out, 1);
      case "conv":
        Shape conv = o.has("conv") ? shape(o.get("conv"), at, "conv") : null;
        return new Layer(
            name, Layer.Kind.CONV, in, conv, out, integer(o.get("kernel"), "kernel", at));
      default:
        throw new IllegalArgumentException(at + ": type '" + type + "' is neither fc nor conv");
    }
  }

  private static String string(JsonObject o, String key, String where) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || e.getAsString().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + key + "' is missing");
    }
    return e.getAsString();
  }

  private static int integer(JsonElement e, String key, String where) {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be a number");
    }
    double d = e.getAsDouble();
    if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          where + ": '" + key + "' = " + e + " is not a positive integer");
    }
    return (int) d;
  }

  private static Shape shape(JsonElement e, String where, String key) {
    if (e == null) {
      throw new IllegalArgumentException(where + ": '" + key + "' is missing");
    }
    if (e.isJsonPrimitive()) {
      return Shape.vector(integer(e, key, where));
    }
    if (!e.isJsonArray() || (e.getAsJsonArray().size() != 3 && e.getAsJsonArray().size() != 1)) {
      throw new IllegalArgumentException(
          where + ": '" + key + "' must be a number or [channels, height, width]");
    }
    JsonArray a = e.getAsJsonArray();
    if (a.size() == 1) {
      return Shape.vector(integer(a.get(0), key, where));
    }
    return new Shape(
        integer(a.get(0), key, where),
        integer(a.get(1), key, where),
        integer(a.get(2), key, where));
  }
}
