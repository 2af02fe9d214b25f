package org.interesttracker.eventlog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * The SHA-256 of records as the event-log CSV holds them: the fingerprint the model's exporter
 * gives the log it trained on, so that a replayed stream, generated or read from a file, can be
 * recognised as that log.
 */
public final class EventLogFingerprint {
  private EventLogFingerprint() {}

  /** The hex SHA-256 of the records written as an event-log file, header included. */
  public static String sha256(Iterator<EventLogRecord> records) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
    OutputStream hashed = new DigestOutputStream(OutputStream.nullOutputStream(), digest);
    try (EventLogWriter writer =
        new EventLogWriter(
            new BufferedWriter(new OutputStreamWriter(hashed, StandardCharsets.UTF_8)))) {
      records.forEachRemaining(writer::write);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
