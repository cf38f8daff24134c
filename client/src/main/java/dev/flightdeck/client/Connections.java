package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The Flight connections of one store. Puts, flight infos and actions travel over the store's own
 * connection. A do_get travels over the connection to the location its endpoint names (a replica's
 * {@code serve --advertise}, so that it reaches the replica holding the command's parameters even
 * when the store's own connection goes through a balancer), made with the store's own options when
 * first needed and kept for the next do_gets. An endpoint naming no location, the store's own, or
 * Flight's "reuse this connection" location, is fetched over the store's own connection.
 *
 * <p>At most {@link #MAX_OTHER_LOCATIONS} other connections are kept: a new one replaces the least
 * recently used one that no stream is reading from; when every one is busy, the new connection
 * serves its one stream and closes with it.
 */
final class Connections implements AutoCloseable {
  /** Replicas a client follows at once; one store usually meets one replica per connection. */
  static final int MAX_OTHER_LOCATIONS = 4;

  private static final Set<String> PLAIN_SCHEMES = Set.of("grpc", "grpc+tcp");
  private static final String TLS_SCHEME = "grpc+tls";
  private static final String REUSE_CONNECTION_SCHEME =
      Location.reuseConnection().getUri().getScheme();

  private final URI own;
  private final ClientOptions options;
  private final BufferAllocator allocator;
  private final Connection ownConnection;

  /** Other locations' connections, least recently used first. Guarded by {@code this}. */
  private final Map<URI, Connection> others = new LinkedHashMap<>(8, 0.75f, true);

  private boolean closed;

  /** Connects to {@code own} (lazily, as gRPC does) with {@code options}. */
  Connections(Location own, ClientOptions options, BufferAllocator allocator) {
    this.own = key(requireNonNull(own, "own is null").getUri());
    this.options = requireNonNull(options, "options is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.ownConnection = new Connection(open(own), new RemoteCalls(own));
  }

  /** The store's own connection. */
  FlightClient client() {
    return ownConnection.client;
  }

  /** Calls over the store's own connection. */
  RemoteCalls calls() {
    return ownConnection.calls;
  }

  /**
   * The connection to fetch {@code endpoint} over, lent until the stream read from it closes.
   *
   * @throws FlightdeckException {@code INVALID_CONFIGURATION} when the endpoint names a location
   *     this client cannot use with its options: another protocol, or TLS where the store has none
   *     or the reverse (a client never sends a call in plain text that it was told to encrypt)
   */
  Lease forEndpoint(FlightEndpoint endpoint) {
    requireNonNull(endpoint, "endpoint is null");
    URI target = target(endpoint.getLocations());
    if (target == null) {
      return new Lease(ownConnection, false);
    }
    Connection evicted = null;
    Lease lease;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the store is closed");
      }
      Connection cached = others.get(target);
      if (cached != null) {
        cached.streams++;
        return new Lease(cached, false);
      }
      if (others.size() >= MAX_OTHER_LOCATIONS) {
        evicted = evictIdle();
      }
      Connection connection = connect(target);
      if (others.size() < MAX_OTHER_LOCATIONS) {
        connection.streams++;
        others.put(target, connection);
        lease = new Lease(connection, false);
      } else {
        lease = new Lease(connection, true);
      }
    }
    if (evicted != null) {
      evicted.close();
    }
    return lease;
  }

  /** Locations now kept, for tests. */
  synchronized List<URI> otherLocations() {
    return List.copyOf(others.keySet());
  }

  /**
   * Where an endpoint is fetched from: null for the store's own connection. Flight lets a server
   * name several locations of one endpoint, each holding the same data: the first is used.
   */
  private URI target(List<Location> locations) {
    if (locations.isEmpty()) {
      return null;
    }
    URI location = locations.get(0).getUri();
    String scheme = location.getScheme();
    if (REUSE_CONNECTION_SCHEME.equals(scheme) || own.equals(key(location))) {
      return null;
    }
    boolean tls = TLS_SCHEME.equals(scheme);
    if (!tls && !PLAIN_SCHEMES.contains(scheme)) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "the server said to fetch the result from "
              + location
              + ", which is not a grpc+tcp:// or grpc+tls:// location (check the server's"
              + " --advertise)");
    }
    if (tls != options.tls().isPresent()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "the server said to fetch the result from "
              + location
              + (tls
                  ? ", over TLS, but this client connects without TLS"
                  : ", in plain text, but this client connects over TLS and does not downgrade")
              + " (check the server's --advertise)");
    }
    return key(location);
  }

  /** {@code grpc://} and {@code grpc+tcp://} are one protocol: one connection serves both. */
  private static URI key(URI location) {
    if (!"grpc".equals(location.getScheme())) {
      return location;
    }
    return URI.create("grpc+tcp://" + location.getRawAuthority());
  }

  /** Removes the least recently used connection no stream reads from, if there is one. */
  private Connection evictIdle() {
    for (Iterator<Connection> it = others.values().iterator(); it.hasNext(); ) {
      Connection connection = it.next();
      if (connection.streams == 0) {
        it.remove();
        return connection;
      }
    }
    return null;
  }

  private Connection connect(URI location) {
    Location target = new Location(location);
    return new Connection(open(target), new RemoteCalls(target, true));
  }

  private FlightClient open(Location location) {
    FlightClient.Builder builder = FlightClient.builder(allocator, location);
    options.applyTo(builder);
    return builder.build();
  }

  /** Closes every connection; streams still reading from them fail. */
  @Override
  public void close() {
    List<Connection> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(others.values());
      others.clear();
    }
    all.add(ownConnection);
    RuntimeException failure = null;
    for (Connection connection : all) {
      try {
        connection.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private synchronized void release(Connection connection) {
    connection.streams--;
  }

  /** A Flight client and the calls made with it. */
  private static final class Connection {
    private final FlightClient client;
    private final RemoteCalls calls;

    /** Streams reading from this connection now. Guarded by the {@code Connections}. */
    private int streams;

    Connection(FlightClient client, RemoteCalls calls) {
      this.client = client;
      this.calls = calls;
    }

    void close() {
      try {
        client.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FlightdeckException(
            ErrorCode.INTERNAL_ERROR, "interrupted while closing the Flight client", e);
      }
    }
  }

  /**
   * A connection lent to one stream; closing gives it back (or closes it, when it was made for the
   * stream alone).
   */
  final class Lease implements AutoCloseable {
    private final Connection connection;
    private final boolean single;
    private boolean released;

    private Lease(Connection connection, boolean single) {
      this.connection = connection;
      this.single = single;
    }

    FlightClient client() {
      return connection.client;
    }

    RemoteCalls calls() {
      return connection.calls;
    }

    @Override
    public void close() {
      if (released) {
        return;
      }
      released = true;
      if (single) {
        connection.close();
      } else if (connection != ownConnection) {
        release(connection);
      }
    }
  }
}
