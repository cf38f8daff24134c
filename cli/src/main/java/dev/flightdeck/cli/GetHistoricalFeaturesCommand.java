package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.TimeRange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flightdeck get-historical-features}: a training set from a running server. */
@Command(
    name = "get-historical-features",
    mixinStandardHelpOptions = true,
    description = {
      "Retrieves point-in-time correct features for the rows of an entity file (or for every"
          + " feature row between --start and --end) from a running server.",
      "Entity files are *.parquet or *.csv (a header row; ISO-8601 timestamps, UTC unless an"
          + " offset is given)."
    })
final class GetHistoricalFeaturesCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Mixin ResultOutput output;

  @ArgGroup(multiplicity = "1")
  Entities entities;

  @ArgGroup(multiplicity = "1")
  Features features;

  @Option(
      names = "--types",
      split = ",",
      paramLabel = "COLUMN=TYPE",
      description =
          "Types for CSV entity columns, e.g. --types zip=string,weight=float32 (int32, int64,"
              + " float32, float64, string, bool, timestamp). Join keys already get the type their"
              + " source stores; other columns are inferred.")
  Map<String, String> types = Map.of();

  @Option(
      names = "--timestamp-column",
      paramLabel = "COLUMN",
      description =
          "The entity file's event time, when it is not event_timestamp and the file has several"
              + " timestamp columns; it is sent, and comes back, as event_timestamp.")
  Optional<String> timestampColumn = Optional.empty();

  @Option(
      names = "--full-feature-names",
      description = "Name feature columns view__feature instead of feature.")
  boolean fullFeatureNames;

  static final class Entities {
    @Option(
        names = "--entities",
        paramLabel = "FILE",
        description = "Entity rows: join keys, event_timestamp, any other columns.")
    Path file;

    @ArgGroup(exclusive = false)
    Range range;
  }

  static final class Range {
    @Option(
        names = "--start",
        required = true,
        paramLabel = "TIME",
        converter = InstantConverter.class,
        description = "Without --entities: first event timestamp (inclusive).")
    Instant start;

    @Option(
        names = "--end",
        required = true,
        paramLabel = "TIME",
        converter = InstantConverter.class,
        description = "Without --entities: last event timestamp (inclusive).")
    Instant end;
  }

  static final class Features {
    @Option(
        names = "--features",
        split = ",",
        paramLabel = "VIEW:FEATURE",
        description = "Feature references, comma separated.")
    List<String> references;

    @Option(
        names = "--feature-service",
        paramLabel = "NAME",
        description = "A feature service instead of --features.")
    String service;

    FeatureSelection selection() {
      return service != null ? FeatureSelection.service(service) : FeatureSelection.of(references);
    }
  }

  @Override
  public Integer call() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator);
        VectorSchemaRoot rows =
            entities.file != null
                ? EntityFile.read(
                    entities.file,
                    declaredTypes(),
                    timestampColumn,
                    store,
                    features.selection(),
                    allocator)
                : null) {
      HistoricalFeaturesRequest request =
          new HistoricalFeaturesRequest(
              rows,
              features.selection(),
              fullFeatureNames,
              rows != null
                  ? Optional.empty()
                  : Optional.of(TimeRange.between(entities.range.start, entities.range.end)));
      try (RetrievalJob job = store.getHistoricalFeatures(request)) {
        output.write(job, spec.commandLine().getOut(), spec.commandLine().getErr());
      }
    }
    return 0;
  }

  private Map<String, ValueType> declaredTypes() {
    Map<String, ValueType> declared = new LinkedHashMap<>();
    types.forEach(
        (column, type) -> {
          ValueType parsed;
          try {
            parsed = ValueType.fromDtype(type);
          } catch (FlightdeckException e) {
            throw new FlightdeckException(
                ErrorCode.INVALID_PARAMETER,
                "--types "
                    + column
                    + "="
                    + type
                    + ": unknown type (known: "
                    + ValueType.knownDtypes()
                    + ")");
          }
          if (parsed.isList()) {
            throw new FlightdeckException(
                ErrorCode.INVALID_PARAMETER,
                "--types " + column + "=" + type + ": a CSV entity column cannot be a list");
          }
          declared.put(column, parsed);
        });
    return declared;
  }
}
