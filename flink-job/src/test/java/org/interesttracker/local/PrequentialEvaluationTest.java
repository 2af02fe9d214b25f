package org.interesttracker.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.interesttracker.avro.EventType;
import org.interesttracker.eventlog.EventLogRecord;
import org.junit.jupiter.api.Test;

class PrequentialEvaluationTest {

  @Test
  void scoresEachRecommendationAgainstTheUsersNextEventInTheSameScene() {
    List<EventLogRecord> events =
        List.of(
            event(1, "bob", "x", "home"),
            event(2, "ann", "a", "home"),
            event(3, "ann", "q", "shop"), // another scene: scores nothing in home
            event(4, "ann", "c", "home"), // job ranked c second; popularity [x] misses
            event(5, "ann", "x", "home")); // job misses; popularity [x] had x first
    PrequentialEvaluation evaluation = new PrequentialEvaluation(2, 50);
    evaluation.recommended("e1", List.of("a", "b"));
    evaluation.recommended("e2", List.of("b", "c"));
    evaluation.recommended("e3", List.of("r", "s"));
    evaluation.recommended("e4", List.of("d", "e"));
    evaluation.recommended("e5", List.of("f", "g"));

    PrequentialEvaluation.QualityReport report =
        evaluation.evaluate(events.iterator(), List.of("e1", "e2", "e3", "e4", "e5").iterator());

    assertThat(report.evaluated()).isEqualTo(2);
    assertThat(report.hitRate()).isEqualTo(0.5);
    assertThat(report.ndcg()).isCloseTo((1 / (Math.log(3) / Math.log(2))) / 2, within(1e-12));
    // Popularity after ann's first home event: x (1), a (1) minus ann's own a -> [x]; after her
    // second: a, c, x each 1 minus a and c -> [x]. So it misses c, then hits x at rank 0.
    assertThat(report.popularityHitRate()).isEqualTo(0.5);
    assertThat(report.popularityNdcg()).isCloseTo(0.5, within(1e-12));
  }

  private static EventLogRecord event(long time, String user, String item, String scene) {
    return new EventLogRecord(time, user, item, scene, EventType.CLICK);
  }
}
