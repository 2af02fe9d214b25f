package org.interesttracker.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.interesttracker.prepare.PreparationFixtures.malformedCounts;
import static org.interesttracker.prepare.PreparationFixtures.readLog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaobaoConverterTest {

  @TempDir Path dir;

  @Test
  void convertsBehaviorsIntoSortedEventsAndCountsMalformedLines() throws IOException {
    Path output = dir.resolve("taobao.csv");

    EventLogPreparation.Result result =
        EventLogPreparation.run(
            new TaobaoConverter(PreparationFixtures.resource("taobao.csv")), output);

    assertThat(readLog(output))
        .containsExactly(
            new EventLogRecord(1_511_000_000_000L, "7", "500", "category-group-0", EventType.VIEW),
            new EventLogRecord(1_511_000_000_000L, "8", "500", "category-group-0", EventType.VIEW),
            new EventLogRecord(1_511_000_000_000L, "12", "500", "category-group-0", EventType.CART),
            new EventLogRecord(1_511_000_000_000L, "12", "503", "category-group-0", EventType.VIEW),
            new EventLogRecord(1_511_000_030_000L, "7", "502", "category-group-1", EventType.LIKE),
            new EventLogRecord(
                1_511_000_060_000L, "7", "501", "category-group-1", EventType.PURCHASE));
    assertThat(result.report().rowsRead()).isEqualTo(9);
    assertThat(malformedCounts(result.report()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "taobao.csv: behavior is not pv, fav, cart or buy", 1L,
                "taobao.csv: category id is not a non-negative integer", 1L,
                "taobao.csv: expected 5 fields but found 4", 1L));
  }

  @Test
  void groupsCategoriesIntoEightScenesByIdModulo() {
    assertThat(TaobaoConverter.sceneOf(2_520_377L)).isEqualTo("category-group-1");
    assertThat(TaobaoConverter.sceneOf(16L)).isEqualTo("category-group-0");
    assertThat(TaobaoConverter.sceneOf(15L)).isEqualTo("category-group-7");
  }

  @Test
  void convertsTheRealTaobaoHead() throws IOException {
    Path input = PreparationFixtures.sharedData("taobao-userbehavior-head/UserBehavior_head.csv");
    assumeThat(PreparationFixtures.exists(input)).as("real data at " + input).isTrue();
    Path output = dir.resolve("taobao.csv");

    EventLogPreparation.Result result = EventLogPreparation.run(new TaobaoConverter(input), output);

    assertThat(result.report().rowsRead()).isEqualTo(84_476);
    assertThat(malformedCounts(result.report()))
        .containsExactly(Map.entry("UserBehavior_head.csv: expected 5 fields but found 4", 1L));
    assertThat(result.written().events()).isEqualTo(84_475);
    assertThat(result.written().users()).isEqualTo(815);
    assertThat(result.written().items()).isEqualTo(55_368);
    assertThat(result.written().eventsByScene()).hasSize(8);
    assertThat(result.written().first()).isEqualTo(Instant.parse("2017-09-11T08:16:39Z"));
    assertThat(result.written().last()).isEqualTo(Instant.parse("2017-12-03T15:59:23Z"));
    assertThat(readLog(output)).hasSize(84_475);
  }
}
