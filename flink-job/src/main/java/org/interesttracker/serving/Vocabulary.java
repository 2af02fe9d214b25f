package org.interesttracker.serving;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens in model-index order. Index 0 is padding and {@link #unknownIndex()} stands for anything
 * the model never saw (a new item, scene or event type), which the model accepts as input.
 */
public final class Vocabulary {
  private final List<String> tokens;
  private final Map<String, Integer> indices;
  private final int unknownIndex;

  public Vocabulary(List<String> tokens, int unknownIndex) {
    this.tokens = List.copyOf(tokens);
    this.unknownIndex = unknownIndex;
    this.indices = new HashMap<>(tokens.size() * 2);
    for (int i = 0; i < tokens.size(); i++) {
      indices.putIfAbsent(tokens.get(i), i);
    }
  }

  /** The token's index, or the unknown index for a token the model was not trained on. */
  public int indexOf(String token) {
    return indices.getOrDefault(token, unknownIndex);
  }

  public boolean contains(String token) {
    return indices.containsKey(token);
  }

  public String token(int index) {
    return tokens.get(index);
  }

  public int size() {
    return tokens.size();
  }

  public int unknownIndex() {
    return unknownIndex;
  }
}
