package dev.weft.cli.circulant;

import dev.weft.accel.circulant.train.CirculantTrainer;
import dev.weft.accel.circulant.train.Task;
import dev.weft.accel.circulant.train.TrainResult;
import dev.weft.accel.circulant.train.TrainSetup;
import dev.weft.simulator.calibration.MachineInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Appends training results to {@code OUT.csv} and rewrites {@code OUT.md} from all its rows: the
 * machine and the commands (with their dates and data) first, then one table row per run.
 */
final class TrainReport {

  static final String HEADER =
      "date,task,method,k,steps,epochs,batch,lr,schedule,seed,params,eval_loss,eval_accuracy,"
          + "accuracy_after_projection,admm_gap,seconds,data,command";

  private TrainReport() {}

  static void append(
      Path out, TrainSetup setup, Task task, List<String> args, List<TrainResult> results)
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
    checkAppendable(out);
    String command = "weft " + String.join(" ", args);
    String date = Instant.now().toString();
    for (TrainResult r : results) {
      var c = r.config();
      lines.add(
          String.join(
              ",",
              date,
              setup.label(),
              c.method().name().toLowerCase(Locale.ROOT),
              c.method() == CirculantTrainer.Method.DENSE ? "" : Integer.toString(c.k()),
              Integer.toString(c.steps()),
              String.format(Locale.ROOT, "%.2f", task.epochs(c.steps())),
              Integer.toString(setup.batch()),
              Float.toString(c.learningRate()),
              c.cosineDecay() ? "cosine" : "constant",
              Long.toString(c.seed()),
              Long.toString(r.parameters()),
              String.format(Locale.ROOT, "%.4f", r.evalLoss()),
              String.format(Locale.ROOT, "%.4f", r.evalAccuracy()),
              r.accuracyAfterProjection() == null
                  ? ""
                  : String.format(Locale.ROOT, "%.4f", r.accuracyAfterProjection()),
              Double.isNaN(r.admmGap()) ? "" : String.format(Locale.ROOT, "%.4f", r.admmGap()),
              String.format(Locale.ROOT, "%.1f", r.seconds()),
              quote(task.describe()),
              quote(command)));
    }
    Files.write(csv, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    writeMarkdown(csv, md);
  }

  /**
   * Fails, naming the file, when {@code OUT.csv} exists in another format (so that a long training
   * run is not lost at the end): call before training.
   */
  static void checkAppendable(Path out) throws IOException {
    Path csv = Path.of(out + ".csv");
    if (!Files.exists(csv)) {
      return;
    }
    String first = Files.readAllLines(csv).stream().findFirst().orElse("");
    if (!first.equals(HEADER)) {
      throw new IllegalArgumentException(
          csv
              + " has another header (an older format): move it away or give another --out;"
              + " its first line is '"
              + first
              + "'");
    }
  }

  /** Rewrites {@code md} from every row of {@code csv} (in {@link #HEADER}'s format). */
  static void writeMarkdown(Path csv, Path md) throws IOException {
    List<String> rows = Files.readAllLines(csv);
    List<String> names = parse(rows.get(0));
    List<Map<String, String>> records = new ArrayList<>();
    for (String line : rows.subList(1, rows.size())) {
      List<String> f = parse(line);
      Map<String, String> rec = new HashMap<>();
      for (int i = 0; i < names.size() && i < f.size(); i++) {
        rec.put(names.get(i), f.get(i));
      }
      records.add(rec);
    }
    boolean chars = records.stream().anyMatch(r -> r.get("task").startsWith("char-"));
    StringBuilder b = new StringBuilder();
    b.append("# ").append(md.getFileName().toString().replace(".md", "")).append("\n\n");
    b.append("Generated from `")
        .append(csv.getFileName())
        .append("` by `weft circulant train --out`. Machine: ")
        .append(host())
        .append(", ")
        .append(MachineInfo.current().describe())
        .append(" (shared; other engineers' builds ran at the same time, so seconds are only")
        .append(" rough).\n\nRuns (date, exact command, data):\n\n");
    List<String> sources = new ArrayList<>();
    for (Map<String, String> r : records) {
      String source =
          r.get("date").substring(0, 16).replace('T', ' ')
              + " UTC: `"
              + r.get("command")
              + "` — "
              + r.get("data");
      if (!sources.contains(source)) {
        sources.add(source);
      }
    }
    for (String s : sources) {
      b.append("- ").append(s).append('\n');
    }
    b.append("\n| task | method | k | steps | epochs | lr | params | held-out loss |")
        .append(chars ? " bits/char |" : "")
        .append(" accuracy | after projection | ADMM gap | seconds |\n")
        .append(
            chars
                ? "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
                : "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, String> r : records) {
      b.append("| ")
          .append(
              String.join(
                  " | ",
                  r.get("task"),
                  r.get("method"),
                  dash(r.get("k")),
                  r.get("steps"),
                  r.get("epochs"),
                  r.get("lr") + " " + r.get("schedule"),
                  r.get("params"),
                  r.get("eval_loss")));
      if (chars) {
        b.append(" | ")
            .append(
                String.format(
                    Locale.ROOT, "%.3f", Double.parseDouble(r.get("eval_loss")) / Math.log(2)));
      }
      b.append(" | ")
          .append(
              String.join(
                  " | ",
                  r.get("eval_accuracy"),
                  dash(r.get("accuracy_after_projection")),
                  dash(r.get("admm_gap")),
                  r.get("seconds")))
          .append(" |\n");
    }
    Files.writeString(md, b.toString());
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
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
