package dev.flightdeck.it;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the {@link TrinoCluster} when the JUnit session of this test JVM ends, so that its two
 * processes do not outlive the tests (a JVM shutdown hook covers the other ways out). Registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class TrinoClusterSessionListener implements LauncherSessionListener {
  @Override
  public void launcherSessionClosed(LauncherSession session) {
    TrinoCluster.stopIfStarted();
  }
}
