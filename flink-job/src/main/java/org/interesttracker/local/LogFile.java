package org.interesttracker.local;

import java.nio.file.Path;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Sends this process's log to a file instead of the console while a local run lasts: it starts
 * Kafka and Flink in the same process, and their warnings would bury the progress lines. Errors a
 * user must act on are reported by the commands themselves.
 */
public final class LogFile implements AutoCloseable {
  private static final String APPENDER = "local-run-file";

  private final LoggerContext context;
  private final Map<String, Appender> replaced;
  private final FileAppender file;

  private LogFile(LoggerContext context, Map<String, Appender> replaced, FileAppender file) {
    this.context = context;
    this.replaced = replaced;
    this.file = file;
  }

  /** Every log event of this process goes to {@code path} (appended) until closed. */
  public static LogFile redirectTo(Path path) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    FileAppender file =
        FileAppender.newBuilder()
            .setName(APPENDER)
            .withFileName(path.toString())
            .setLayout(
                PatternLayout.newBuilder()
                    .withPattern("%d{HH:mm:ss.SSS} %-5p %c{1} - %m%n")
                    .withConfiguration(config)
                    .build())
            .setConfiguration(config)
            .build();
    file.start();
    LoggerConfig root = config.getRootLogger();
    Map<String, Appender> replaced = Map.copyOf(root.getAppenders());
    replaced.keySet().forEach(root::removeAppender);
    root.addAppender(file, null, null);
    context.updateLoggers();
    return new LogFile(context, replaced, file);
  }

  /** Logs to where it went before. */
  @Override
  public void close() {
    LoggerConfig root = context.getConfiguration().getRootLogger();
    root.removeAppender(APPENDER);
    replaced.values().forEach(appender -> root.addAppender(appender, null, null));
    context.updateLoggers();
    file.stop();
  }
}
