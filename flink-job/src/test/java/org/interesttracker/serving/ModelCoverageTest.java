package org.interesttracker.serving;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelCoverageTest {
  @Test
  void countsEventsWhoseItemAndSceneTheModelKnows() {
    ModelCoverage coverage = new ModelCoverage(DefaultModel.load());
    assertThat(coverage.share()).isEqualTo(1.0);

    coverage.record("12", "home");
    coverage.record("12", "a-scene-it-never-saw");
    coverage.record("an-item-it-never-saw", "home");
    coverage.record("40", "shop");

    assertThat(coverage.events()).isEqualTo(4);
    assertThat(coverage.share()).isEqualTo(0.5);
    assertThat(coverage.isLow()).isFalse();
    coverage.record("an-item-it-never-saw", "home");
    assertThat(coverage.isLow()).isTrue();
  }
}
