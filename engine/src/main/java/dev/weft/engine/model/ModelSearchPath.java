package dev.weft.engine.model;

import dev.weft.engine.hf.HfModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where models are looked for, in order: the folders of {@code WEFT_MODELS} (colon-separated), the
 * user's cache folder, and the test-data folder beside the checkout. A model argument that is an
 * existing path is used as it is.
 *
 * @param directories folders searched for a model of a given name, first match wins
 */
public record ModelSearchPath(List<Path> directories) {

  public ModelSearchPath {
    directories = List.copyOf(directories);
  }

  /**
   * The standard search path.
   *
   * @param weftModels the value of {@code WEFT_MODELS}, if set
   * @param userCache the user's cache folder ({@code $XDG_CACHE_HOME} or {@code ~/.cache})
   * @param weftHome the checkout Weft runs from, if known; its sibling {@code shared/models} holds
   *     the test models
   */
  public static ModelSearchPath standard(
      Optional<String> weftModels, Path userCache, Optional<Path> weftHome) {
    List<Path> dirs = new ArrayList<>();
    weftModels.ifPresent(
        value -> {
          for (String part : value.split(":")) {
            if (!part.isBlank()) {
              dirs.add(Path.of(part));
            }
          }
        });
    dirs.add(userCache.resolve("weft").resolve("models"));
    weftHome.ifPresent(
        home ->
            dirs.add(home.toAbsolutePath().normalize().resolveSibling("shared").resolve("models")));
    return new ModelSearchPath(dirs);
  }

  /** Finds a model by path or name; the error lists every place looked. */
  public ModelSource resolve(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new IllegalArgumentException("a model name or path is required");
    }
    Path asPath = Path.of(nameOrPath);
    if (Files.exists(asPath)) {
      return inspect(asPath).orElseThrow(() -> unrecognised(asPath));
    }
    List<String> looked = new ArrayList<>();
    for (Path dir : directories) {
      Path candidate = dir.resolve(nameOrPath);
      looked.add(candidate.toString());
      if (Files.exists(candidate)) {
        return inspect(candidate).orElseThrow(() -> unrecognised(candidate));
      }
    }
    throw new ModelNotFoundException(
        "model '"
            + nameOrPath
            + "' not found. Looked in:\n  "
            + String.join("\n  ", looked)
            + "\nPass --model PATH, or put the model in one of these folders (WEFT_MODELS adds"
            + " folders, colon-separated).");
  }

  /**
   * Recognises a Hugging Face model: a folder holding {@code config.json} (its other files are
   * checked when it is loaded, so a missing one is reported by name). Otherwise a llama2.c model: a
   * folder holding {@code NAME.bin} (or {@code model.bin}) and a tokenizer {@code tokenizer.bin} or
   * {@code tok*.bin}, or a checkpoint file with such a tokenizer beside it.
   */
  static Optional<ModelSource> inspect(Path path) {
    if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("config.json"))) {
      return Optional.of(HfModels.source(path.getFileName().toString(), path));
    }
    Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    String name = stripBin(path.getFileName().toString());
    Optional<Path> tokenizer = findTokenizer(dir);
    Optional<Path> checkpoint;
    if (Files.isDirectory(path)) {
      checkpoint =
          Stream.of(dir.resolve(name + ".bin"), dir.resolve("model.bin"))
              .filter(Files::isRegularFile)
              .findFirst();
    } else {
      checkpoint = Optional.of(path);
    }
    if (checkpoint.isEmpty() || tokenizer.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ModelSource(name, ModelSource.Format.LLAMA2C, checkpoint.get(), tokenizer.get()));
  }

  private static Optional<Path> findTokenizer(Path dir) {
    Path standard = dir.resolve("tokenizer.bin");
    if (Files.isRegularFile(standard)) {
      return Optional.of(standard);
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("tok.*\\.bin"))
          .sorted()
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String stripBin(String fileName) {
    return fileName.endsWith(".bin") ? fileName.substring(0, fileName.length() - 4) : fileName;
  }

  private static InvalidModelException unrecognised(Path path) {
    return new InvalidModelException(
        path
            + ": no model found there. A Hugging Face model is a folder with config.json,"
            + " model.safetensors and tokenizer.json; a llama2.c model is a folder with NAME.bin"
            + " or model.bin and a tokenizer.bin or tok*.bin (or the checkpoint file with its"
            + " tokenizer beside it).");
  }
}
