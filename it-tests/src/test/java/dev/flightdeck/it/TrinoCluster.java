package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Trino cluster for the integration tests: a coordinator and one worker, each a JVM process
 * of its own, from the server tarball that the build unpacks into {@code target/trino}.
 *
 * <p>{@link #get()} starts it on first use and hands the same cluster to every test of this test
 * JVM; {@link TrinoClusterSessionListener} stops it when the JUnit session ends, and a shutdown
 * hook when the JVM ends otherwise. A run that was killed leaves its pids in {@code
 * target/trino-cluster/trino.pids}; the next start kills those processes first.
 *
 * <p>The coordinator also schedules work on itself ({@code
 * node-scheduler.include-coordinator=true}), so a query's tasks run on both nodes; with {@code
 * false} every task would run on the single worker and nothing would be distributed. Catalogs:
 * {@code memory}, and {@code hive} with a file metastore under {@code
 * target/trino-cluster/hive/metastore} and the native local file system rooted at {@code /}, so an
 * external table can point at any local directory ({@link #location(Path)}).
 *
 * <p>Trino 476 needs Java 24+: the nodes run on {@code -Dtrino.java.home}, else {@code
 * TRINO_JAVA_HOME}, else {@value #DEFAULT_JAVA_HOME}. When that is no Java 24+ home, the tests that
 * need the cluster are skipped, and say so loudly.
 */
public final class TrinoCluster {
  public static final String USER = "flightdeck";
  static final String DEFAULT_JAVA_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";
  static final int MINIMUM_JAVA = 24;
  static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  static final int LOG_TAIL_LINES = 40;

  /**
   * As Trino's recommended jvm.config, with a small heap, the nodes' clocks in UTC, and the C1 JIT
   * only: a node then starts in 15–16 s instead of 20–22 s on an idle two-core machine, and the
   * tests' queries are small.
   */
  static final List<String> JVM_OPTIONS =
      List.of(
          "-server",
          "-Xmx1G",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseG1GC",
          "-XX:G1HeapRegionSize=32M",
          "-XX:+ExplicitGCInvokesConcurrent",
          "-XX:+ExitOnOutOfMemoryError",
          "-XX:-OmitStackTraceInFastThrow",
          "-XX:ReservedCodeCacheSize=256M",
          "-XX:PerMethodRecompilationCutoff=10000",
          "-XX:PerBytecodeRecompilationCutoff=10000",
          "-XX:+EnableDynamicAgentLoading",
          "-Djdk.attach.allowAttachSelf=true",
          "-Djdk.nio.maxCachedBufferSize=2000000",
          "-Dfile.encoding=UTF-8",
          "-Duser.timezone=UTC");

  private static final Object LOCK = new Object();

  /**
   * Every node process started and not yet stopped, for the shutdown hook (which takes no lock).
   */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  private static TrinoCluster instance;
  private static RuntimeException startFailure;
  private static String skipReason;
  private static boolean shutdownHookAdded;

  private final Path clusterDir;
  private final Node coordinator;
  private final Node worker;
  private final Duration startTime;

  private TrinoCluster(Path clusterDir, Node coordinator, Node worker, Duration startTime) {
    this.clusterDir = clusterDir;
    this.coordinator = coordinator;
    this.worker = worker;
    this.startTime = startTime;
  }

  /**
   * The cluster of this test JVM, started on the first call (15–30 s on an idle machine). Aborts
   * the calling test (a skip) when there is no Java 24+ for the nodes: call it from
   * {@code @BeforeEach} so that each test is reported skipped (an abort in {@code @BeforeAll} is
   * counted as no test at all). A cluster that failed to start fails every later caller at once
   * with the same error.
   */
  public static TrinoCluster get() {
    synchronized (LOCK) {
      if (instance != null) {
        return instance;
      }
      if (startFailure != null) {
        throw new IllegalStateException(
            "the Trino cluster failed to start earlier in this run: " + startFailure.getMessage(),
            startFailure);
      }
      if (skipReason != null) {
        Assumptions.abort(skipReason);
      }
      List<String> lookedAt = new ArrayList<>();
      Optional<Path> javaHome = findJavaHome(lookedAt);
      if (javaHome.isEmpty()) {
        skipReason =
            "TRINO INTEGRATION TESTS SKIPPED: no Java "
                + MINIMUM_JAVA
                + "+ to run Trino on. Looked at: "
                + String.join("; ", lookedAt)
                + ". Install a JDK "
                + MINIMUM_JAVA
                + "+ and point -Dtrino.java.home or TRINO_JAVA_HOME at it.";
        String rule = "*".repeat(100);
        System.err.println(rule + "\n*** " + skipReason + "\n" + rule);
        Assumptions.abort(skipReason);
      }
      try {
        instance = start(javaHome.get(), serverDir(), clusterDir());
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
      return instance;
    }
  }

  /** Stops the cluster if this JVM started one; the next {@link #get()} would start a new one. */
  static void stopIfStarted() {
    synchronized (LOCK) {
      if (instance != null) {
        TrinoCluster stopping = instance;
        instance = null;
        stopping.stop();
      }
    }
  }

  /** {@code jdbc:trino://127.0.0.1:port[/catalog[/schema]]}; null parts are left out. */
  public String jdbcUrl(String catalog, String schema) {
    if (catalog == null && schema != null) {
      throw new IllegalArgumentException("a schema '" + schema + "' needs a catalog");
    }
    return "jdbc:trino://127.0.0.1:"
        + coordinator.httpPort()
        + (catalog == null ? "" : "/" + catalog + (schema == null ? "" : "/" + schema));
  }

  /** A connection as {@value #USER}, autocommit on (the memory connector refuses DDL without). */
  public Connection connect(String catalog, String schema) throws SQLException {
    return connect(jdbcUrl(catalog, schema));
  }

  private static Connection connect(String url) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    return DriverManager.getConnection(url, properties);
  }

  /** The coordinator's HTTP port (REST API, web UI, JDBC). */
  public int httpPort() {
    return coordinator.httpPort();
  }

  /** A directory for the files of external Hive tables; any other local directory works too. */
  public Path hiveRoot() {
    return clusterDir.resolve("hive").resolve("external");
  }

  /** A new empty directory under {@link #hiveRoot()}, for one external table's files. */
  public Path newHiveDirectory(String prefix) {
    try {
      return Files.createTempDirectory(hiveRoot(), prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code external_location} of a local directory: {@code local:///absolute/path}. The Hive
   * catalog's local file system is rooted at {@code /}, so every local path is reachable. Not
   * {@code file:///}: Trino 476 accepts it in CREATE TABLE and INSERT, but a SELECT then finds no
   * rows (the file system lists the files as {@code local:///...}).
   */
  public static String location(Path directory) {
    return "local://" + directory.toAbsolutePath().normalize();
  }

  /** From starting the two processes until both nodes were active. */
  public Duration startTime() {
    return startTime;
  }

  /** Resident memory of each node process in MiB, where the system tells it ({@code /proc}). */
  public Map<String, Long> residentMebibytes() {
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Node node : List.of(coordinator, worker)) {
      node.residentMebibytes().ifPresent(size -> sizes.put(node.name(), size));
    }
    return sizes;
  }

  /** The last lines of each node's log, for a failure message. */
  public String logTails() {
    return logTails(List.of(coordinator, worker));
  }

  private static String logTails(List<Node> nodes) {
    StringBuilder tails = new StringBuilder();
    nodes.forEach(node -> tails.append(node.logTail()));
    return tails.toString();
  }

  // ---- starting and stopping ----

  private static Path serverDir() {
    Path server = Path.of(System.getProperty("trino.server.dir", "target/trino")).toAbsolutePath();
    for (String part : List.of("lib", "plugin/memory", "plugin/hive")) {
      if (!Files.isDirectory(server.resolve(part))) {
        throw new IllegalStateException(
            "no Trino server at "
                + server
                + " (missing "
                + part
                + "/): the it-tests build unpacks it in pre-integration-test; run through mvn verify"
                + " (if only target/trino was deleted, delete"
                + " target/dependency-maven-plugin-markers too)");
      }
    }
    return server;
  }

  private static Path clusterDir() {
    return Path.of(System.getProperty("trino.cluster.dir", "target/trino-cluster"))
        .toAbsolutePath()
        .normalize();
  }

  private static TrinoCluster start(Path javaHome, Path serverDir, Path clusterDir) {
    try {
      killLeftovers(clusterDir);
      deleteRecursively(clusterDir);
      Files.createDirectories(clusterDir.resolve("hive").resolve("external"));
      Path metastore = Files.createDirectories(clusterDir.resolve("hive").resolve("metastore"));
      int coordinatorPort = freePort();
      int workerPort = freePort();
      while (workerPort == coordinatorPort) {
        workerPort = freePort();
      }
      String discovery = "http://127.0.0.1:" + coordinatorPort;
      Map<String, Map<String, String>> catalogs =
          Map.of("memory", memoryCatalog(), "hive", hiveCatalog(metastore));
      addShutdownHookOnce();
      long started = System.nanoTime();
      Node coordinator =
          Node.launch(
              "coordinator",
              coordinatorPort,
              coordinatorConfig(coordinatorPort, discovery),
              catalogs,
              javaHome,
              serverDir,
              clusterDir);
      Node worker;
      try {
        worker =
            Node.launch(
                "worker",
                workerPort,
                workerConfig(workerPort, discovery),
                catalogs,
                javaHome,
                serverDir,
                clusterDir);
      } catch (RuntimeException e) {
        coordinator.stop();
        throw e;
      }
      Files.writeString(
          clusterDir.resolve("trino.pids"),
          coordinator.pid() + " coordinator\n" + worker.pid() + " worker\n",
          UTF_8);
      try {
        awaitActiveNodes(coordinator, worker);
      } catch (RuntimeException e) {
        worker.stop();
        coordinator.stop();
        throw e;
      }
      Duration startTime = Duration.ofNanos(System.nanoTime() - started);
      System.out.printf(
          "Trino cluster up in %.1f s: coordinator %s (pid %d), worker port %d (pid %d), Java %s,"
              + " logs in %s%n",
          startTime.toMillis() / 1000.0,
          discovery,
          coordinator.pid(),
          workerPort,
          worker.pid(),
          javaHome,
          clusterDir);
      return new TrinoCluster(clusterDir, coordinator, worker, startTime);
    } catch (IOException e) {
      throw new UncheckedIOException("could not set up the Trino cluster in " + clusterDir, e);
    }
  }

  private static void awaitActiveNodes(Node coordinator, Node worker) {
    List<Node> nodes = List.of(coordinator, worker);
    String url = "jdbc:trino://127.0.0.1:" + coordinator.httpPort() + "/system/runtime";
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String lastSeen = "no answer yet";
    while (true) {
      for (Node node : nodes) {
        if (!node.process().isAlive()) {
          throw new IllegalStateException(
              "Trino "
                  + node.name()
                  + " exited with code "
                  + node.process().exitValue()
                  + " while the cluster started\n"
                  + logTails(nodes));
        }
      }
      try (Connection connection = connect(url);
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT node_id, state FROM nodes")) {
        List<String> seen = new ArrayList<>();
        int active = 0;
        while (rows.next()) {
          seen.add(rows.getString(1) + "=" + rows.getString(2));
          if ("active".equals(rows.getString(2))) {
            active++;
          }
        }
        lastSeen = "system.runtime.nodes: " + seen;
        if (active == nodes.size()) {
          return;
        }
      } catch (SQLException e) {
        lastSeen = "the coordinator answered: " + e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the Trino cluster did not have "
                + nodes.size()
                + " active nodes after "
                + START_TIMEOUT.toSeconds()
                + " s; last seen: "
                + lastSeen
                + "\n"
                + logTails(nodes));
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the Trino cluster started", e);
      }
    }
  }

  private void stop() {
    long stopping = System.nanoTime();
    worker.stop();
    coordinator.stop();
    System.out.printf(
        "Trino cluster stopped in %.1f s%n", (System.nanoTime() - stopping) / 1_000_000_000.0);
    try {
      Files.deleteIfExists(clusterDir.resolve("trino.pids"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void addShutdownHookOnce() {
    if (!shutdownHookAdded) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    for (Process process : LIVE) {
                      process.destroyForcibly();
                    }
                  },
                  "trino-cluster-stop"));
      shutdownHookAdded = true;
    }
  }

  /** Kills the nodes a killed earlier run left behind: pids recorded in this cluster directory. */
  private static void killLeftovers(Path clusterDir) throws IOException {
    Path pids = clusterDir.resolve("trino.pids");
    if (!Files.isRegularFile(pids)) {
      return;
    }
    for (String line : Files.readAllLines(pids, UTF_8)) {
      String[] parts = line.trim().split("\\s+");
      if (parts[0].isEmpty()) {
        continue;
      }
      Optional<ProcessHandle> leftover =
          ProcessHandle.of(Long.parseLong(parts[0]))
              .filter(
                  handle ->
                      handle
                          .info()
                          .commandLine()
                          .map(command -> command.contains(clusterDir.toString()))
                          .orElse(false));
      if (leftover.isPresent()) {
        System.err.println(
            "killing Trino " + line.trim() + " left running by an earlier run in " + clusterDir);
        leftover.get().destroyForcibly();
        try {
          leftover.get().onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(
              "could not kill the leftover Trino process " + line.trim(), e);
        }
      }
    }
    Files.delete(pids);
  }

  // ---- configuration: the same files as the hand-started dev cluster's ----

  static Map<String, String> coordinatorConfig(int httpPort, String discoveryUri) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("coordinator", "true");
    config.put("node-scheduler.include-coordinator", "true");
    // The heartbeat failure detector drops a node whose answers are slow for a moment, which on a
    // busy two-core machine fails queries with NO_NODES_AVAILABLE; both nodes live and die with
    // this JVM, so discovery alone is enough.
    config.put("failure-detector.enabled", "false");
    config.put("http-server.http.port", Integer.toString(httpPort));
    config.put("discovery.uri", discoveryUri);
    return config;
  }

  static Map<String, String> workerConfig(int httpPort, String discoveryUri) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("coordinator", "false");
    config.put("http-server.http.port", Integer.toString(httpPort));
    config.put("discovery.uri", discoveryUri);
    return config;
  }

  static Map<String, String> memoryCatalog() {
    Map<String, String> catalog = new LinkedHashMap<>();
    catalog.put("connector.name", "memory");
    catalog.put("memory.max-data-per-node", "256MB");
    return catalog;
  }

  static Map<String, String> hiveCatalog(Path metastore) {
    Map<String, String> catalog = new LinkedHashMap<>();
    catalog.put("connector.name", "hive");
    catalog.put("hive.metastore", "file");
    catalog.put("hive.metastore.catalog.dir", "local://" + metastore.toAbsolutePath());
    catalog.put("fs.native-local.enabled", "true");
    catalog.put("local.location", "/");
    catalog.put("hive.timestamp-precision", "MICROSECONDS");
    catalog.put("hive.non-managed-table-writes-enabled", "true");
    catalog.put("hive.non-managed-table-creates-enabled", "true");
    return catalog;
  }

  // ---- Java 24+ ----

  /**
   * The Java home for the nodes: {@code -Dtrino.java.home} if set, else {@code TRINO_JAVA_HOME} if
   * set, else the default; empty (with the reason in {@code lookedAt}) when that one is not a Java
   * 24+ home. A home given explicitly is not second-guessed by falling back to the default.
   */
  static Optional<Path> findJavaHome(List<String> lookedAt) {
    String[][] candidates = {
      {"system property trino.java.home", System.getProperty("trino.java.home")},
      {"environment variable TRINO_JAVA_HOME", System.getenv("TRINO_JAVA_HOME")},
      {"default", DEFAULT_JAVA_HOME}
    };
    for (String[] candidate : candidates) {
      String where = candidate[0];
      String home = candidate[1];
      if (home == null || home.isBlank()) {
        lookedAt.add(where + " (not set)");
        continue;
      }
      Path path = Path.of(home);
      if (!Files.isExecutable(path.resolve("bin").resolve("java"))) {
        lookedAt.add(where + " " + home + " (no bin/java there)");
        return Optional.empty();
      }
      Optional<Integer> feature = javaFeatureVersion(path);
      if (feature.isEmpty()) {
        lookedAt.add(where + " " + home + " (version unknown)");
        return Optional.empty();
      }
      if (feature.get() < MINIMUM_JAVA) {
        lookedAt.add(where + " " + home + " (Java " + feature.get() + ")");
        return Optional.empty();
      }
      return Optional.of(path);
    }
    return Optional.empty();
  }

  private static final Pattern JAVA_VERSION = Pattern.compile("\"(\\d+)[^\"]*\"");

  /** From the home's {@code release} file, else from {@code java -version}. */
  private static Optional<Integer> javaFeatureVersion(Path home) {
    try {
      String text;
      Path release = home.resolve("release");
      if (Files.isRegularFile(release)) {
        text =
            Files.readAllLines(release, UTF_8).stream()
                .filter(line -> line.startsWith("JAVA_VERSION="))
                .findFirst()
                .orElse("");
      } else {
        Process version =
            new ProcessBuilder(home.resolve("bin").resolve("java").toString(), "-version")
                .redirectErrorStream(true)
                .start();
        text = new String(version.getInputStream().readAllBytes(), UTF_8);
        version.waitFor(30, TimeUnit.SECONDS);
      }
      Matcher matcher = JAVA_VERSION.matcher(text);
      return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  // ---- helpers ----

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void writeProperties(Path file, Map<String, String> properties)
      throws IOException {
    StringBuilder text = new StringBuilder();
    properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    Files.writeString(file, text, UTF_8);
  }

  /** One Trino node: its process, port, etc/ and data directories and log. */
  private record Node(String name, int httpPort, Process process, Path log) {
    Node {
      requireNonNull(name, "name is null");
      requireNonNull(process, "process is null");
      requireNonNull(log, "log is null");
    }

    /**
     * Writes {@code <cluster>/<name>/etc} and starts {@code java ... io.trino.server.TrinoServer}
     * as the tarball's launcher would (its {@code run} command), output to {@code
     * <cluster>/<name>.log}.
     */
    static Node launch(
        String name,
        int httpPort,
        Map<String, String> config,
        Map<String, Map<String, String>> catalogs,
        Path javaHome,
        Path serverDir,
        Path clusterDir)
        throws IOException {
      Path home = clusterDir.resolve(name);
      Path etc = Files.createDirectories(home.resolve("etc"));
      Path catalogDir = Files.createDirectories(etc.resolve("catalog"));
      Path data = Files.createDirectories(home.resolve("data"));
      Map<String, String> fullConfig = new LinkedHashMap<>(config);
      // The launcher links plugin/ and etc/ into the data directory; we name them instead.
      fullConfig.put("plugin.dir", serverDir.resolve("plugin").toString());
      fullConfig.put("catalog.config-dir", catalogDir.toString());
      writeProperties(etc.resolve("config.properties"), fullConfig);
      Map<String, String> nodeProperties = new LinkedHashMap<>();
      nodeProperties.put("node.environment", "flightdeck_it");
      nodeProperties.put("node.id", name);
      nodeProperties.put("node.data-dir", data.toString());
      nodeProperties.put("node.internal-address", "127.0.0.1");
      writeProperties(etc.resolve("node.properties"), nodeProperties);
      Files.write(etc.resolve("jvm.config"), JVM_OPTIONS, UTF_8);
      writeProperties(etc.resolve("log.properties"), Map.of("io.trino", "INFO"));
      for (Map.Entry<String, Map<String, String>> catalog : catalogs.entrySet()) {
        writeProperties(catalogDir.resolve(catalog.getKey() + ".properties"), catalog.getValue());
      }

      List<String> command = new ArrayList<>();
      command.add(javaHome.resolve("bin").resolve("java").toString());
      command.add("-cp");
      command.add(serverDir.resolve("lib") + File.separator + "*");
      command.addAll(JVM_OPTIONS);
      command.add("-Dlog.levels-file=" + etc.resolve("log.properties"));
      command.add("-Dconfig=" + etc.resolve("config.properties"));
      nodeProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.add("io.trino.server.TrinoServer");
      Path log = clusterDir.resolve(name + ".log");
      Files.writeString(log, String.join(" ", command) + "\n\n", UTF_8);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(data.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process process = builder.start();
      LIVE.add(process);
      return new Node(name, httpPort, process, log);
    }

    long pid() {
      return process.pid();
    }

    void stop() {
      process.destroy(); // SIGTERM: Trino runs its shutdown hooks
      try {
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      } finally {
        LIVE.remove(process);
      }
    }

    Optional<Long> residentMebibytes() {
      Path status = Path.of("/proc", Long.toString(pid()), "status");
      try {
        if (!process.isAlive() || !Files.isReadable(status)) {
          return Optional.empty();
        }
        return Files.readAllLines(status, UTF_8).stream()
            .filter(line -> line.startsWith("VmRSS:"))
            .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
            .findFirst();
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    String logTail() {
      try {
        List<String> lines = Files.readAllLines(log, UTF_8);
        List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        return "---- last "
            + tail.size()
            + " lines of "
            + log
            + " ----\n"
            + String.join("\n", tail)
            + "\n";
      } catch (IOException e) {
        return "---- " + log + " unreadable: " + e + " ----\n";
      }
    }
  }
}
