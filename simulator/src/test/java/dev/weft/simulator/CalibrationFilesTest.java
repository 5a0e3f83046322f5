package dev.weft.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.simulator.calibration.Calibration;
import dev.weft.simulator.calibration.CalibrationFiles;
import dev.weft.simulator.calibration.ModelShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationFilesTest {

  @TempDir Path dir;

  @Test
  void roundTrips() {
    Calibration c = FittedCostModelTest.synthetic(16);
    Path file = dir.resolve("p.json");
    CalibrationFiles.write(file, c);
    assertThat(CalibrationFiles.readCalibration(file)).isEqualTo(c);
  }

  @Test
  void missingFileSaysHowToMakeOne() {
    Path file = dir.resolve("none.json");
    assertThatThrownBy(() -> CalibrationFiles.readCalibration(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("profile file not found: " + file + " (write one with weft profile)");
  }

  @Test
  void mismatchedModelShapeOrBlockSizeIsRefused() {
    Calibration c = FittedCostModelTest.synthetic(16);
    Path file = dir.resolve("p.json");
    ModelShape other = new ModelShape("110M", 768, 12, 12, 12, 2048, 32000, 4096);
    assertThatThrownBy(() -> CalibrationFiles.requireMatches(file, c, other, 16))
        .hasMessageStartingWith(file + ": profiled for dim 288, 6 layers")
        .hasMessageContaining("but the model is dim 768, 12 layers");
    assertThatThrownBy(() -> CalibrationFiles.requireMatches(file, c, SimulatorTest.SHAPE, 32))
        .hasMessage(
            file
                + ": profiled with block size 16, but this run uses block size 32; profile again"
                + " with --block-size 32 or run with it");
    CalibrationFiles.requireMatches(file, c, SimulatorTest.SHAPE, 16);
  }

  @Test
  void wrongKindVersionOrJsonIsNamed() throws IOException {
    Path file = dir.resolve("p.json");
    Files.writeString(file, "{\"format\": \"weft-hardware\", \"version\": 1}");
    assertThatThrownBy(() -> CalibrationFiles.readCalibration(file))
        .hasMessageStartingWith(file + ": not a weft-calibration file");
    Files.writeString(file, "{ nope");
    assertThatThrownBy(() -> CalibrationFiles.readCalibration(file))
        .hasMessageStartingWith(file + ": not valid JSON");
    CalibrationFiles.write(file, FittedCostModelTest.synthetic(16));
    Files.writeString(
        file,
        Files.readString(file).replace("\"version\": " + Calibration.VERSION, "\"version\": 9"));
    assertThatThrownBy(() -> CalibrationFiles.readCalibration(file))
        .hasMessageContaining(file + ": bad Calibration: calibration format version 9");
  }
}
