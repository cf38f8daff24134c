package dev.flightdeck.backend.file;

import java.util.List;
import org.apache.arrow.vector.FieldVector;

/**
 * One feature's values in a loaded view: a vector per row group, in read order, addressed by view
 * row. Keeping the row groups' own vectors, rather than copying them into one, spares a cold load a
 * second copy of every feature and the fresh memory it would touch.
 */
final class FeatureColumn implements AutoCloseable {
  private final List<FieldVector> chunks;

  /** {@code starts[i]} is chunk i's first view row; {@code starts[chunks]} the row count. */
  private final int[] starts;

  /**
   * @param chunks at least one vector; each holds exactly its rows (its value count)
   */
  FeatureColumn(List<FieldVector> chunks) {
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("a feature column needs at least one vector");
    }
    this.chunks = List.copyOf(chunks);
    starts = new int[chunks.size() + 1];
    for (int i = 0; i < chunks.size(); i++) {
      starts[i + 1] = Math.addExact(starts[i], chunks.get(i).getValueCount());
    }
  }

  int chunkCount() {
    return chunks.size();
  }

  FieldVector chunk(int index) {
    return chunks.get(index);
  }

  int start(int chunk) {
    return starts[chunk];
  }

  /** The chunk holding view row {@code row} (0 to the row count - 1). */
  int chunkOf(int row) {
    int low = 0;
    int high = chunks.size() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (starts[middle] <= row) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  /** Whether {@code other} holds its rows in chunks of the same sizes as this one. */
  boolean sameChunksAs(FeatureColumn other) {
    return java.util.Arrays.equals(starts, other.starts);
  }

  long bufferSize() {
    long total = 0;
    for (FieldVector chunk : chunks) {
      total += chunk.getBufferSize();
    }
    return total;
  }

  @Override
  public void close() {
    for (int i = chunks.size() - 1; i >= 0; i--) {
      chunks.get(i).close();
    }
  }
}
