package dev.weft.engine.hf;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.weft.engine.model.InvalidModelException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and writing the JSON files of a Hugging Face model folder, with errors naming them. */
final class JsonFiles {

  private static final Gson PRETTY =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

  private JsonFiles() {}

  /** Parses {@code file} as a JSON object. */
  static JsonObject read(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonElement json = JsonParser.parseReader(r);
      if (!json.isJsonObject()) {
        throw new InvalidModelException(file + ": not a JSON object");
      }
      return json.getAsJsonObject();
    } catch (NoSuchFileException e) {
      throw new InvalidModelException(file + ": no such file");
    } catch (IOException e) {
      throw new InvalidModelException(file + ": cannot read: " + e.getMessage(), e);
    } catch (JsonParseException e) {
      throw new InvalidModelException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  static void write(Path file, JsonElement json) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      PRETTY.toJson(json, w);
      w.write('\n');
    }
  }

  /** An integer field, if present and not null. */
  static Optional<Long> optionalLong(Path file, JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return Optional.empty();
    }
    return Optional.of(integer(file, key, e));
  }

  /** A positive int field that must be present. */
  static int requiredInt(Path file, JsonObject o, String key) {
    long v =
        optionalLong(file, o, key)
            .orElseThrow(() -> new InvalidModelException(file + ": " + key + " is missing"));
    return toInt(file, key, v);
  }

  static int intOr(Path file, JsonObject o, String key, int fallback) {
    return optionalLong(file, o, key).map(v -> toInt(file, key, v)).orElse(fallback);
  }

  static double doubleOr(Path file, JsonObject o, String key, double fallback) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return fallback;
    }
    try {
      return e.getAsDouble();
    } catch (RuntimeException ex) {
      throw new InvalidModelException(file + ": " + key + " is " + e + ", not a number");
    }
  }

  static boolean booleanOr(Path file, JsonObject o, String key, boolean fallback) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return fallback;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw new InvalidModelException(file + ": " + key + " is " + e + ", not true or false");
    }
    return e.getAsBoolean();
  }

  /** A field holding one token id or a list of them (as eos_token_id may). */
  static List<Integer> ids(Path file, JsonObject o, String key) {
    JsonElement e = o.get(key);
    List<Integer> out = new ArrayList<>();
    if (e == null || e.isJsonNull()) {
      return out;
    }
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) {
        out.add(toInt(file, key, integer(file, key, x)));
      }
    } else {
      out.add(toInt(file, key, integer(file, key, e)));
    }
    return out;
  }

  private static long integer(Path file, String key, JsonElement e) {
    try {
      BigDecimal v = e.getAsBigDecimal();
      return v.longValueExact();
    } catch (RuntimeException ex) {
      throw new InvalidModelException(file + ": " + key + " is " + e + ", not an integer");
    }
  }

  private static int toInt(Path file, String key, long v) {
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new InvalidModelException(file + ": " + key + " is " + v + ", out of range");
    }
    return (int) v;
  }
}
