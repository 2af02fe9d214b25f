package org.interesttracker.job;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.interesttracker.popularity.ItemWeight;
import org.interesttracker.popularity.PopularityRule;

/**
 * Live popularity, keyed by item over every scene and by item in each scene ({@link
 * PopularityEvent}): each key's events wait in state until the watermark closes their interval,
 * then the key's weight moves to the interval's end and is published to every scoring instance
 * ({@link BroadcastInput}). The timer of an interval fires at its end - 1, when the watermark says
 * every event before the end has arrived, and its updates go out before that watermark does.
 * Waiting events are keyed by event id, so a re-delivery before its interval is published counts
 * once. An event later than the watermark counts in the item's first open interval. A key whose
 * weight has decayed below the minimum leaves the state.
 */
final class PopularityAggregation
    extends KeyedProcessFunction<String, PopularityEvent, BroadcastInput> {
  private final PopularityRule rule;
  private transient ValueState<ItemWeight> published;
  private transient MapState<String, Long> waiting;

  PopularityAggregation(PopularityRule rule) {
    this.rule = rule;
  }

  @Override
  public void open(OpenContext context) {
    published =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("item-weight", TypeInformation.of(ItemWeight.class)));
    waiting =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("waiting-events", Types.STRING, Types.LONG));
  }

  @Override
  public void processElement(PopularityEvent in, Context context, Collector<BroadcastInput> out)
      throws Exception {
    waiting.put(in.eventId, in.timeMs);
    context.timerService().registerEventTimeTimer(intervalEnd(in.timeMs) - 1);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<BroadcastInput> out)
      throws Exception {
    long boundary = timestamp + 1;
    ItemWeight weight = published.value();
    if (weight == null) {
      weight = new ItemWeight();
    }
    long firstOpen = weight.atMs;
    List<Long> due = new ArrayList<>();
    Iterator<Map.Entry<String, Long>> events = waiting.iterator();
    while (events.hasNext()) {
      Map.Entry<String, Long> event = events.next();
      long end = Math.max(intervalEnd(event.getValue()), firstOpen + rule.intervalMs());
      if (end <= boundary) {
        due.add(event.getValue());
        events.remove();
      } else {
        context.timerService().registerEventTimeTimer(end - 1);
      }
    }
    if (weight.publish(rule, due.stream().mapToLong(Long::longValue).toArray(), boundary)) {
      published.update(weight);
      out.collect(
          BroadcastInput.of(
              PopularityEvent.update(context.getCurrentKey(), weight.weight, weight.atMs)));
      context.timerService().registerEventTimeTimer(belowMinimumAt(weight));
    } else if (waiting.isEmpty() && rule.weightAt(weight.weight, weight.atMs, boundary) == 0.0) {
      // Decayed below the minimum: the scoring instances drop it too.
      published.clear();
      waiting.clear();
    }
  }

  private long intervalEnd(long timeMs) {
    return rule.intervalStart(timeMs) + rule.intervalMs();
  }

  /** When the weight will have decayed below the minimum, if no event comes before. */
  private long belowMinimumAt(ItemWeight weight) {
    if (!(rule.minWeight() > 0)) {
      return Long.MAX_VALUE;
    }
    double halfLives = Math.log(weight.weight / rule.minWeight()) / Math.log(2.0);
    long afterMs = (long) Math.ceil(halfLives * rule.halfLifeHours() * 3_600_000.0) + 1;
    return weight.atMs + Math.max(afterMs, 1);
  }
}
