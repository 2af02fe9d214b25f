package org.interesttracker.interest;

import java.io.Serializable;
import java.time.Duration;

/**
 * How re-delivered events are recognised. A user's applied events are remembered, as 64-bit
 * fingerprints of their ids, for {@code horizon} of event time behind the user's latest event, up
 * to {@code maxEvents} of them. Within that, an event is never applied twice. The horizon is at
 * least the allowed lateness, so a re-delivery older than everything remembered is refused as too
 * late, not applied again; only a user with more than {@code maxEvents} events within one horizon
 * can see an old re-delivery applied twice.
 *
 * @param horizon event time behind the user's latest event within which ids are remembered
 * @param maxEvents most ids remembered per user, which bounds the state: about 16 bytes each
 */
public record DedupRules(Duration horizon, int maxEvents) implements Serializable {}
