package dev.flightdeck.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP (L4) load balancer as small as a test needs: each new connection goes to the next backend
 * in turn, and its bytes are copied both ways untouched. It counts the connections it gave each
 * backend and the bytes it carried each way, so a test can tell what went through it.
 */
final class TcpBalancer implements AutoCloseable {
  private final ServerSocket listener;
  private final List<Integer> backendPorts;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicIntegerArray connections;
  private final AtomicLong toServers = new AtomicLong();
  private final AtomicLong toClients = new AtomicLong();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "tcp-balancer");
            thread.setDaemon(true);
            return thread;
          });

  private TcpBalancer(List<Integer> backendPorts) throws IOException {
    this.backendPorts = List.copyOf(backendPorts);
    this.connections = new AtomicIntegerArray(backendPorts.size());
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  /** A balancer on a free loopback port in front of the servers on these loopback ports. */
  static TcpBalancer start(List<Integer> backendPorts) throws IOException {
    return new TcpBalancer(backendPorts);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Connections given to the backend at {@code index} so far. */
  int connections(int index) {
    return connections.get(index);
  }

  int connections() {
    int total = 0;
    for (int i = 0; i < connections.length(); i++) {
      total += connections.get(i);
    }
    return total;
  }

  /** Bytes carried from servers to clients so far, counted as they are read. */
  long bytesToClients() {
    return toClients.get();
  }

  long bytesToServers() {
    return toServers.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      int backend = Math.floorMod(next.getAndIncrement(), backendPorts.size());
      try {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), backendPorts.get(backend));
        connections.incrementAndGet(backend);
        for (Socket socket : List.of(client, server)) {
          socket.setTcpNoDelay(true);
          open.add(socket);
        }
        threads.execute(() -> copy(client, server, toServers));
        threads.execute(() -> copy(server, client, toClients));
      } catch (IOException e) {
        close(client); // the backend is down: the client sees its connection refused
      }
    }
  }

  /** Copies until either side ends, then ends both: a proxied connection lives and dies whole. */
  private void copy(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        counter.addAndGet(read);
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed or reset: the connection is over
    } finally {
      close(from);
      close(to);
    }
  }

  private void close(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    open.forEach(this::close);
    threads.shutdownNow();
  }
}
