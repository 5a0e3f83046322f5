package dev.weft.trainer.metrics;

import java.util.Locale;

/**
 * One worker's iteration: what the heterogeneity studies plot.
 *
 * @param wallSeconds since the run's agreed start
 * @param computeSeconds forward/backward plus any injected slowdown
 * @param waitSeconds time inside the algorithm's synchronization
 * @param bytesSent payload bytes this worker has sent so far
 */
public record IterationRecord(
    int rank,
    long iteration,
    int epoch,
    double wallSeconds,
    double loss,
    double computeSeconds,
    double waitSeconds,
    long bytesSent) {

  public static final String CSV_HEADER =
      "rank,iteration,epoch,wall_seconds,loss,compute_seconds,wait_seconds,bytes_sent";

  public String toCsv() {
    return String.format(
        Locale.ROOT,
        "%d,%d,%d,%.6f,%.6f,%.6f,%.6f,%d",
        rank,
        iteration,
        epoch,
        wallSeconds,
        loss,
        computeSeconds,
        waitSeconds,
        bytesSent);
  }

  public static IterationRecord parseCsv(String line) {
    String[] f = line.split(",");
    if (f.length != 8) {
      throw new IllegalArgumentException("metrics line has " + f.length + " fields: " + line);
    }
    return new IterationRecord(
        Integer.parseInt(f[0]),
        Long.parseLong(f[1]),
        Integer.parseInt(f[2]),
        Double.parseDouble(f[3]),
        Double.parseDouble(f[4]),
        Double.parseDouble(f[5]),
        Double.parseDouble(f[6]),
        Long.parseLong(f[7]));
  }
}
