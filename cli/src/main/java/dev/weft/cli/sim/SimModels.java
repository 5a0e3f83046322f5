package dev.weft.cli.sim;

import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import java.nio.file.Path;
import java.util.Optional;

/** Model lookup for the simulator's commands: the same search path as every model command. */
final class SimModels {
  private SimModels() {}

  static LoadedModel load(String nameOrPath) {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    Optional<Path> home = Optional.ofNullable(System.getProperty("weft.home")).map(Path::of);
    ModelSearchPath path =
        ModelSearchPath.standard(Optional.ofNullable(System.getenv("WEFT_MODELS")), cache, home);
    return LoadedModel.load(path.resolve(nameOrPath));
  }
}
