package org.interesttracker.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The parts of a docker-compose file the deployment tests look at, with merge keys resolved. */
final class ComposeFile {
  // [address:]host:container, the address possibly a variable with a default: ${NAME:-value}.
  private static final Pattern PORT = Pattern.compile("(?:(\\$\\{[^}]+}|[^:]+):)?(\\d+):(\\d+)");
  private final Map<String, Object> root;

  private ComposeFile(Map<String, Object> root) {
    this.root = root;
  }

  static ComposeFile read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return new ComposeFile(new Yaml().load(reader));
    }
  }

  Map<String, Object> service(String name) {
    Map<String, Object> service = map(map(root, "services"), name);
    if (service == null) {
      throw new AssertionError("docker-compose.yml has no service " + name);
    }
    return service;
  }

  /** The command as a list of words; every service here writes it in list form. */
  @SuppressWarnings("unchecked")
  List<String> command(String service) {
    return ((List<Object>) service(service).get("command")).stream().map(String::valueOf).toList();
  }

  /** The word after {@code option} in the service's command. */
  String option(String service, String option) {
    List<String> command = command(service);
    int index = command.indexOf(option);
    if (index < 0 || index + 1 >= command.size()) {
      throw new AssertionError(service + " has no value for " + option + " in " + command);
    }
    return command.get(index + 1);
  }

  String environment(String service, String variable) {
    return String.valueOf(map(service(service), "environment").get(variable));
  }

  /** "volume-or-host-path:container-path[:mode]" entries. */
  @SuppressWarnings("unchecked")
  List<String> volumes(String service) {
    return (List<String>) service(service).getOrDefault("volumes", List.of());
  }

  /** "host:container" port mappings, without the address they are published on. */
  List<String> ports(String service) {
    return publishedPorts(service).stream()
        .map(port -> port.group(2) + ":" + port.group(3))
        .toList();
  }

  /**
   * The address of each published port as written, such as {@code ${PUBLISH_ADDRESS:-127.0.0.1}};
   * empty when none is.
   */
  List<String> publishAddresses(String service) {
    return publishedPorts(service).stream()
        .map(port -> port.group(1) == null ? "" : port.group(1))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private List<Matcher> publishedPorts(String service) {
    List<String> ports = (List<String>) service(service).getOrDefault("ports", List.of());
    return ports.stream()
        .map(
            port -> {
              Matcher matcher = PORT.matcher(port);
              if (!matcher.matches()) {
                throw new AssertionError(
                    service
                        + " has a port mapping not of the form [address:]host:container: "
                        + port);
              }
              return matcher;
            })
        .toList();
  }

  List<String> services() {
    return List.copyOf(map(root, "services").keySet());
  }

  Map<String, Object> namedVolumes() {
    return map(root, "volumes");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }
}
