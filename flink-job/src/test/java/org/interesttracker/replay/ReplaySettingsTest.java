package org.interesttracker.replay;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplaySettingsTest {
  @Test
  void rejectsRatesOutsideZeroToOne() {
    assertThatThrownBy(() -> new ReplaySettings("t", "p", 0, 1.5, 0, 1))
        .hasMessage("duplicate rate must be between 0 and 1, got 1.5");
    assertThatThrownBy(() -> new ReplaySettings("t", "p", 0, 0, -0.1, 1))
        .hasMessage("malformed rate must be between 0 and 1, got -0.1");
  }

  @Test
  void rejectsNegativeOrUnboundedSendRates() {
    assertThatThrownBy(() -> new ReplaySettings("t", "p", -5, 0, 0, 1))
        .hasMessageStartingWith("rate must be a positive number of events per second");
    assertThatThrownBy(() -> new ReplaySettings("t", "p", Double.NaN, 0, 0, 1))
        .hasMessageStartingWith("rate must be a positive number of events per second");
  }

  @Test
  void rejectsMissingTopicAndPrefix() {
    assertThatThrownBy(() -> ReplaySettings.plain(" ", "p")).hasMessage("topic must not be empty");
    assertThatThrownBy(() -> ReplaySettings.plain("t", ""))
        .hasMessage("event id prefix must not be empty");
  }

  @Test
  void acceptsTheEdgesOfTheRanges() {
    assertThatCode(() -> new ReplaySettings("t", "p", 0, 1, 1, 1)).doesNotThrowAnyException();
    assertThatCode(() -> new ReplaySettings("t", "p", 0.5, 0, 0, 1)).doesNotThrowAnyException();
  }
}
