package dev.weft.cli.circulant;

import dev.weft.accel.circulant.train.CirculantTrainer;
import dev.weft.accel.circulant.train.TrainResult;
import dev.weft.accel.circulant.train.TrainSetup;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Appends training results to {@code OUT.csv} and rewrites {@code OUT.md} from all its rows. */
final class TrainReport {

  static final String HEADER =
      "date,task,method,k,steps,batch,lr,seed,params,eval_loss,eval_accuracy,accuracy_after_projection,seconds,data,command";

  private TrainReport() {}

  static void append(
      Path out, TrainSetup setup, String data, List<String> args, List<TrainResult> results)
      throws IOException {
    Path csv = Path.of(out + ".csv");
    Path md = Path.of(out + ".md");
    if (csv.getParent() != null) {
      Files.createDirectories(csv.getParent());
    }
    List<String> lines = new ArrayList<>();
    if (!Files.exists(csv)) {
      lines.add(HEADER);
    }
    String command = "weft " + String.join(" ", args);
    String date = Instant.now().toString();
    for (TrainResult r : results) {
      var c = r.config();
      lines.add(
          String.join(
              ",",
              date,
              setup.kind().flag(),
              c.method().name().toLowerCase(Locale.ROOT),
              c.method() == CirculantTrainer.Method.DENSE ? "" : Integer.toString(c.k()),
              Integer.toString(c.steps()),
              Integer.toString(setup.batch()),
              Float.toString(c.learningRate()),
              Long.toString(c.seed()),
              Long.toString(r.parameters()),
              String.format(Locale.ROOT, "%.4f", r.evalLoss()),
              String.format(Locale.ROOT, "%.4f", r.evalAccuracy()),
              r.accuracyAfterProjection() == null
                  ? ""
                  : String.format(Locale.ROOT, "%.4f", r.accuracyAfterProjection()),
              String.format(Locale.ROOT, "%.1f", r.seconds()),
              quote(data),
              quote(command)));
    }
    Files.write(csv, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    writeMarkdown(csv, md);
  }

  private static void writeMarkdown(Path csv, Path md) throws IOException {
    List<String> rows = Files.readAllLines(csv);
    StringBuilder b = new StringBuilder();
    b.append("# ").append(md.getFileName().toString().replace(".md", "")).append("\n\n");
    b.append("Machine: ")
        .append(host())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs (shared; other builds ran at the same time). Generated from ")
        .append(csv.getFileName())
        .append(".\n\n");
    b.append(
        "| task | method | k | steps | params | held-out loss | accuracy | after projection | seconds |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    List<String> sources = new ArrayList<>();
    for (String line : rows.subList(1, rows.size())) {
      List<String> f = parse(line);
      b.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
              f.get(1),
              f.get(2),
              f.get(3).isEmpty() ? "-" : f.get(3),
              f.get(4),
              f.get(8),
              f.get(9),
              f.get(10),
              f.get(11).isEmpty() ? "-" : f.get(11),
              f.get(12)));
      String source = f.get(0).substring(0, 10) + ": `" + f.get(14) + "` — " + f.get(13);
      if (!sources.contains(source)) {
        sources.add(source);
      }
    }
    b.append("\nRuns (date, command, data):\n\n");
    for (String s : sources) {
      b.append("- ").append(s).append('\n');
    }
    Files.writeString(md, b.toString());
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** Splits one CSV line with double-quoted fields. */
  static List<String> parse(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
