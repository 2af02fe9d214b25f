package org.interesttracker.job;

import java.util.Optional;
import org.interesttracker.avro.DeadLetterReason;
import org.interesttracker.job.EventValidator.Rejection;

/**
 * What an id (event, user, item, scene) may contain: any Unicode text of 1 to {@value #MAX_LENGTH}
 * UTF-16 code units with at least one visible character and no control character. Ids are compared
 * exactly as sent: no trimming, case folding or normalisation.
 *
 * <p>"Visible" is the point: text made only of white space, format characters (zero-width space,
 * BOM, joiners) or other default-ignorable code points (Hangul fillers, variation selectors) looks
 * empty to a person and is treated as missing, whatever {@link String#isBlank()} says.
 */
final class IdRules {
  static final int MAX_LENGTH = 512;

  private IdRules() {}

  /** Why {@code id} is unusable, in a message naming {@code field}; empty if it is usable. */
  static Optional<Rejection> check(String field, String id) {
    if (id == null || isBlank(id)) {
      return Optional.of(
          new Rejection(DeadLetterReason.MISSING_FIELD, field + " is missing or blank"));
    }
    if (id.length() > MAX_LENGTH) {
      return Optional.of(
          new Rejection(
              DeadLetterReason.INVALID_FIELD,
              field + " is " + id.length() + " characters long, more than " + MAX_LENGTH));
    }
    int control = id.codePoints().filter(Character::isISOControl).findFirst().orElse(-1);
    if (control >= 0) {
      return Optional.of(
          new Rejection(
              DeadLetterReason.INVALID_FIELD,
              field + " contains the control character U+" + String.format("%04X", control)));
    }
    return Optional.empty();
  }

  /** True if no code point of {@code text} is visible. */
  private static boolean isBlank(String text) {
    return text.codePoints().allMatch(IdRules::isInvisible);
  }

  private static boolean isInvisible(int codePoint) {
    return Character.isWhitespace(codePoint)
        || Character.isSpaceChar(codePoint)
        || Character.isISOControl(codePoint)
        || Character.getType(codePoint) == Character.FORMAT
        || isOtherDefaultIgnorable(codePoint);
  }

  /**
   * Unicode's Default_Ignorable_Code_Point characters that are neither white space nor format
   * characters: Hangul fillers, the combining grapheme joiner and variation selectors.
   */
  private static boolean isOtherDefaultIgnorable(int codePoint) {
    return codePoint == 0x034F
        || codePoint == 0x115F
        || codePoint == 0x1160
        || codePoint == 0x3164
        || codePoint == 0xFFA0
        || (codePoint >= 0x180B && codePoint <= 0x180F)
        || (codePoint >= 0xFE00 && codePoint <= 0xFE0F)
        || (codePoint >= 0xE0100 && codePoint <= 0xE01EF);
  }
}
