package dev.weft.data.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A plain-text corpus for character-level language modelling, as character ids over a vocabulary of
 * the characters that occur in it. A path is a text file or a folder of them; from a folder every
 * regular file is read in name order except fortune(6)'s index files ({@code *.dat}) and the {@code
 * *.u8} duplicates Debian's {@code fortunes} package ships beside each text, so {@code
 * /usr/share/games/fortunes} loads as its texts. Text is UTF-8 (malformed bytes are an error naming
 * the file). Characters rarer than {@code minCount} share one id (the last).
 *
 * @param text the character ids
 * @param vocabulary the character of each id; the last may be {@link #RARE}
 */
public record CharCorpus(int[] text, String vocabulary) {

  /** Stands for every character rarer than the cut-off. */
  public static final char RARE = '\uFFFD';

  public CharCorpus {
    if (vocabulary.isEmpty()) {
      throw new IllegalArgumentException("empty vocabulary");
    }
    for (int id : text) {
      if (id < 0 || id >= vocabulary.length()) {
        throw new IllegalArgumentException("character id " + id + " outside the vocabulary");
      }
    }
  }

  /** Loads a file or folder; {@code minCount} ≥ 1. */
  public static CharCorpus load(Path path, int minCount) throws IOException {
    if (minCount < 1) {
      throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
    }
    if (!Files.exists(path)) {
      throw new NoSuchFileException(
          path.toString(),
          null,
          "no text corpus there (for fortunes: apt-get install fortunes, then pass"
              + " /usr/share/games/fortunes)");
    }
    StringBuilder all = new StringBuilder();
    for (Path file : files(path)) {
      all.append(decode(file));
    }
    if (all.length() == 0) {
      throw new IOException(path + ": the corpus is empty");
    }
    return fromText(all.toString(), minCount);
  }

  /** A corpus of {@code text} itself. */
  public static CharCorpus fromText(String text, int minCount) {
    TreeMap<Character, Integer> counts = new TreeMap<>();
    for (int i = 0; i < text.length(); i++) {
      counts.merge(text.charAt(i), 1, Integer::sum);
    }
    StringBuilder vocab = new StringBuilder();
    boolean rare = false;
    for (var e : counts.entrySet()) {
      if (e.getValue() >= minCount) {
        vocab.append(e.getKey());
      } else {
        rare = true;
      }
    }
    if (rare || vocab.length() == 0) {
      vocab.append(RARE);
    }
    String v = vocab.toString();
    int[] ids = new int[text.length()];
    for (int i = 0; i < ids.length; i++) {
      int id = v.indexOf(text.charAt(i));
      ids[i] = id < 0 || (rare && id == v.length() - 1) ? v.length() - 1 : id;
    }
    return new CharCorpus(ids, v);
  }

  public int size() {
    return text.length;
  }

  public int vocabularySize() {
    return vocabulary.length();
  }

  /** Characters {@code [from, to)} as a new corpus over the same vocabulary. */
  public CharCorpus slice(int from, int to) {
    if (from < 0 || to > text.length || from >= to) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + text.length);
    }
    return new CharCorpus(java.util.Arrays.copyOfRange(text, from, to), vocabulary);
  }

  /** The text of ids {@code [from, to)}. */
  public String decode(int from, int to) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < to; i++) {
      out.append(vocabulary.charAt(text[i]));
    }
    return out.toString();
  }

  private static List<Path> files(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    List<Path> out = new ArrayList<>();
    try (Stream<Path> list = Files.list(path)) {
      list.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return !n.endsWith(".dat") && !n.endsWith(".u8");
              })
          .sorted()
          .forEach(out::add);
    }
    if (out.isEmpty()) {
      throw new NoSuchFileException(path.toString(), null, "folder holds no text files");
    }
    return out;
  }

  private static String decode(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public int[] text() {
    return text.clone();
  }
}
