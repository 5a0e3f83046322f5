package dev.weft.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the test models in the shared folder beside the checkout. */
public final class TestModels {

  private TestModels() {}

  /** {@code ../shared/models} relative to the repository root. */
  public static Path sharedModels() {
    Path root = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
    // Surefire runs in the module folder when weft.repo.root is unset.
    for (Path dir = root; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared").resolve("models");
      if (Files.isDirectory(candidate.resolve("stories260K"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "test models not found beside " + root + " (expected ../shared/models/stories260K)");
  }

  public static Path stories260K() {
    return sharedModels().resolve("stories260K");
  }
}
