package org.interesttracker.consume;

/** Where a read starts in each partition. */
public enum ReadFrom {
  /** The oldest record the topic still holds. */
  BEGINNING,
  /** After the newest record: only records written from now on. */
  END
}
