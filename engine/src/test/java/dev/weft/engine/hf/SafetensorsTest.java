package dev.weft.engine.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.model.InvalidModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path tmp;

  @Test
  void writtenTensorsReadBackInEveryFloatType() throws IOException {
    float[] a = random(6 * 5, 1);
    float[] b = random(7, 2);
    Path file = tmp.resolve("t.safetensors");
    try (SafetensorsWriter w =
        SafetensorsWriter.create(
            file,
            List.of(
                new SafetensorsWriter.Entry("a", Dtype.F32, List.of(6L, 5L)),
                new SafetensorsWriter.Entry("empty", Dtype.F32, List.of(0L, 3L)),
                new SafetensorsWriter.Entry("b16", Dtype.BF16, List.of(7L)),
                new SafetensorsWriter.Entry("h16", Dtype.F16, List.of(7L))),
            Map.of("format", "pt"))) {
      w.writeTensor("a", a);
      // Chunks may cross tensor boundaries; the empty tensor takes none.
      w.append(b, 0, 3);
      w.append(concat(java.util.Arrays.copyOfRange(b, 3, 7), b), 0, 11);
    }
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.metadata()).containsEntry("format", "pt");
      assertThat(f.tensors().keySet()).containsExactly("a", "empty", "b16", "h16");
      assertThat(f.tensors().get("a").shape()).containsExactly(6L, 5L);
      assertThat(f.readFloats("a")).containsExactly(a);
      assertThat(f.readFloats("empty")).isEmpty();
      float[] bf = f.readFloats("b16");
      float[] hf = f.readFloats("h16");
      for (int i = 0; i < b.length; i++) {
        assertThat(bf[i]).isEqualTo(Dtype.bf16ToFloat(Dtype.floatToBf16(b[i])));
        assertThat(Math.abs(bf[i] - b[i])).isLessThanOrEqualTo(Math.abs(b[i]) / 256);
        assertThat(hf[i]).isEqualTo(Dtype.halfToFloat(Dtype.floatToHalf(b[i])));
        assertThat(Math.abs(hf[i] - b[i])).isLessThanOrEqualTo(Math.abs(b[i]) / 2048);
      }
    }
    // The header is padded so the data starts 8-byte aligned.
    assertThat(header(file).getLong(0) % 8).isZero();
  }

  @Test
  void anIncompleteFileNeverAppearsUnderItsName() throws IOException {
    Path file = tmp.resolve("partial.safetensors");
    assertThatThrownBy(
            () -> {
              try (SafetensorsWriter w =
                  SafetensorsWriter.create(
                      file,
                      List.of(new SafetensorsWriter.Entry("a", Dtype.F32, List.of(4L))),
                      Map.of())) {
                w.append(new float[3], 0, 3);
              }
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tensor a incomplete: 3 of 4");
    try (var files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void headerLengthPastTheEndOfTheFile() throws IOException {
    Path file = tmp.resolve("long.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
    Files.write(file, b.array());
    assertInvalid(file, "header length 1000 runs past the end of the file (16 bytes)");
    Files.write(file, new byte[5]);
    assertInvalid(file, "shorter than the 8-byte header length");
  }

  @Test
  void tensorSizeThatDisagreesWithItsShape() throws IOException {
    Path file = rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20);
    assertInvalid(
        file,
        "tensor w: data_offsets [0, 20] hold 20 bytes, but shape [2, 3] of F32 needs 24 bytes");
  }

  @Test
  void offsetsOutsideTheFile() throws IOException {
    Path file = rawFile("{\"w\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[8,16]}}", 12);
    assertInvalid(file, "tensor w: data_offsets [8, 16] run past the end of the file (12 bytes");
  }

  @Test
  void overlappingTensors() throws IOException {
    Path file =
        rawFile(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
            12);
    assertInvalid(file, "tensor b: bytes [4, 12) overlap tensor a at [0, 8)");
  }

  @Test
  void bytesThatBelongToNoTensor() throws IOException {
    Path gap =
        rawFile(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
            12);
    assertInvalid(gap, "tensor b: starts at byte 8, leaving 4 bytes after tensor a");
    Path trailing = rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 10);
    assertInvalid(trailing, "6 bytes after the last tensor (a) belong to no tensor");
  }

  @Test
  void malformedHeaders() throws IOException {
    assertInvalid(rawFile("{\"a\": [1, 2", 0), "header is not valid JSON");
    assertInvalid(
        rawFile("{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
        "tensor a: unknown dtype 'F33'");
    assertInvalid(
        rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
        "tensor a: shape [-1] holds -1, not a non-negative 64-bit integer");
    assertInvalid(
        rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 4),
        "tensor a: data_offsets [4] has 1 entries, expected 2");
    assertInvalid(
        rawFile("{\"__metadata__\":{\"n\":1}}", 0), "__metadata__ entry n is not a string");
  }

  @Test
  void nonFloatTensorsAreValidatedButNotReadAsWeights() throws IOException {
    Path file = rawFile("{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThatThrownBy(() -> f.readFloats("ids"))
          .isInstanceOf(InvalidModelException.class)
          .hasMessage(
              file
                  + ": tensor ids has dtype I64; Weft reads weights stored as F32, F16"
                  + " or BF16");
    }
  }

  private void assertInvalid(Path file, String message) {
    assertThatThrownBy(() -> SafetensorsFile.open(file).close())
        .isInstanceOf(InvalidModelException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining(message);
  }

  /** A file with {@code header} as its JSON and {@code dataBytes} zero bytes of data. */
  private Path rawFile(String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(8 + json.length + dataBytes)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(json.length)
            .put(json);
    Path file = Files.createTempFile(tmp, "raw", ".safetensors");
    Files.write(file, b.array());
    return file;
  }

  private static ByteBuffer header(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
