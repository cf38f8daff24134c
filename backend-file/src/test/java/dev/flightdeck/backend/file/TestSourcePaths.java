package dev.flightdeck.backend.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSourcePaths {
  @TempDir Path temp;
  private Path repository;
  private Path outside;

  @BeforeEach
  void createFolders() throws IOException {
    repository = Files.createDirectories(temp.resolve("repo"));
    outside = Files.createDirectories(temp.resolve("outside"));
  }

  @Test
  void aFileResolvesToItself() throws IOException {
    Path file = touch(repository.resolve("data/stats.parquet"));

    assertThat(SourcePaths.resolve(repository, source("data/stats.parquet")))
        .containsExactly(file.toRealPath());
  }

  @Test
  void aFolderGivesItsVisibleParquetFilesSortedByName() throws IOException {
    Path folder = repository.resolve("data/stats");
    Path second = touch(folder.resolve("part-1.parquet"));
    Path first = touch(folder.resolve("part-0.parquet"));
    touch(folder.resolve(".part-2.parquet"));
    touch(folder.resolve("_SUCCESS"));
    touch(folder.resolve("_metadata.parquet"));
    touch(folder.resolve("notes.txt"));
    touch(folder.resolve("nested/part-3.parquet"));

    assertThat(SourcePaths.resolve(repository, source("data/stats")))
        .containsExactly(first.toRealPath(), second.toRealPath());
  }

  @Test
  void absolutePathsOutsideEveryRootAreRefusedNamingTheFlag() throws IOException {
    Path file = touch(outside.resolve("stats.parquet"));

    assertRefused(file.toString(), "outside the repository folder");
    assertRefused(file.toString(), "--data-root");
  }

  @Test
  void absolutePathsInsideTheRepositoryOrADataRootAreRead() throws IOException {
    Path inside = touch(repository.resolve("data/stats.parquet"));
    Path shared = touch(outside.resolve("shared/stats.parquet"));
    SourcePaths paths = new SourcePaths(repository, List.of(outside));

    assertThat(paths.resolve(source(inside.toString()))).containsExactly(inside.toRealPath());
    assertThat(paths.resolve(source(shared.toString()))).containsExactly(shared.toRealPath());
    assertThat(paths.resolve(source(outside.resolve("shared").toString())))
        .containsExactly(shared.toRealPath());
  }

  @Test
  void aLinkLeavingEveryRootIsRefused() throws IOException {
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    touch(elsewhere.resolve("stats.parquet"));
    Files.createSymbolicLink(outside.resolve("data"), elsewhere);
    SourcePaths paths = new SourcePaths(repository, List.of(outside));

    assertThatThrownBy(
            () -> paths.resolve(source(outside.resolve("data/stats.parquet").toString())))
        .isInstanceOf(FlightdeckException.class)
        .hasMessageContaining("leads outside the repository folder and the data roots");
  }

  @Test
  void dotDotIsRefusedEvenWhenItStaysInside() throws IOException {
    touch(repository.resolve("data/stats.parquet"));

    assertRefused("data/../data/stats.parquet", "'..'");
    assertRefused("../outside/stats.parquet", "'..'");
  }

  @Test
  void aLinkLeavingTheRepositoryIsRefused() throws IOException {
    touch(outside.resolve("stats.parquet"));
    Files.createSymbolicLink(repository.resolve("data"), outside);

    assertRefused("data/stats.parquet", "outside the repository");
  }

  @Test
  void aLinkedFileInsideAFolderLeavingTheRepositoryIsRefused() throws IOException {
    touch(repository.resolve("data/stats/part-0.parquet"));
    Path secret = touch(outside.resolve("secret.parquet"));
    Files.createSymbolicLink(repository.resolve("data/stats/part-1.parquet"), secret);

    assertRefused("data/stats", "part-1.parquet");
  }

  @Test
  void aLinkStayingInsideIsFollowed() throws IOException {
    Path file = touch(repository.resolve("real/stats.parquet"));
    Files.createSymbolicLink(repository.resolve("linked.parquet"), file);

    assertThat(SourcePaths.resolve(repository, source("linked.parquet")))
        .containsExactly(file.toRealPath());
  }

  @Test
  void missingPathsAndEmptyFoldersAreRefused() throws IOException {
    Files.createDirectories(repository.resolve("data/empty"));

    assertRefused("data/missing.parquet", "does not exist");
    assertRefused("data/empty", "no .parquet files");
  }

  private void assertRefused(String path, String problem) {
    assertThatThrownBy(() -> SourcePaths.resolve(repository, source(path)))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPOSITORY))
        .hasMessageContaining("data source 'stats'")
        .hasMessageContaining(path)
        .hasMessageContaining(problem);
  }

  private static DataSource source(String path) {
    return new DataSource("stats", path, "ts", Optional.empty(), Map.of());
  }

  private static Path touch(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "not really parquet");
  }
}
