package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.interesttracker.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code local} opens to the network, read from the listening sockets of a real {@code java
 * -jar ... local --keep-running} process: by default nothing beyond loopback and no jar upload or
 * cancel through the web UI; {@code --web-bind} and {@code --web-submit} open exactly the web UI.
 *
 * <p>Needs the jar and Linux's /proc: runs in {@code mvn verify}, after {@code package}.
 */
class LocalStackNetworkIT {
  private static final Path JAR = Path.of("target", "interest-tracker.jar").toAbsolutePath();
  private static final String KEPT_RUNNING = "Job and web UI keep running";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path work;

  @Test
  void byDefaultEverySocketIsOnLoopbackAndTheWebUiCannotRunOrCancelJobs() throws Exception {
    int webPort = FreePorts.pick();
    try (RunningStack stack = RunningStack.start(work, "--web-port", Integer.toString(webPort))) {
      List<InetSocketAddress> listening = ListeningSockets.of(stack.pid());

      assertThat(listening).extracting(InetSocketAddress::getPort).contains(webPort);
      assertThat(listening)
          .as("listening sockets")
          .allSatisfy(socket -> assertThat(socket.getAddress().isLoopbackAddress()).isTrue());
      assertThat(get(webPort, "/config"))
          .contains("\"web-submit\":false")
          .contains("\"web-cancel\":false");
      HttpResponse<String> upload = postEmpty(webPort, "/jars/upload");
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(404);
      nonLoopbackAddress()
          .ifPresent(
              address -> assertThat(reachable(address, webPort)).as("%s", address).isFalse());
    }
  }

  @Test
  void webBindAndWebSubmitOpenTheWebUiAndNothingElse() throws Exception {
    int webPort = FreePorts.pick();
    try (RunningStack stack =
        RunningStack.start(
            work,
            "--web-port",
            Integer.toString(webPort),
            "--web-bind",
            "0.0.0.0",
            "--web-submit")) {
      List<InetSocketAddress> listening = ListeningSockets.of(stack.pid());

      assertThat(listening)
          .filteredOn(socket -> socket.getPort() == webPort)
          .singleElement()
          .satisfies(socket -> assertThat(socket.getAddress().isAnyLocalAddress()).isTrue());
      assertThat(listening)
          .filteredOn(socket -> socket.getPort() != webPort)
          .isNotEmpty()
          .allSatisfy(socket -> assertThat(socket.getAddress().isLoopbackAddress()).isTrue());
      assertThat(get(webPort, "/config"))
          .contains("\"web-submit\":true")
          .contains("\"web-cancel\":true");
      HttpResponse<String> upload = postEmpty(webPort, "/jars/upload");
      assertThat(upload.body()).as("the upload handler answers").contains("file");
      nonLoopbackAddress()
          .ifPresent(address -> assertThat(reachable(address, webPort)).as("%s", address).isTrue());
    }
  }

  private static String get(int port, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(port, path)).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static HttpResponse<String> postEmpty(int port, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** An IPv4 address of this machine other than loopback, if it has one. */
  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
        .findFirst();
  }

  private static boolean reachable(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** {@code java -jar interest-tracker.jar local --keep-running}, up once its report is out. */
  private record RunningStack(Process process, Path output) implements AutoCloseable {
    static RunningStack start(Path work, String... webOptions) throws Exception {
      assertThat(JAR).as("built by `mvn package`").isRegularFile();
      assumeThat(ListeningSockets.readable()).as("Linux /proc").isTrue();
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-jar", JAR.toString(), "local", "--keep-running"));
      command.addAll(List.of("--max-events", "300", "--parallelism", "1"));
      command.addAll(List.of("--log-file", work.resolve("local.log").toString()));
      command.addAll(List.of(webOptions));
      Path output = work.resolve("console.txt");
      Process process =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      RunningStack stack = new RunningStack(process, output);
      stack.awaitReport();
      return stack;
    }

    long pid() {
      return process.pid();
    }

    private void awaitReport() throws Exception {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!Files.readString(output).contains(KEPT_RUNNING)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new AssertionError(
              "local did not come up; it printed:\n" + Files.readString(output));
        }
        Thread.sleep(200);
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
