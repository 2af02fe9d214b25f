package org.interesttracker.serving;

/** An item of a popularity list, with its vocabulary index and training count. */
public record PopularItem(String itemId, int index, double count) {}
