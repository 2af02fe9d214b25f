package org.interesttracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandsTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new InterestTrackerCli());
    cli.setOut(new PrintWriter(out));
    return cli.execute(args);
  }

  @Test
  void prepareWritesTheLogAndReportsMalformedLines() throws IOException, URISyntaxException {
    Path input = Path.of(getClass().getResource("/prepare/taobao.csv").toURI());
    Path output = dir.resolve("taobao.csv");

    int exitCode =
        run("prepare", "taobao", "--input", input.toString(), "--output", output.toString());

    assertThat(exitCode).isZero();
    assertThat(Files.readAllLines(output)).hasSize(1 + 6);
    assertThat(out.toString())
        .contains("rows read: 9")
        .contains("malformed: 3")
        .contains(
            "taobao.csv: behavior is not pv, fav, cart or buy: 1 (first at taobao.csv line 6)")
        .contains("users:     3");
  }

  @Test
  void generateWritesTheLogAndTheGroundTruth() throws IOException {
    Path output = dir.resolve("synthetic.csv");
    Path truth = dir.resolve("truth.json");

    int exitCode =
        run(
            "generate",
            "--output",
            output.toString(),
            "--truth",
            truth.toString(),
            "--users",
            "100",
            "--items",
            "300",
            "--count",
            "2000",
            "--seed",
            "3");

    assertThat(exitCode).isZero();
    assertThat(Files.readAllLines(output)).hasSize(1 + 2_000);
    assertThat(Files.readString(truth)).contains("\"halfLifeSeconds\" : 1800");
    assertThat(out.toString()).contains("events:    2,000").contains("scenes:    5");
  }
}
