package org.interesttracker.interest;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Half-life of interest per scene. Scenes without their own half-life (a surface launched after the
 * job was configured) use the default one.
 */
public record SceneHalfLives(Duration defaultHalfLife, Map<String, Duration> perScene)
    implements Serializable {

  public SceneHalfLives {
    requirePositive("default half-life", defaultHalfLife);
    perScene.forEach((scene, halfLife) -> requirePositive("half-life of scene " + scene, halfLife));
    perScene = Map.copyOf(perScene);
  }

  /** These half-lives where set, the given ones (e.g. a model's learned ones) for other scenes. */
  public SceneHalfLives withFallback(Map<String, Duration> fallback) {
    Map<String, Duration> merged = new HashMap<>(fallback);
    merged.putAll(perScene);
    return new SceneHalfLives(defaultHalfLife, merged);
  }

  public Duration forScene(String scene) {
    return perScene.getOrDefault(scene, defaultHalfLife);
  }

  public boolean isConfigured(String scene) {
    return perScene.containsKey(scene);
  }

  private static void requirePositive(String what, Duration halfLife) {
    if (halfLife == null || halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + halfLife);
    }
  }
}
