package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.retrieval.ViewRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the views a retrieval is about to read into the cache ahead of it ({@link
 * dev.flightdeck.spi.OfflineStore#prefetch}): a remote request's feature list arrives before its
 * entity rows, so a cold view loads while they are still on the wire. The retrieval then joins the
 * load under way or finds the view cached; a source that changes in between gives the retrieval a
 * new version and a load of its own, never the prefetched rows.
 *
 * <p>One thread, so prefetches never take the decode threads' caller slots from retrievals, and a
 * short queue: hints past it are dropped, as is any that fails.
 */
final class ViewPrefetcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ViewPrefetcher.class);
  private static final int QUEUED_VIEWS = 16;

  private final FeatureRepository repository;
  private final ViewReaders readers;
  private final ThreadPoolExecutor loader;

  ViewPrefetcher(FeatureRepository repository, ViewReaders readers) {
    this.repository = requireNonNull(repository, "repository is null");
    this.readers = requireNonNull(readers, "readers is null");
    this.loader =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED_VIEWS),
            runnable -> {
              Thread thread = new Thread(runnable, "flightdeck-prefetch");
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.DiscardPolicy());
  }

  /** Queues a load of each known view the references name; returns at once. */
  void prefetch(List<String> featureReferences) {
    if (!readers.cache().enabled()) {
      return;
    }
    Set<String> views = new LinkedHashSet<>();
    for (String reference : featureReferences) {
      try {
        views.add(FeatureReference.parse(reference).view());
      } catch (RuntimeException e) {
        // not a reference: the retrieval reports it
      }
    }
    for (String view : views) {
      wholeView(view).ifPresent(request -> loader.execute(() -> load(request)));
    }
  }

  private Optional<ViewRequest> wholeView(String name) {
    FeatureView view;
    try {
      view = repository.featureView(name);
    } catch (RuntimeException e) {
      return Optional.empty(); // unknown or unserved: the retrieval reports it
    }
    return Optional.of(
        ViewReaders.wholeView(
            new ViewRequest(
                view, repository.dataSource(view.source()), repository.joinKeys(view), List.of())));
  }

  private void load(ViewRequest whole) {
    try {
      readers.leaseWhole(whole).ifPresent(ViewCache.Lease::close);
    } catch (RuntimeException e) {
      // The retrieval that follows reads the view again and reports what is wrong with it.
      log.debug("prefetching feature view '{}' failed", whole.view().name(), e);
    }
  }

  @Override
  public void close() {
    loader.shutdownNow();
    try {
      loader.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
