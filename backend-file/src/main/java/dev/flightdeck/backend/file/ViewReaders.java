package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.retrieval.ResolvedFeature;
import dev.flightdeck.retrieval.ViewRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What every read of a view shares in one store: the repository folder, the cache of decoded views
 * and the threads that decode row groups (one per core: decoding is CPU work).
 */
final class ViewReaders implements AutoCloseable {
  private final SourcePaths paths;
  private final ViewCache cache;
  private final int threads;
  private final ExecutorService decoders;

  ViewReaders(SourcePaths paths, ViewCache cache, int threads) {
    this.paths = requireNonNull(paths, "paths is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.threads = Math.max(1, threads);
    AtomicInteger count = new AtomicInteger();
    this.decoders =
        Executors.newFixedThreadPool(
            this.threads,
            runnable -> {
              Thread thread = new Thread(runnable, "flightdeck-decode-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  SourcePaths paths() {
    return paths;
  }

  ViewCache cache() {
    return cache;
  }

  /**
   * The decoding threads, for other in-memory work of a request that should use every core; to be
   * waited on only from outside them ({@link ParallelParts}).
   */
  ExecutorService workers() {
    return decoders;
  }

  int threads() {
    return threads;
  }

  /** A reader of {@code request}'s rows; see {@link ParquetViewReader} for the filters. */
  ParquetViewReader reader(
      ViewRequest request,
      Set<Object> neededKeys,
      long minTimestamp,
      long maxTimestamp,
      BufferAllocator allocator) {
    return new ParquetViewReader(
        paths, request, neededKeys, minTimestamp, maxTimestamp, allocator, decoders, threads);
  }

  /**
   * A lease on the cached whole view ({@link #wholeView}), loaded now unless cached or loading;
   * empty when the cache is off or the view does not fit it.
   */
  Optional<ViewCache.Lease> leaseWhole(ViewRequest whole) {
    if (!cache.enabled()) {
      // With the cache off, a request does not stat the source's files for a version it cannot use.
      return Optional.empty();
    }
    return cache.lease(
        whole.view().name(),
        SourceVersion.of(paths, whole.source()),
        entryAllocator ->
            reader(whole, null, Long.MIN_VALUE, Long.MAX_VALUE, entryAllocator).read());
  }

  /** Every feature of the request's view, as a cache entry holds it. */
  static ViewRequest wholeView(ViewRequest request) {
    List<ResolvedFeature> features = new ArrayList<>();
    for (Feature feature : request.view().features()) {
      features.add(
          new ResolvedFeature(
              new FeatureReference(request.view().name(), feature.name()),
              feature,
              feature.name()));
    }
    return new ViewRequest(request.view(), request.source(), request.joinKeys(), features);
  }

  @Override
  public void close() {
    decoders.shutdownNow();
    try {
      decoders.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
