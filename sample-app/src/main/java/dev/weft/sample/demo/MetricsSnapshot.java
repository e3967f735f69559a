package dev.weft.sample.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One scrape of {@code GET /metrics} (Prometheus text format), so that the report can subtract
 * the scrape taken before the load from the one taken after it: every figure is what this run
 * did, whatever ran before.
 */
public final class MetricsSnapshot {

  private final List<Sample> samples;

  private MetricsSnapshot(List<Sample> samples) {
    this.samples = samples;
  }

  /**
   * @param text a Prometheus text-format exposition
   * @return its samples
   */
  public static MetricsSnapshot parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String name;
      Map<String, String> labels = new HashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        parseLabels(line.substring(brace + 1, line.lastIndexOf('}')), labels);
      } else {
        name = line.substring(0, space).trim();
      }
      samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
    }
    return new MetricsSnapshot(samples);
  }

  /**
   * @param name a sample's name, such as {@code weft_cache_gets_total}
   * @param labels which of its series to add up
   * @return the sum of the matching series, 0 if none
   */
  public double sum(String name, Predicate<Map<String, String>> labels) {
    return samples.stream()
        .filter(s -> s.name.equals(name) && labels.test(s.labels))
        .mapToDouble(s -> s.value)
        .sum();
  }

  /**
   * @param name a sample's name
   * @return the sum of all its series, 0 if none
   */
  public double sum(String name) {
    return sum(name, labels -> true);
  }

  /**
   * @param name a sample's name
   * @param label a label's name
   * @param value the value it must have
   * @return the sum of the series with that label value
   */
  public double sum(String name, String label, String value) {
    return sum(name, labels -> value.equals(labels.get(label)));
  }

  /**
   * @param name a sample's name
   * @param label a label's name
   * @return the sum of the series for each value of the label, by value in order
   */
  public NavigableMap<String, Double> byLabel(String name, String label) {
    TreeMap<String, Double> values = new TreeMap<>();
    for (Sample s : samples) {
      if (s.name.equals(name) && s.labels.containsKey(label)) {
        values.merge(s.labels.get(label), s.value, Double::sum);
      }
    }
    return values;
  }

  /**
   * The buckets of a Prometheus histogram: for each upper bound {@code le} in seconds, how many
   * observations were at most that (cumulative).
   *
   * @param name the histogram's base name, such as {@code sample_orders_lock_wait_seconds}
   * @return bound to cumulative count, in increasing order of bound; {@code +Inf} last
   */
  public NavigableMap<Double, Double> buckets(String name) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (Sample s : samples) {
      if (s.name.equals(name + "_bucket") && s.labels.containsKey("le")) {
        String le = s.labels.get("le");
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        buckets.merge(bound, s.value, Double::sum);
      }
    }
    return buckets;
  }

  private static void parseLabels(String text, Map<String, String> labels) {
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      String key = text.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (j < text.length() && text.charAt(j) != '"') {
        if (text.charAt(j) == '\\' && j + 1 < text.length()) {
          j++;
        }
        value.append(text.charAt(j++));
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < text.length() && text.charAt(i) == ',') {
        i++;
      }
    }
  }

  private record Sample(String name, Map<String, String> labels, double value) {}
}
