package dev.weft.cli;

import dev.weft.engine.model.ModelSearchPath;
import dev.weft.engine.model.ModelSource;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --model} option and the search path behind it, shared by model commands. */
public final class ModelOptions {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME|PATH",
      description =
          "Model name (searched in $WEFT_MODELS, the user cache dir, then ../shared/models beside"
              + " the checkout) or a path to a model folder or checkpoint.")
  String model;

  /** Resolves {@link #model} on the standard search path. */
  ModelSource resolve() {
    return searchPath().resolve(model);
  }

  public static ModelSearchPath searchPath() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    Optional<Path> home = Optional.ofNullable(System.getProperty("weft.home")).map(Path::of);
    return ModelSearchPath.standard(Optional.ofNullable(System.getenv("WEFT_MODELS")), cache, home);
  }
}
