package org.interesttracker.job;

import java.io.Serializable;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Properties passed through to every Kafka client (security.protocol, sasl.*, ssl.*...). Printing
 * them never shows the value of a key that looks like a credential, so settings can be logged.
 */
public record KafkaClientProperties(Map<String, String> values) implements Serializable {
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|jaas|key).*");

  public KafkaClientProperties {
    values = Map.copyOf(values);
  }

  public Properties toProperties() {
    Properties properties = new Properties();
    properties.putAll(values);
    return properties;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    values.forEach(
        (key, value) -> shown.put(key, SECRET_KEY.matcher(key).matches() ? "******" : value));
    return shown.toString();
  }
}
