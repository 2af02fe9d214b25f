package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.interesttracker.avro.ColdStart;
import org.interesttracker.avro.Reason;
import org.interesttracker.avro.Recommendation;
import org.interesttracker.avro.RecommendedItem;
import org.junit.jupiter.api.Test;

class RecommendationLineTest {

  @Test
  void showsWhoWhereTheFirstItemsAndTheirReasons() {
    Recommendation recommendation =
        Recommendation.newBuilder()
            .setUserId("17")
            .setScene("search")
            .setEventId("replay-3")
            .setEventTime(0L)
            .setEmitTime(0L)
            .setModelVersion("v1")
            .setColdStart(ColdStart.NEW_IN_SCENE)
            .setItems(
                List.of(
                    new RecommendedItem("2041", 0.83f, List.of(new Reason("2033", "home", 0.41f))),
                    new RecommendedItem("12", 0.5f, List.of()),
                    new RecommendedItem("13", 0.4f, List.of()),
                    new RecommendedItem("14", 0.3f, List.of())))
            .build();

    assertThat(RecommendationLine.of(recommendation).strip())
        .isEqualTo(
            "user 17 in search (NEW_IN_SCENE): 2041 0.83 (because of 2033 in home 0.41), 12 0.50,"
                + " 13 0.40, ...");
  }
}
