package org.interesttracker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of the provisioned Grafana dashboard the tests look at: its queries. */
final class GrafanaDashboard {
  static final Path FILE =
      DeploymentFiles.MONITORING.resolve("grafana/dashboards/interest-tracker.json");
  // Every series Flink's Prometheus reporter writes starts with "flink_".
  private static final Pattern METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_:]+");

  private final JsonNode root;

  private GrafanaDashboard(JsonNode root) {
    this.root = root;
  }

  static GrafanaDashboard read() throws IOException {
    return new GrafanaDashboard(new ObjectMapper().readTree(FILE.toFile()));
  }

  /** Every panel's and every query's data source uid. */
  List<String> dataSourceUids() {
    List<String> uids = new ArrayList<>();
    for (JsonNode panel : root.get("panels")) {
      uids.add(panel.at("/datasource/uid").asText());
      panel.get("targets").forEach(target -> uids.add(target.at("/datasource/uid").asText()));
    }
    return uids;
  }

  /** The PromQL expression of every query. */
  List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : root.get("panels")) {
      panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText()));
    }
    return expressions;
  }

  /** The metric names the queries read. */
  Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    for (String expression : expressions()) {
      Matcher matcher = METRIC.matcher(expression);
      while (matcher.find()) {
        names.add(matcher.group());
      }
    }
    return names;
  }
}
