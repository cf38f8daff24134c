package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example, exactly as written there: extracted, compiled against the client's
 * class path, and run against a server on the example repository.
 */
class ReadmeExampleIT {
  private static final Path README = Path.of("..", "README.md");

  @Test
  void readmeJavaExampleCompilesAndRetrieves(@TempDir Path work) throws Exception {
    String source = javaBlock(Files.readString(README, UTF_8), "public class TrainingData");
    Path file = work.resolve("TrainingData.java");
    Files.writeString(file, source, UTF_8);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled =
        compiler
            .getTask(
                diagnostics,
                null,
                null,
                List.of("--release", "17", "-classpath", testClassPath(), "-d", work.toString()),
                null,
                compiler.getStandardFileManager(null, null, UTF_8).getJavaFileObjects(file))
            .call();
    assertThat(compiled).as("the README example compiles:\n" + diagnostics).isTrue();

    Path repository = work.resolve("repo");
    ExampleRepository.copy(ExampleRepository.directory(), repository);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try (BufferAllocator allocator = new RootAllocator();
        FlightdeckServer server =
            FlightdeckServer.forRepository(
                    repository, allocator, ServerConfig.defaults().withPort(0))
                .start();
        URLClassLoader loader =
            new URLClassLoader(
                new URL[] {work.toUri().toURL()}, ReadmeExampleIT.class.getClassLoader())) {
      Method main = loader.loadClass("TrainingData").getMethod("main", String[].class);
      System.setOut(new PrintStream(printed, true, UTF_8));
      try {
        main.invoke(
            null, (Object) new String[] {String.valueOf(server.location().getUri().getPort())});
      } finally {
        System.setOut(stdout);
      }
    }
    List<String> lines = printed.toString(UTF_8).lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("driver_id\tevent_timestamp\tconv_rate\tavg_daily_trips");
    assertThat(lines.get(1)).startsWith("1001\t");
    assertThat(lines.get(2)).startsWith("1002\t");
  }

  /** The first {@code ```java} block of the page that contains {@code marker}. */
  private static String javaBlock(String markdown, String marker) {
    int from = 0;
    while (true) {
      int start = markdown.indexOf("```java\n", from);
      assertThat(start).as("a ```java block containing '" + marker + "'").isNotNegative();
      int end = markdown.indexOf("```", start + 8);
      String block = markdown.substring(start + 8, end);
      if (block.contains(marker)) {
        return block;
      }
      from = end + 3;
    }
  }

  /** Surefire and failsafe run tests from a manifest-only jar; the real path is in a property. */
  private static String testClassPath() {
    String path = System.getProperty("surefire.test.class.path");
    return path != null ? path : System.getProperty("java.class.path");
  }
}
