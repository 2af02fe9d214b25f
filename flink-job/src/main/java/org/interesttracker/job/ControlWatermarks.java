package org.interesttracker.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The control stream's watermark: always the end of time. Control requests have no event time, and
 * a two-input operator's event time is the lower of its inputs' watermarks, so a control input
 * without watermarks would hold the users' expiry timers back forever.
 */
final class ControlWatermarks implements WatermarkGenerator<RawRecord> {
  private ControlWatermarks() {}

  static WatermarkStrategy<RawRecord> none() {
    return WatermarkStrategy.forGenerator(context -> new ControlWatermarks());
  }

  @Override
  public void onEvent(RawRecord record, long eventTimestamp, WatermarkOutput output) {}

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(new Watermark(Long.MAX_VALUE));
  }
}
