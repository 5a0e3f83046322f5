package dev.weft.engine.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.weft.engine.model.InvalidModelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each token of a {@code tokenizer.json} contributes to the output, as bytes, for streaming
 * one token at a time (Hugging Face's decoder works on whole sequences). Built from the BPE
 * vocabulary and the decoder: SentencePiece style ({@code ▁} is a space, {@code <0xNN>} a raw byte,
 * the dummy-prefix space stripped after BOS) or GPT-2 byte-level (each character stands for one
 * byte). Special tokens contribute nothing, as with {@code skip_special_tokens}.
 */
final class PieceTable {

  private final byte[][] bytes;
  private final Map<String, Integer> specialIds;
  private final boolean stripAfterBos;

  private PieceTable(byte[][] bytes, Map<String, Integer> specialIds, boolean stripAfterBos) {
    this.bytes = bytes;
    this.specialIds = specialIds;
    this.stripAfterBos = stripAfterBos;
  }

  static PieceTable read(Path file, JsonObject json) {
    JsonObject model = object(file, json, "model");
    String type = model.has("type") ? model.get("type").getAsString() : "BPE";
    if (!type.equals("BPE")) {
      throw new InvalidModelException(
          file + ": tokenizer model " + type + " is not supported; Weft reads BPE tokenizers");
    }
    Map<Integer, String> tokens = new HashMap<>();
    for (Map.Entry<String, JsonElement> e : object(file, model, "vocab").entrySet()) {
      tokens.put(id(file, e.getValue()), e.getKey());
    }
    Map<String, Integer> specialIds = new HashMap<>();
    Set<Integer> special = new HashSet<>();
    JsonElement added = json.get("added_tokens");
    if (added != null && added.isJsonArray()) {
      for (JsonElement a : added.getAsJsonArray()) {
        JsonObject t = a.getAsJsonObject();
        int id = id(file, t.get("id"));
        String content = t.get("content").getAsString();
        tokens.put(id, content);
        if (t.has("special") && t.get("special").getAsBoolean()) {
          special.add(id);
          specialIds.put(content, id);
        }
      }
    }
    List<JsonObject> decoders = flatten(json.get("decoder"));
    boolean byteLevel = decoders.stream().anyMatch(d -> is(d, "ByteLevel"));
    boolean byteFallback =
        JsonFiles.booleanOr(file, model, "byte_fallback", false)
            || decoders.stream().anyMatch(d -> is(d, "ByteFallback"));
    boolean metaspace =
        decoders.stream()
            .anyMatch(
                d -> is(d, "Metaspace") || (is(d, "Replace") && replaces(d, TokenizerJson.SPACE)));
    boolean strip = decoders.stream().anyMatch(PieceTable::stripsDummyPrefix);
    int size = tokens.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    if (size == 0) {
      throw new InvalidModelException(file + ": the vocabulary is empty");
    }
    byte[][] bytes = new byte[size][];
    for (int id = 0; id < size; id++) {
      String token = tokens.get(id);
      if (token == null || special.contains(id)) {
        bytes[id] = new byte[0];
      } else if (byteFallback && isByteToken(token)) {
        bytes[id] = new byte[] {(byte) Integer.parseInt(token.substring(3, 5), 16)};
      } else if (byteLevel) {
        bytes[id] = ByteLevel.decode(token);
      } else if (metaspace) {
        bytes[id] = token.replace(TokenizerJson.SPACE, " ").getBytes(StandardCharsets.UTF_8);
      } else {
        bytes[id] = token.getBytes(StandardCharsets.UTF_8);
      }
    }
    return new PieceTable(bytes, Map.copyOf(specialIds), strip);
  }

  int size() {
    return bytes.length;
  }

  /** The id of the special token {@code content}, if the tokenizer has one. */
  Optional<Integer> special(String content) {
    return Optional.ofNullable(specialIds.get(content));
  }

  /** Bytes of {@code token}; after BOS the dummy-prefix space is dropped if the decoder does so. */
  byte[] piece(int token, boolean afterBos) {
    byte[] piece = bytes[token];
    if (afterBos && stripAfterBos && piece.length > 0 && piece[0] == ' ') {
      return java.util.Arrays.copyOfRange(piece, 1, piece.length);
    }
    return piece.clone();
  }

  /** SentencePiece's dummy prefix is removed by Strip(" ", start ≥ 1) or a prepending Metaspace. */
  private static boolean stripsDummyPrefix(JsonObject d) {
    if (is(d, "Strip")) {
      return d.has("content")
          && d.get("content").getAsString().equals(" ")
          && d.has("start")
          && d.get("start").getAsInt() >= 1;
    }
    if (is(d, "Metaspace")) {
      if (d.has("prepend_scheme") && !d.get("prepend_scheme").isJsonNull()) {
        return !d.get("prepend_scheme").getAsString().equals("never");
      }
      return !d.has("add_prefix_space") || d.get("add_prefix_space").getAsBoolean();
    }
    return false;
  }

  private static boolean replaces(JsonObject d, String what) {
    JsonElement p = d.get("pattern");
    return p != null
        && p.isJsonObject()
        && p.getAsJsonObject().has("String")
        && p.getAsJsonObject().get("String").getAsString().equals(what);
  }

  private static boolean isByteToken(String t) {
    return t.length() == 6
        && t.startsWith("<0x")
        && t.endsWith(">")
        && Character.digit(t.charAt(3), 16) >= 0
        && Character.digit(t.charAt(4), 16) >= 0;
  }

  /** The decoder and, for a Sequence, its parts. */
  private static List<JsonObject> flatten(JsonElement decoder) {
    List<JsonObject> out = new ArrayList<>();
    if (decoder == null || !decoder.isJsonObject()) {
      return out;
    }
    JsonObject d = decoder.getAsJsonObject();
    out.add(d);
    if (is(d, "Sequence") && d.has("decoders")) {
      JsonArray parts = d.getAsJsonArray("decoders");
      parts.forEach(p -> out.addAll(flatten(p)));
    }
    return out;
  }

  private static boolean is(JsonObject o, String type) {
    return o.has("type") && o.get("type").getAsString().equals(type);
  }

  private static JsonObject object(Path file, JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonObject()) {
      throw new InvalidModelException(file + ": no " + key + " object");
    }
    return e.getAsJsonObject();
  }

  private static int id(Path file, JsonElement e) {
    try {
      int id = e.getAsInt();
      if (id >= 0) {
        return id;
      }
    } catch (RuntimeException ignored) {
      // Reported below with the value.
    }
    throw new InvalidModelException(file + ": token id " + e + " is not a non-negative integer");
  }

  /** GPT-2's reversible map between bytes and printable characters. */
  static final class ByteLevel {
    private static final Map<Integer, Byte> BYTE_OF_CHAR = new HashMap<>();

    static {
      List<Integer> direct = new ArrayList<>();
      for (int b = '!'; b <= '~'; b++) {
        direct.add(b);
      }
      for (int b = 0xA1; b <= 0xAC; b++) {
        direct.add(b);
      }
      for (int b = 0xAE; b <= 0xFF; b++) {
        direct.add(b);
      }
      int next = 256;
      for (int b = 0; b < 256; b++) {
        BYTE_OF_CHAR.put(direct.contains(b) ? b : next++, (byte) b);
      }
    }

    private ByteLevel() {}

    /** Bytes a byte-level token stands for; a character outside the map stands for itself. */
    static byte[] decode(String token) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      token
          .codePoints()
          .forEach(
              cp -> {
                Byte b = BYTE_OF_CHAR.get(cp);
                if (b != null) {
                  out.write(b);
                } else {
                  out.writeBytes(
                      new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                }
              });
      return out.toByteArray();
    }
  }
}
