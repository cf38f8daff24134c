package dev.flightdeck.backend.file;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoded feature views shared by every retrieval, so a request reads no Parquet when its view was
 * read before: whole views (every row, every feature), each valid for one {@link SourceVersion},
 * least recently used out first once their bytes pass the budget. A view is loaded once even when
 * several requests want it at the same moment. A view larger than the budget is not cached (the
 * request reads what it needs itself, as without a cache), and is remembered as such.
 *
 * <p>An entry stays readable while a request holds a {@link Lease}; eviction only stops new leases
 * and frees the memory when the last one closes.
 */
final class ViewCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ViewCache.class);

  /** Remembered too-large versions; a bound so a stream of file versions cannot grow it forever. */
  private static final int MAX_TOO_LARGE = 1_024;

  private final BufferAllocator allocator;
  private final long budget;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<Key, CompletableFuture<Entry>> loading = new LinkedHashMap<>();
  private final Set<Key> tooLarge = new HashSet<>();
  private long bytes;
  private long hits;
  private long misses;

  /**
   * @param budget bytes of decoded views kept; 0 turns the cache off
   */
  ViewCache(BufferAllocator parent, long budget) {
    this.budget = budget;
    this.allocator = parent.newChildAllocator("view-cache", 0, Long.MAX_VALUE);
  }

  record Key(String view, SourceVersion version) {}

  /** A request's hold on a cached view; closing it lets the view be freed once evicted. */
  final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    LoadedView view() {
      return entry.view;
    }

    @Override
    public void close() {
      synchronized (ViewCache.this) {
        if (!closed) {
          closed = true;
          entry.release();
        }
      }
    }
  }

  /**
   * A lease on view {@code view} at {@code version}, loaded by {@code load} (into the allocator it
   * is given) when not cached; empty when the cache is off or the view does not fit its budget.
   */
  Optional<Lease> lease(
      String view, SourceVersion version, Function<BufferAllocator, LoadedView> load) {
    if (!enabled()) {
      return Optional.empty();
    }
    Key key = new Key(view, version);
    CompletableFuture<Entry> pending;
    boolean loader = false;
    synchronized (this) {
      Entry cached = entries.get(key);
      if (cached != null) {
        hits++;
        return Optional.of(lease(cached));
      }
      if (tooLarge.contains(key)) {
        return Optional.empty();
      }
      pending = loading.get(key);
      if (pending == null) {
        pending = new CompletableFuture<>();
        loading.put(key, pending);
        loader = true;
        misses++;
      }
    }
    if (loader) {
      return load(key, pending, load);
    }
    Entry loaded = pending.join();
    synchronized (this) {
      // Evicted already (the budget is tiny, or another load pushed it out): read it uncached.
      if (loaded == null || loaded.freed) {
        return Optional.empty();
      }
      hits++; // read by another request's load, not from the files
      return Optional.of(lease(loaded));
    }
  }

  private Optional<Lease> load(
      Key key, CompletableFuture<Entry> pending, Function<BufferAllocator, LoadedView> load) {
    BufferAllocator entryAllocator = allocator.newChildAllocator("view " + key.view(), 0, budget);
    long started = System.nanoTime();
    LoadedView view;
    try {
      view = load.apply(entryAllocator);
    } catch (RuntimeException e) {
      entryAllocator.close();
      if (outOfBudget(e)) {
        refuse(key, pending, "its Arrow data passed the budget while loading");
        return Optional.empty();
      }
      synchronized (this) {
        loading.remove(key);
      }
      pending.complete(null);
      throw e;
    } catch (Error e) {
      entryAllocator.close();
      synchronized (this) {
        loading.remove(key);
      }
      pending.complete(null);
      throw e;
    }
    long size = view.bytes();
    if (size > budget) {
      view.close();
      entryAllocator.close();
      refuse(key, pending, "it takes " + size + " bytes");
      return Optional.empty();
    }
    synchronized (this) {
      Entry entry = new Entry(key, view, entryAllocator, size);
      loading.remove(key);
      entries.put(key, entry);
      bytes += size;
      evictOver(budget, true);
      Optional<Lease> lease = entry.freed ? Optional.empty() : Optional.of(lease(entry));
      log.info(
          "Cached feature view '{}': {} rows, {} bytes, read in {} ms ({} views, {} of {} bytes;"
              + " {} hits, {} misses)",
          key.view(),
          view.rowCount(),
          size,
          (System.nanoTime() - started) / 1_000_000,
          entries.size(),
          bytes,
          budget,
          hits,
          misses);
      pending.complete(entry);
      return lease;
    }
  }

  /** The entry's allocator refused: readers wrap its exception, so look along the causes. */
  private static boolean outOfBudget(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof OutOfMemoryException) {
        return true;
      }
    }
    return false;
  }

  private void refuse(Key key, CompletableFuture<Entry> pending, String why) {
    synchronized (this) {
      loading.remove(key);
      if (tooLarge.size() >= MAX_TOO_LARGE) {
        tooLarge.clear();
      }
      tooLarge.add(key);
    }
    log.info(
        "Feature view '{}' is not cached: {}, more than the cache's {} bytes (cache_size); its"
            + " requests read what they need themselves",
        key.view(),
        why,
        budget);
    pending.complete(null);
  }

  /** False with a budget of 0: every request reads for itself. */
  boolean enabled() {
    return budget > 0;
  }

  /** Drops every cached version of {@code view}, e.g. after a write to its source. */
  synchronized void invalidate(String view) {
    for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Entry entry = it.next().getValue();
      if (entry.key.view().equals(view)) {
        it.remove();
        bytes -= entry.size;
        entry.release();
      }
    }
    tooLarge.removeIf(key -> key.view().equals(view));
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }

  private Lease lease(Entry entry) {
    entry.references++;
    return new Lease(entry);
  }

  private void evictOver(long limit, boolean logged) {
    for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        bytes > limit && it.hasNext(); ) {
      Entry eldest = it.next().getValue();
      it.remove();
      bytes -= eldest.size;
      log.info(
          "Evicted feature view '{}' ({} bytes) from the cache", eldest.key.view(), eldest.size);
      eldest.release();
    }
  }

  @Override
  public synchronized void close() {
    evictOver(-1, false);
    allocator.close();
  }

  /** A cached view; the cache's own reference counts as one. Guarded by the cache's lock. */
  private static final class Entry {
    private final Key key;
    private final LoadedView view;
    private final BufferAllocator allocator;
    private final long size;
    private int references = 1;
    private boolean freed;

    Entry(Key key, LoadedView view, BufferAllocator allocator, long size) {
      this.key = key;
      this.view = view;
      this.allocator = allocator;
      this.size = size;
    }

    void release() {
      if (--references == 0) {
        freed = true;
        view.close();
        allocator.close();
      }
    }
  }
}
