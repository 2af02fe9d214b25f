package org.interesttracker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import org.interesttracker.eventlog.EventLogFormatException;
import org.interesttracker.replay.ReplayException;
import org.interesttracker.serving.ModelLoadException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * How a failing command reports itself: one line that names the problem, and its stack trace only
 * with {@code --verbose}. Exit codes: 2 for what the user asked wrongly (an option's value, a model
 * directory), 1 for what the surroundings refused (a file, an unreachable Kafka) and for bugs.
 */
final class CommandErrors implements CommandLine.IExecutionExceptionHandler {
  static final String VERBOSE = "--verbose";

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    err.println("error: " + describe(exception));
    if (isVerbose(parseResult)) {
      exception.printStackTrace(err);
    } else if (!isExpected(exception)) {
      err.println("(an unexpected error: run again with " + VERBOSE + " for its stack trace)");
    }
    err.flush();
    return isUsageError(exception) ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
  }

  private static boolean isUsageError(Exception exception) {
    return exception instanceof IllegalArgumentException
        || exception instanceof CommandLine.TypeConversionException
        || exception instanceof ModelLoadException;
  }

  private static boolean isExpected(Exception exception) {
    return isUsageError(exception)
        || exception instanceof IOException
        || exception instanceof EventLogFormatException
        || exception instanceof ReplayException;
  }

  private static String describe(Exception exception) {
    if (exception instanceof NoSuchFileException) {
      return "file not found: " + exception.getMessage();
    }
    return isExpected(exception) ? exception.getMessage() : exception.toString();
  }

  private static boolean isVerbose(ParseResult parseResult) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }
}
