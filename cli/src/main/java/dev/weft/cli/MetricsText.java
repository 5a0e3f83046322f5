package dev.weft.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A scrape of a Prometheus text endpoint, reduced to one number per series name: labelled series of
 * the same name are summed. Enough for a summary of counters, gauges and histogram sums/counts.
 */
final class MetricsText {

  private final Map<String, Double> values = new HashMap<>();
  private final Map<String, Double> byLabel = new HashMap<>();

  static MetricsText scrape(String url) throws InterruptedException {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return parse(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read metrics at " + url + ": " + e.getMessage(), e);
    }
  }

  static MetricsText parse(String text) {
    MetricsText metrics = new MetricsText();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      int brace = series.indexOf('{');
      String name = brace < 0 ? series : series.substring(0, brace);
      metrics.values.merge(name, value, Double::sum);
      metrics.byLabel.put(series, value);
    }
    return metrics;
  }

  double get(String name) {
    return values.getOrDefault(name, 0.0);
  }

  /** A histogram's mean, or 0 with no observations. */
  double mean(String histogram) {
    double count = get(histogram + "_count");
    return count == 0 ? 0 : get(histogram + "_sum") / count;
  }

  /** Sum of series named {@code name} whose labels contain {@code label}. */
  double withLabel(String name, String label) {
    double sum = 0;
    for (Map.Entry<String, Double> e : byLabel.entrySet()) {
      if (e.getKey().startsWith(name + "{") && e.getKey().contains(label)) {
        sum += e.getValue();
      }
    }
    return sum;
  }
}
