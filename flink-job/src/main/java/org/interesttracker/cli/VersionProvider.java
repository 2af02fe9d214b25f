package org.interesttracker.cli;

import picocli.CommandLine;

/** Reports the version Maven stamped into the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"interest-tracker " + (version == null ? "(development build)" : version)};
  }
}
