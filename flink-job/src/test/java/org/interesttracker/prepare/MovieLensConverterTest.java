package org.interesttracker.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.interesttracker.prepare.PreparationFixtures.malformedCounts;
import static org.interesttracker.prepare.PreparationFixtures.readLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensConverterTest {

  @TempDir Path dir;

  /**
   * An ml-100k-shaped folder of made-up rows. They are kept under other names, so that no file of
   * the repository looks like the real dataset, which is not redistributable.
   */
  private Path fixtureFolder() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("ml-100k"));
    Files.copy(
        PreparationFixtures.resource("movielens/ratings-fixture.tsv"), folder.resolve("u.data"));
    Files.copy(
        PreparationFixtures.resource("movielens/movies-fixture.txt"), folder.resolve("u.item"));
    return folder;
  }

  @Test
  void convertsRatingsIntoSortedEventsAndCountsMalformedLines() throws IOException {
    Path output = dir.resolve("movielens.csv");

    EventLogPreparation.Result result =
        EventLogPreparation.run(new MovieLensConverter(fixtureFolder()), output);

    assertThat(readLog(output))
        .containsExactly(
            new EventLogRecord(899_999_999_000L, "10", "13", "action-adventure", EventType.CLICK),
            new EventLogRecord(
                900_000_000_000L, "1", "10", "thriller-crime-horror", EventType.LIKE),
            new EventLogRecord(900_000_000_000L, "1", "12", "comedy-family", EventType.LIKE),
            new EventLogRecord(
                900_000_000_000L, "9", "10", "thriller-crime-horror", EventType.CLICK),
            new EventLogRecord(900_000_100_000L, "2", "11", "drama-romance", EventType.CLICK));
    assertThat(result.report().rowsRead()).isEqualTo(9);
    assertThat(malformedCounts(result.report()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "u.data: rating is not between 1 and 5", 1L,
                "u.data: item id is not a non-negative integer", 1L,
                "u.data: item id is not in u.item", 1L,
                "u.data: expected 4 fields but found 3", 1L,
                "u.item: genre flag is not 0 or 1", 1L));
    assertThat(
            result.report().malformedByReason().get("u.data: item id is not in u.item").firstAt())
        .isEqualTo("u.data line 8");
    assertThat(result.written().events()).isEqualTo(5);
    assertThat(result.written().users()).isEqualTo(4);
  }

  @Test
  void groupsGenresIntoScenesByPriority() {
    assertThat(MovieLensScene.of(Set.of("Drama", "Thriller", "Action")))
        .isEqualTo(MovieLensScene.THRILLER_CRIME_HORROR);
    assertThat(MovieLensScene.of(Set.of("Comedy", "War")))
        .isEqualTo(MovieLensScene.ACTION_ADVENTURE);
    assertThat(MovieLensScene.of(Set.of("Romance", "Musical")))
        .isEqualTo(MovieLensScene.COMEDY_FAMILY);
    assertThat(MovieLensScene.of(Set.of("Documentary"))).isEqualTo(MovieLensScene.OTHER);
    assertThat(MovieLensScene.of(Set.of())).isEqualTo(MovieLensScene.OTHER);
  }

  @Test
  void convertsTheRealMovieLens100k() throws IOException {
    Path input = PreparationFixtures.sharedData("movielens-100k");
    assumeThat(PreparationFixtures.exists(input)).as("real data at " + input).isTrue();
    Path output = dir.resolve("ml-100k.csv");

    EventLogPreparation.Result result =
        EventLogPreparation.run(new MovieLensConverter(input), output);

    assertThat(result.report().rowsRead()).isEqualTo(100_000);
    assertThat(result.report().malformedTotal()).isZero();
    assertThat(result.written().events()).isEqualTo(100_000);
    assertThat(result.written().users()).isEqualTo(943);
    assertThat(result.written().items()).isEqualTo(1_682);
    assertThat(result.written().eventsByScene()).hasSize(5);
    assertThat(result.written().first()).isEqualTo(Instant.parse("1997-09-20T03:05:10Z"));
    assertThat(result.written().last()).isEqualTo(Instant.parse("1998-04-22T23:10:38Z"));
    assertThat(readLog(output)).hasSize(100_000);
  }
}
