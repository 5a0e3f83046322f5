package dev.weft.engine.hf;

import static dev.weft.engine.hf.SafetensorsFile.invalid;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.weft.engine.hf.SafetensorsFile.Tensor;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, parsed and checked against the size of the data that
 * follows it, so that every tensor it describes can be read without further checks.
 *
 * @param metadata the {@code __metadata__} map
 * @param tensors tensors by name, in header order
 */
record SafetensorsHeader(Map<String, String> metadata, Map<String, Tensor> tensors) {

  SafetensorsHeader {
    metadata = Map.copyOf(metadata);
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /** Parses {@code header} of {@code file}, whose data section holds {@code dataSize} bytes. */
  static SafetensorsHeader parse(Path file, ByteBuffer header, long dataSize) {
    JsonObject json = parseHeader(file, header);
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : json.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        metadata.putAll(parseMetadata(file, e.getValue()));
      } else {
        tensors.put(e.getKey(), parseTensor(file, e.getKey(), e.getValue()));
      }
    }
    checkLayout(file, tensors.values(), dataSize);
    return new SafetensorsHeader(metadata, tensors);
  }

  private static JsonObject parseHeader(Path file, ByteBuffer header) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(header)
              .toString();
    } catch (CharacterCodingException e) {
      throw invalid(file, "header is not UTF-8 text");
    }
    try {
      JsonElement json = JsonParser.parseString(text);
      if (!json.isJsonObject()) {
        throw invalid(file, "header is not a JSON object");
      }
      return json.getAsJsonObject();
    } catch (JsonParseException e) {
      throw invalid(file, "header is not valid JSON: " + e.getMessage());
    }
  }

  private static Map<String, String> parseMetadata(Path file, JsonElement value) {
    if (!value.isJsonObject()) {
      throw invalid(file, "__metadata__ is not a JSON object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
      JsonElement v = e.getValue();
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
        throw invalid(file, "__metadata__ entry " + e.getKey() + " is not a string");
      }
      out.put(e.getKey(), v.getAsString());
    }
    return out;
  }

  private static Tensor parseTensor(Path file, String name, JsonElement value) {
    String where = "tensor " + name + ": ";
    if (!value.isJsonObject()) {
      throw invalid(file, where + "header entry is not a JSON object");
    }
    JsonObject o = value.getAsJsonObject();
    JsonElement dtypeJson = o.get("dtype");
    if (dtypeJson == null || !dtypeJson.isJsonPrimitive()) {
      throw invalid(file, where + "no dtype");
    }
    Dtype dtype =
        Dtype.parse(dtypeJson.getAsString())
            .orElseThrow(
                () -> invalid(file, where + "unknown dtype '" + dtypeJson.getAsString() + "'"));
    List<Long> shape = longs(file, where + "shape", o.get("shape"), -1);
    List<Long> offsets = longs(file, where + "data_offsets", o.get("data_offsets"), 2);
    long begin = offsets.get(0);
    long end = offsets.get(1);
    if (end < begin) {
      throw invalid(file, where + "data_offsets " + offsets + " end before they begin");
    }
    Tensor t = new Tensor(name, dtype, shape, begin, end);
    long need;
    try {
      need = Math.multiplyExact(t.elements(), dtype.bytes());
    } catch (ArithmeticException e) {
      throw invalid(file, where + "shape " + shape + " is too large");
    }
    if (end - begin != need) {
      throw invalid(
          file,
          where
              + "data_offsets "
              + offsets
              + " hold "
              + (end - begin)
              + " bytes, but shape "
              + shape
              + " of "
              + dtype
              + " needs "
              + need
              + " bytes");
    }
    return t;
  }

  /** Tensors must lie inside the data and tile it, in some order, without overlap or gaps. */
  private static void checkLayout(Path file, Collection<Tensor> tensors, long dataSize) {
    List<Tensor> byOffset = new ArrayList<>(tensors);
    byOffset.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
    long covered = 0;
    Tensor previous = null;
    for (Tensor t : byOffset) {
      if (t.end() > dataSize) {
        throw invalid(
            file,
            "tensor "
                + t.name()
                + ": data_offsets ["
                + t.begin()
                + ", "
                + t.end()
                + "] run past the end of the file ("
                + dataSize
                + " bytes of data after the header)");
      }
      if (t.begin() < covered) {
        throw invalid(
            file,
            "tensor "
                + t.name()
                + ": bytes ["
                + t.begin()
                + ", "
                + t.end()
                + ") overlap tensor "
                + previous.name()
                + " at ["
                + previous.begin()
                + ", "
                + previous.end()
                + ")");
      }
      if (t.begin() > covered) {
        throw invalid(
            file,
            "tensor "
                + t.name()
                + ": starts at byte "
                + t.begin()
                + ", leaving "
                + (t.begin() - covered)
                + " bytes after "
                + (previous == null ? "the header" : "tensor " + previous.name())
                + " that belong to no tensor");
      }
      covered = t.end();
      previous = t;
    }
    if (covered != dataSize) {
      throw invalid(
          file,
          (dataSize - covered)
              + " bytes after the last tensor"
              + (previous == null ? "" : " (" + previous.name() + ")")
              + " belong to no tensor");
    }
  }

  /** A JSON array of non-negative integers, of {@code length} elements unless it is -1. */
  private static List<Long> longs(Path file, String what, JsonElement json, int length) {
    if (json == null || !json.isJsonArray()) {
      throw invalid(file, what + " is missing or not an array");
    }
    List<Long> out = new ArrayList<>();
    for (JsonElement e : json.getAsJsonArray()) {
      BigDecimal v;
      try {
        v = e.getAsBigDecimal();
      } catch (RuntimeException ex) {
        throw invalid(file, what + " " + json + " holds a non-number");
      }
      if (v.signum() < 0
          || v.stripTrailingZeros().scale() > 0
          || v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        throw invalid(
            file, what + " " + json + " holds " + v + ", not a non-negative 64-bit integer");
      }
      out.add(v.longValueExact());
    }
    if (length >= 0 && out.size() != length) {
      throw invalid(
          file, what + " " + json + " has " + out.size() + " entries, expected " + length);
    }
    return out;
  }
}
