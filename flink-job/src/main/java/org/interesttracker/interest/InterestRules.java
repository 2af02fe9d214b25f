package org.interesttracker.interest;

import java.io.Serializable;
import java.time.Duration;

/**
 * The bounds and clocks of one user's interest state.
 *
 * @param historyLength events kept in the history (the model's input length)
 * @param dedup how long and how many applied events are remembered to drop re-deliveries
 * @param maxScenesPerUser scenes kept per user; the least recently active one is evicted beyond
 * @param allowedLateness how far behind the user's latest event an event may arrive and still be
 *     placed in time order
 * @param halfLives per-scene decay
 * @param profileChange how far a scene's strength may move from the latest profile sent, as a share
 *     of that profile's total, before the next goes out ({@link ProfileUpdates}); 0 sends one after
 *     every applied event
 */
public record InterestRules(
    int historyLength,
    DedupRules dedup,
    int maxScenesPerUser,
    Duration allowedLateness,
    SceneHalfLives halfLives,
    double profileChange)
    implements Serializable {}
