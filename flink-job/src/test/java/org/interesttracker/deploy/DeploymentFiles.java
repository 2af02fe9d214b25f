package org.interesttracker.deploy;

import java.nio.file.Path;
import java.util.List;

/** Where the deployment files are, and the names they share. */
final class DeploymentFiles {
  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  static final Path COMPOSE = REPOSITORY.resolve("docker-compose.yml");
  static final Path DEPLOY = REPOSITORY.resolve("deploy");
  static final Path MONITORING = DEPLOY.resolve("monitoring");
  static final List<String> FLINK_SERVICES =
      List.of("jobmanager", "taskmanager-1", "taskmanager-2");

  private DeploymentFiles() {}
}
