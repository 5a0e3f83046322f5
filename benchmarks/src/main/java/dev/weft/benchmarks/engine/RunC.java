package dev.weft.benchmarks.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs llama2.c's {@code run.c} (built beside the project, never committed) on a checkpoint. */
final class RunC {

  private static final Pattern TOK_S = Pattern.compile("achieved tok/s: ([0-9.]+)");

  private RunC() {}

  /** run.c's own decode tokens/s, greedy, {@code steps} positions from BOS. */
  static double tokensPerSecond(Path binary, Path model, Path tokenizer, int steps, int threads)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    binary.toString(),
                    model.toString(),
                    "-z",
                    tokenizer.toString(),
                    "-t",
                    "0",
                    "-n",
                    Integer.toString(steps)))
            .redirectErrorStream(true);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("run.c failed: " + new String(out, StandardCharsets.UTF_8));
    }
    Matcher m = TOK_S.matcher(new String(out, StandardCharsets.UTF_8));
    if (!m.find()) {
      throw new IOException("run.c printed no tok/s line");
    }
    return Double.parseDouble(m.group(1));
  }

  /**
   * Writes a llama2.c tokenizer of {@code vocab} tokens for a random-weight model: unk, BOS, EOS,
   * the 256 byte tokens, then filler pieces. run.c needs one of the model's vocabulary size; its
   * text is meaningless, as the weights are random.
   */
  static void writeSyntheticTokenizer(Path file, int vocab) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(16);
    bytes.write(buf.array(), 0, buf.position());
    for (int i = 0; i < vocab; i++) {
      String piece;
      if (i == 0) {
        piece = "<unk>";
      } else if (i == 1) {
        piece = "\n<s>\n";
      } else if (i == 2) {
        piece = "\n</s>\n";
      } else if (i < 259) {
        piece = String.format("<0x%02X>", i - 3);
      } else {
        piece = " t" + i;
      }
      byte[] p = piece.getBytes(StandardCharsets.UTF_8);
      buf.clear();
      buf.putFloat(-i).putInt(p.length);
      bytes.write(buf.array(), 0, buf.position());
      bytes.write(p);
    }
    Files.write(file, bytes.toByteArray());
  }
}
