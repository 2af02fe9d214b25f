package org.interesttracker.prepare;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a raw delimited text file line by line and hands each line's fields to a parser; a line the
 * parser rejects is counted in the report under the file's name and its reason, and reading goes
 * on.
 */
final class DelimitedLines {

  /** Turns the fields of one line into a value, or says why it cannot. */
  @FunctionalInterface
  interface LineParser<T> {
    T parse(String[] fields) throws MalformedLineException;
  }

  private DelimitedLines() {}

  /**
   * @param separator the single character between fields
   * @param expectedFields lines with another number of fields are counted as malformed
   * @param countsAsEventRow whether each line is an event row (counted in {@link
   *     ConversionReport#rowsRead()}) rather than reference data
   */
  static <T> void read(
      Path file,
      Charset charset,
      char separator,
      int expectedFields,
      boolean countsAsEventRow,
      ConversionReport report,
      LineParser<T> parser,
      Consumer<T> sink)
      throws IOException {
    Pattern split = Pattern.compile(Pattern.quote(String.valueOf(separator)));
    String fileName = file.getFileName().toString();
    try (BufferedReader in = Files.newBufferedReader(file, charset)) {
      long lineNumber = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (countsAsEventRow) {
          report.countRowRead();
        }
        String[] fields = split.split(line, -1);
        try {
          if (fields.length != expectedFields) {
            throw new MalformedLineException(
                "expected " + expectedFields + " fields but found " + fields.length);
          }
          sink.accept(parser.parse(fields));
        } catch (MalformedLineException e) {
          report.countMalformed(fileName + ": " + e.reason(), fileName + " line " + lineNumber);
        }
      }
    }
  }

  /** Parses a non-negative decimal integer field. */
  static long parseNumber(String field, String name) throws MalformedLineException {
    if (field.isEmpty() || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new MalformedLineException(name + " is not a non-negative integer");
    }
    try {
      return Long.parseLong(field);
    } catch (NumberFormatException e) {
      throw new MalformedLineException(name + " is too large");
    }
  }

  /** Converts unix seconds to epoch milliseconds. */
  static long secondsToMillis(long seconds) throws MalformedLineException {
    try {
      return Math.multiplyExact(seconds, 1000L);
    } catch (ArithmeticException e) {
      throw new MalformedLineException("timestamp is out of range");
    }
  }
}
