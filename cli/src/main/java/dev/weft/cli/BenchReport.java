package dev.weft.cli;

import dev.weft.protos.v1.ModelInfo;
import dev.weft.scheduler.StepRecord;
import dev.weft.simulator.metrics.RequestTiming;
import dev.weft.simulator.metrics.ServingMetrics;
import dev.weft.simulator.metrics.Summary;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A serving benchmark's results as text, a CSV row per run and a Markdown page per run. */
final class BenchReport {

  static final String SUMMARY_HEADER =
      "label,scheduler,max_num_seqs,requests,completed,failed,duration_s,request_throughput,"
          + "output_throughput,mean_ttft_ms,median_ttft_ms,p90_ttft_ms,p99_ttft_ms,mean_tpot_ms,"
          + "median_tpot_ms,p90_tpot_ms,p99_tpot_ms,mean_itl_ms,median_itl_ms,p90_itl_ms,"
          + "p99_itl_ms,mean_e2e_ms,median_e2e_ms,p90_e2e_ms,p99_e2e_ms,mean_batch,kv_waste,"
          + "ideal_output_throughput,fraction_of_ideal,prefix_hits_of_queries,date";

  private final String label;
  private final List<String> args;
  private final BenchWorkload workload;
  private final ModelInfo info;
  private final ServingMetrics metrics;
  private final List<RequestTiming> timings;
  private final Map<String, Integer> failures;
  private final StepStats steps;
  private final String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);

  BenchReport(
      String label,
      List<String> args,
      BenchWorkload workload,
      ModelInfo info,
      List<RequestTiming> timings,
      Map<String, Integer> failures,
      StepStats steps) {
    this.label = label;
    this.args = args;
    this.workload = workload;
    this.info = info;
    this.timings = timings;
    this.metrics = ServingMetrics.of(timings);
    this.failures = failures;
    this.steps = steps;
  }

  private double ideal() {
    if (steps == null) {
      return Double.NaN;
    }
    long meanTokens = 0;
    for (BenchWorkload.Item item : workload.items) {
      meanTokens += item.prompt().length + item.outputTokens();
    }
    meanTokens = Math.max(1, meanTokens / workload.items.size());
    int batch =
        (int) Math.max(1, Math.min(info.getMaxNumSeqs(), info.getKvCapacityTokens() / meanTokens));
    return steps.idealThroughput(workload, batch);
  }

  String text() {
    StringBuilder b = new StringBuilder();
    b.append("============ Serving Benchmark Result: ").append(label).append(" ============\n");
    b.append(metrics.table());
    if (!failures.isEmpty()) {
      b.append("failures by status: ").append(failures).append('\n');
    }
    if (steps != null) {
      double[] fit = steps.fit();
      b.append(String.format(Locale.ROOT, "%-40s %12d%n", "Server steps:", steps.steps()));
      b.append(
          String.format(
              Locale.ROOT, "%-40s %12.2f%n", "Mean batch size (sequences):", steps.meanBatch()));
      b.append(
          String.format(
              Locale.ROOT, "%-40s %12.2f%n", "KV waste (% of held slots):", 100 * steps.kvWaste()));
      b.append(
          String.format(
              Locale.ROOT,
              "%-40s %s%n",
              "Step cost fit (ms):",
              Double.isNaN(fit[0])
                  ? "n/a (step times too noisy for a physical fit; see the steps CSV)"
                  : String.format(
                      Locale.ROOT,
                      "decode step %.3f + %.4f/sequence, prefill %.4f/token",
                      1e3 * fit[0],
                      1e3 * fit[2],
                      1e3 * fit[1])));
      b.append(
          String.format(
              Locale.ROOT,
              "%-40s %12s%n",
              "Prefix cache hits (prompt tokens):",
              steps.prefixHits()));
      b.append(
          String.format(
              Locale.ROOT, "%-40s %12.2f%n", "Ideal output throughput (tok/s):", ideal()));
      b.append(
          String.format(
              Locale.ROOT,
              "%-40s %12.1f%n",
              "Output throughput, % of ideal:",
              100 * metrics.outputThroughput() / ideal()));
    }
    return b.toString();
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path summary = dir.resolve("summary.csv");
    if (!Files.exists(summary)) {
      Files.writeString(summary, SUMMARY_HEADER + "\n");
    }
    Files.writeString(summary, row() + "\n", StandardOpenOption.APPEND);
    StringBuilder csv =
        new StringBuilder("id,prompt_tokens,output_tokens,completed,ttft_ms,e2e_ms\n");
    for (RequestTiming t : timings) {
      long[] tokens = t.tokenNanos();
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%d,%d,%b,%.3f,%.3f%n",
              t.id(),
              t.promptTokens(),
              tokens.length,
              t.completed(),
              tokens.length > 0 ? (tokens[0] - t.sentNanos()) / 1e6 : Double.NaN,
              (t.endNanos() - t.sentNanos()) / 1e6));
    }
    Files.writeString(dir.resolve(label + "-requests.csv"), csv);
    if (steps != null) {
      StringBuilder rows = new StringBuilder(StepRecord.CSV_HEADER).append('\n');
      for (StepRecord r : steps.records()) {
        rows.append(r.toCsvRow()).append('\n');
      }
      Files.writeString(dir.resolve(label + "-steps.csv"), rows);
    }
    Files.writeString(dir.resolve(label + ".md"), markdown());
  }

  private String row() {
    StringBuilder b = new StringBuilder();
    b.append(label)
        .append(',')
        .append(info.getScheduler())
        .append(',')
        .append(info.getMaxNumSeqs());
    b.append(',').append(workload.items.size()).append(',').append(metrics.completed());
    b.append(',').append(metrics.failed());
    b.append(
        String.format(
            Locale.ROOT,
            ",%.3f,%.4f,%.3f",
            metrics.durationSeconds(),
            metrics.requestThroughput(),
            metrics.outputThroughput()));
    for (String name : ServingMetrics.LATENCIES) {
      Summary s = metrics.latency(name);
      b.append(
          String.format(
              Locale.ROOT, ",%.3f,%.3f,%.3f,%.3f", s.mean(), s.median(), s.p90(), s.p99()));
    }
    double ideal = ideal();
    b.append(
        String.format(
            Locale.ROOT,
            ",%.3f,%.5f,%.3f,%.4f,%s,%s",
            steps != null ? steps.meanBatch() : Double.NaN,
            steps != null ? steps.kvWaste() : Double.NaN,
            ideal,
            metrics.outputThroughput() / ideal,
            steps != null ? steps.prefixHits() : "",
            date));
    return b.toString();
  }

  private String markdown() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown";
    }
    return "# weft bench serve: "
        + label
        + "\n\n"
        + "- command: `./weft bench serve "
        + String.join(" ", args)
        + "`\n"
        + "- workload: "
        + workload.description
        + "\n"
        + "- model: "
        + info.getModel()
        + " (context "
        + info.getContextWindow()
        + ", KV "
        + info.getKvCapacityBlocks()
        + " blocks of "
        + info.getBlockSize()
        + ", scheduler "
        + info.getScheduler()
        + ", max "
        + info.getMaxNumSeqs()
        + " sequences)\n"
        + "- machine: "
        + host
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " CPUs, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", Java "
        + System.getProperty("java.version")
        + "\n"
        + "- date: "
        + date
        + "\n\n```\n"
        + text()
        + "```\n";
  }
}
