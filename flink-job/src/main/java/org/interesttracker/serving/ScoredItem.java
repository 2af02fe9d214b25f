package org.interesttracker.serving;

/** An item by vocabulary index with its score for one interest vector. */
public record ScoredItem(int index, float score) {}
