package dev.weft.engine.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a {@code tokenizer.json} for a SentencePiece-style BPE in the form Hugging Face uses for
 * Llama ("legacy" Llama tokenizer): the normalizer adds the dummy-prefix space and writes spaces as
 * {@code ▁}; the whole text is one word (no pre-tokenizer), split into characters, a character not
 * in the vocabulary falls back to its UTF-8 byte tokens {@code <0xNN>}, then merges apply by rank;
 * the post-processor adds BOS; the decoder maps {@code ▁} back to spaces, bytes back to text, and
 * strips the dummy-prefix space.
 *
 * @param vocab token strings by id, spaces already written as {@code ▁}
 * @param special ids of the special tokens (unk, bos, eos), matched as whole added tokens
 * @param merges pairs of token strings, highest priority first
 * @param unk the unknown token's id
 * @param bos the beginning-of-sequence token's id
 */
record TokenizerJson(
    List<String> vocab, Set<Integer> special, List<String[]> merges, int unk, int bos) {

  static final String SPACE = "\u2581";

  TokenizerJson {
    vocab = List.copyOf(vocab);
    special = Set.copyOf(special);
    merges = List.copyOf(merges);
    Set<String> tokens = new HashSet<>(vocab);
    if (tokens.size() != vocab.size()) {
      throw new IllegalArgumentException("the vocabulary has duplicate tokens");
    }
    if (!special.contains(unk) || !special.contains(bos)) {
      throw new IllegalArgumentException("unk " + unk + " and bos " + bos + " must be special");
    }
    for (String[] m : merges) {
      if (m.length != 2 || !tokens.contains(m[0] + m[1])) {
        throw new IllegalArgumentException("merge " + String.join(" + ", m) + " makes no token");
      }
    }
  }

  /** The byte-fallback token for {@code b}, as SentencePiece names it. */
  static String byteToken(int b) {
    return String.format("<0x%02X>", b);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("version", "1.0");
    o.add("truncation", JsonNull.INSTANCE);
    o.add("padding", JsonNull.INSTANCE);
    JsonArray added = new JsonArray();
    special.stream().sorted().forEach(id -> added.add(addedToken(id, vocab.get(id))));
    o.add("added_tokens", added);
    o.add(
        "normalizer",
        sequence("normalizers", typed("Prepend", "prepend", SPACE), replace(" ", SPACE)));
    o.add("pre_tokenizer", JsonNull.INSTANCE);
    o.add("post_processor", bosTemplate(vocab.get(bos), bos));
    JsonObject strip = typed("Strip", "content", " ");
    strip.addProperty("start", 1);
    strip.addProperty("stop", 0);
    o.add(
        "decoder",
        sequence(
            "decoders",
            replace(SPACE, " "),
            typed("ByteFallback", null, null),
            typed("Fuse", null, null),
            strip));
    o.add("model", model());
    return o;
  }

  private JsonObject model() {
    JsonObject m = new JsonObject();
    m.addProperty("type", "BPE");
    m.add("dropout", JsonNull.INSTANCE);
    m.addProperty("unk_token", vocab.get(unk));
    m.add("continuing_subword_prefix", JsonNull.INSTANCE);
    m.add("end_of_word_suffix", JsonNull.INSTANCE);
    m.addProperty("fuse_unk", true);
    m.addProperty("byte_fallback", true);
    m.addProperty("ignore_merges", false);
    JsonObject v = new JsonObject();
    for (int id = 0; id < vocab.size(); id++) {
      v.addProperty(vocab.get(id), id);
    }
    m.add("vocab", v);
    JsonArray ms = new JsonArray();
    for (String[] pair : merges) {
      JsonArray p = new JsonArray();
      p.add(pair[0]);
      p.add(pair[1]);
      ms.add(p);
    }
    m.add("merges", ms);
    return m;
  }

  private static JsonObject addedToken(int id, String content) {
    JsonObject t = new JsonObject();
    t.addProperty("id", id);
    t.addProperty("content", content);
    t.addProperty("single_word", false);
    t.addProperty("lstrip", false);
    t.addProperty("rstrip", false);
    t.addProperty("normalized", false);
    t.addProperty("special", true);
    return t;
  }

  /** "BOS $A" for one sequence, "BOS $A BOS $B" for a pair, as Hugging Face's Llama does. */
  private static JsonObject bosTemplate(String bosToken, int bosId) {
    JsonObject p = new JsonObject();
    p.addProperty("type", "TemplateProcessing");
    JsonArray single = new JsonArray();
    single.add(special(bosToken));
    single.add(sequenceRef("A"));
    JsonArray pair = new JsonArray();
    pair.add(special(bosToken));
    pair.add(sequenceRef("A"));
    pair.add(special(bosToken));
    pair.add(sequenceRef("B"));
    p.add("single", single);
    p.add("pair", pair);
    JsonObject tokens = new JsonObject();
    JsonObject entry = new JsonObject();
    entry.addProperty("id", bosToken);
    JsonArray ids = new JsonArray();
    ids.add(bosId);
    entry.add("ids", ids);
    JsonArray names = new JsonArray();
    names.add(bosToken);
    entry.add("tokens", names);
    tokens.add(bosToken, entry);
    p.add("special_tokens", tokens);
    return p;
  }

  private static JsonObject special(String token) {
    JsonObject inner = new JsonObject();
    inner.addProperty("id", token);
    inner.addProperty("type_id", 0);
    JsonObject o = new JsonObject();
    o.add("SpecialToken", inner);
    return o;
  }

  private static JsonObject sequenceRef(String id) {
    JsonObject inner = new JsonObject();
    inner.addProperty("id", id);
    inner.addProperty("type_id", 0);
    JsonObject o = new JsonObject();
    o.add("Sequence", inner);
    return o;
  }

  private static JsonObject replace(String from, String to) {
    JsonObject pattern = new JsonObject();
    pattern.addProperty("String", from);
    JsonObject r = typed("Replace", "content", to);
    r.add("pattern", pattern);
    return r;
  }

  private static JsonObject sequence(String field, JsonObject... parts) {
    JsonObject s = typed("Sequence", null, null);
    JsonArray list = new JsonArray();
    for (JsonObject p : parts) {
      list.add(p);
    }
    s.add(field, list);
    return s;
  }

  private static JsonObject typed(String type, String key, String value) {
    JsonObject o = new JsonObject();
    o.addProperty("type", type);
    if (key != null) {
      o.addProperty(key, value);
    }
    return o;
  }
}
