package org.interesttracker.lifecycle;

import java.nio.charset.StandardCharsets;

/**
 * Which users a canary serves: those whose id hashes below the share. The hash is a 64-bit FNV-1a
 * of the id's UTF-8 bytes, finished with MurmurHash3's mixer, so the same user is in or out on
 * every task manager, after every restart and rescale, and the share is independent of Flink's key
 * groups (which hash {@code String.hashCode}): a canary is not one subtask's users.
 */
public final class CanaryShare {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private CanaryShare() {}

  /** True if {@code userId} is among the {@code share} (0 to 1) of users the canary serves. */
  public static boolean includes(String userId, double share) {
    return share > 0 && position(userId) < share;
  }

  /** The user's place in [0, 1). */
  static double position(String userId) {
    long hash = FNV_OFFSET;
    for (byte b : userId.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * FNV_PRIME;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return (hash >>> 11) * 0x1.0p-53;
  }
}
