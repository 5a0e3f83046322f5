package dev.weft.data.text;

import dev.weft.data.mnist.DatasetFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A plain-text corpus cut into documents: a UTF-8 file, or every text file under a directory (in
 * path order). A line holding only {@code %} separates documents, as in the fortune-cookie files of
 * Debian's {@code fortunes} package; a file without such lines is one document. Under a directory,
 * binary files (any NUL byte, e.g. fortune's {@code .dat} indexes) are skipped, and a file reached
 * twice (fortune's {@code .u8} links) is read once.
 *
 * @param documents non-blank documents, in file order
 * @param files the text files read
 */
public record TextCorpus(List<String> documents, List<Path> files) {

  /** Where Debian's {@code fortunes} package puts its cookie files. */
  public static final Path FORTUNES_DIR = Path.of("/usr/share/games/fortunes");

  public TextCorpus {
    documents = List.copyOf(documents);
    files = List.copyOf(files);
  }

  /** Reads a file or a directory tree; a missing path or one with no text is an error. */
  public static TextCorpus load(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such corpus file or directory");
    }
    List<String> docs = new ArrayList<>();
    List<Path> read = new ArrayList<>();
    if (Files.isDirectory(path)) {
      Set<Path> seen = new LinkedHashSet<>();
      List<Path> candidates;
      try (Stream<Path> walk = Files.walk(path)) {
        candidates = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : candidates) {
        byte[] bytes = Files.readAllBytes(file);
        if (!seen.add(file.toRealPath()) || indexOfNul(bytes) >= 0) {
          continue;
        }
        docs.addAll(documents(decode(file, bytes)));
        read.add(file);
      }
      if (read.isEmpty()) {
        throw new DatasetFormatException(path, "no text files in this directory");
      }
    } else {
      byte[] bytes = Files.readAllBytes(path);
      int nul = indexOfNul(bytes);
      if (nul >= 0) {
        throw new DatasetFormatException(
            path, "not a text file (NUL byte at offset " + nul + "); give a UTF-8 text file");
      }
      docs.addAll(documents(decode(path, bytes)));
      read.add(path);
    }
    if (docs.isEmpty()) {
      throw new DatasetFormatException(path, "the corpus holds no text");
    }
    return new TextCorpus(docs, read);
  }

  /** Splits text at lines holding only {@code %}; drops blank documents. */
  static List<String> documents(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder doc = new StringBuilder();
    for (String line : text.split("\r?\n", -1)) {
      if (line.equals("%")) {
        flush(doc, out);
      } else {
        doc.append(line).append('\n');
      }
    }
    flush(doc, out);
    return out;
  }

  private static void flush(StringBuilder doc, List<String> out) {
    String s = doc.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    doc.setLength(0);
  }

  private static int indexOfNul(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static String decode(Path file, byte[] bytes) throws DatasetFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DatasetFormatException(file, "not valid UTF-8 text: " + e.getMessage(), e);
    }
  }

  /** Total characters over all documents. */
  public long characters() {
    return documents.stream().mapToLong(String::length).sum();
  }

  /** A corpus of the first {@code n} documents (a slice, e.g. for a short run). */
  public TextCorpus firstDocuments(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a corpus slice needs at least 1 document, got " + n);
    }
    return new TextCorpus(documents.subList(0, Math.min(n, documents.size())), files);
  }

  /**
   * Splits the documents at random (seeded) into training and held-out parts; held-out text is
   * never trained on. Both parts get at least one document.
   *
   * @param heldOutFraction share of documents held out, in (0, 1)
   */
  public Split split(double heldOutFraction, long seed) {
    if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException(
          "held-out fraction " + heldOutFraction + " must be in (0, 1)");
    }
    if (documents.size() < 2) {
      throw new IllegalArgumentException(
          "the corpus has " + documents.size() + " document; a held-out split needs at least 2");
    }
    List<String> shuffled = new ArrayList<>(documents);
    Collections.shuffle(shuffled, new Random(seed));
    int held = (int) Math.round(documents.size() * heldOutFraction);
    held = Math.max(1, Math.min(documents.size() - 1, held));
    return new Split(shuffled.subList(held, shuffled.size()), shuffled.subList(0, held));
  }

  /** Training and held-out documents. */
  public record Split(List<String> train, List<String> heldOut) {
    public Split {
      train = List.copyOf(train);
      heldOut = List.copyOf(heldOut);
    }
  }
}
