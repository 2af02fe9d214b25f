package org.interesttracker.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace joined to this one by a veth pair, a machine of its own on a /30 link:
 * {@link #hostAddress()} on this side, {@link #namespaceAddress()} inside. {@link #cut()} takes the
 * namespace's end of the link down, as a pulled cable would; {@link #restore()} brings it back.
 * Deleting the namespace deletes the pair.
 */
final class NetworkNamespace implements AutoCloseable {
  private final String name;
  private final String subnet;

  private NetworkNamespace(String name, String subnet) {
    this.name = name;
    this.subnet = subnet;
  }

  /**
   * Creates the namespace and its link, or says why it cannot be created here (not root, no
   * iproute2, a container without the capability).
   */
  static Creation create() {
    int random = ThreadLocalRandom.current().nextInt(1 << 16);
    NetworkNamespace namespace =
        new NetworkNamespace("it" + Integer.toHexString(random), "10.231." + (random % 256) + ".");
    try {
      namespace.ip("netns", "add", namespace.name);
    } catch (IllegalStateException e) {
      return new Creation(Optional.empty(), e.getMessage());
    }
    namespace.ip(
        "link",
        "add",
        namespace.hostEnd(),
        "type",
        "veth",
        "peer",
        "name",
        namespace.namespaceEnd());
    namespace.ip("link", "set", namespace.namespaceEnd(), "netns", namespace.name);
    namespace.ip("addr", "add", namespace.hostAddress() + "/30", "dev", namespace.hostEnd());
    namespace.ip("link", "set", namespace.hostEnd(), "up");
    namespace.inside(
        "addr", "add", namespace.namespaceAddress() + "/30", "dev", namespace.namespaceEnd());
    namespace.inside("link", "set", namespace.namespaceEnd(), "up");
    namespace.inside("link", "set", "lo", "up");
    return new Creation(Optional.of(namespace), "");
  }

  /** The namespace, or why there is none. */
  record Creation(Optional<NetworkNamespace> namespace, String failure) {}

  String name() {
    return name;
  }

  String hostAddress() {
    return subnet + "1";
  }

  String namespaceAddress() {
    return subnet + "2";
  }

  void cut() {
    inside("link", "set", namespaceEnd(), "down");
  }

  void restore() {
    inside("link", "set", namespaceEnd(), "up");
  }

  @Override
  public void close() {
    ip("netns", "del", name);
  }

  private String hostEnd() {
    return name + "a";
  }

  private String namespaceEnd() {
    return name + "b";
  }

  private void inside(String... arguments) {
    List<String> command = new ArrayList<>(List.of("netns", "exec", name, "ip"));
    command.addAll(List.of(arguments));
    ip(command.toArray(String[]::new));
  }

  private void ip(String... arguments) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          String.join(" ", command) + " cannot run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
