package dev.flightdeck.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** What the numbers were measured on. */
final class Machine {
  private Machine() {}

  /** The one-minute load average: other work on the machine competes with the bench. */
  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static String describe(String serverHeap) {
    Runtime runtime = Runtime.getRuntime();
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    String memory = "";
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memory = String.format(", %.1f GiB RAM", sun.getTotalMemorySize() / (double) (1L << 30));
    }
    return String.format(
        "%d cores%s, %s %s %s; Java %s (%s); bench JVM heap max %.1f GiB, server JVMs -Xms%s -Xmx%s%s",
        runtime.availableProcessors(),
        memory,
        os.getName(),
        os.getVersion(),
        os.getArch(),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"),
        runtime.maxMemory() / (double) (1L << 30),
        serverHeap,
        serverHeap,
        ChildJvm.transparentHugePages() ? " with transparent huge pages" : "");
  }
}
