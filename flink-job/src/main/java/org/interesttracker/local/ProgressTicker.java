package org.interesttracker.local;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints a progress line at a fixed interval on a daemon thread until closed; an empty line
 * (nothing to say) is not printed.
 */
public final class ProgressTicker implements AutoCloseable {
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
          });

  public ProgressTicker(PrintWriter out, Duration interval, Supplier<String> line) {
    scheduler.scheduleAtFixedRate(
        () -> {
          String text = line.get();
          if (!text.isEmpty()) {
            out.println(text);
            out.flush();
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
