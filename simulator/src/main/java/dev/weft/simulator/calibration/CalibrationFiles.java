package dev.weft.simulator.calibration;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes calibration and hardware files (JSON). Each file names its kind and format
 * version; a file of the wrong kind, version or shape is refused with a message naming it.
 */
public final class CalibrationFiles {

  static final String CALIBRATION = "weft-calibration";
  static final String HARDWARE = "weft-hardware";
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private CalibrationFiles() {}

  public static void write(Path file, Calibration calibration) {
    write(file, CALIBRATION, GSON.toJsonTree(calibration));
  }

  public static void write(Path file, HardwareProfile hardware) {
    write(file, HARDWARE, GSON.toJsonTree(hardware));
  }

  public static Calibration readCalibration(Path file) {
    return parse(file, read(file, CALIBRATION), Calibration.class);
  }

  public static HardwareProfile readHardware(Path file) {
    return parse(file, read(file, HARDWARE), HardwareProfile.class);
  }

  /**
   * Refuses a calibration that was not measured for {@code model} at {@code blockSize}: a cost
   * model fitted to another shape would predict the wrong times.
   */
  public static void requireMatches(
      Path file, Calibration calibration, ModelShape model, int blockSize) {
    if (!calibration.model().sameShape(model)) {
      throw new IllegalArgumentException(
          file
              + ": profiled for "
              + calibration.model().describe()
              + ", but the model is "
              + model.describe()
              + "; run weft profile for this model");
    }
    if (calibration.blockSize() != blockSize) {
      throw new IllegalArgumentException(
          file
              + ": profiled with block size "
              + calibration.blockSize()
              + ", but this run uses block size "
              + blockSize
              + "; profile again with --block-size "
              + blockSize
              + " or run with it");
    }
  }

  private static void write(Path file, String kind, JsonElement body) {
    JsonObject root = new JsonObject();
    root.addProperty("format", kind);
    for (var e : body.getAsJsonObject().entrySet()) {
      root.add(e.getKey(), e.getValue());
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, GSON.toJson(root) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonObject read(Path file, String kind) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "profile file not found: " + file + " (write one with weft profile)", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      JsonObject root = JsonParser.parseString(text).getAsJsonObject();
      JsonElement format = root.get("format");
      if (format == null || !format.getAsString().equals(kind)) {
        throw new IllegalArgumentException(
            file + ": not a " + kind + " file (its format is " + format + ")");
      }
      if (root.get("version") == null) {
        throw new IllegalArgumentException(file + ": has no format version");
      }
      return root;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Parses with the file named in any error (missing fields, values out of range). */
  static <T> T parse(Path file, JsonObject root, Class<T> type) {
    try {
      T value = GSON.fromJson(root, type);
      if (value == null) {
        throw new IllegalArgumentException("empty");
      }
      return value;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(
          file + ": bad " + type.getSimpleName() + ": " + cause.getMessage(), e);
    }
  }
}
