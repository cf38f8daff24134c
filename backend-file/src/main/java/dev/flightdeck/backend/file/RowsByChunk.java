package dev.flightdeck.backend.file;

/**
 * One batch's matched view rows grouped by the chunk (row group) holding them, so a gather reads
 * each chunk in a loop of its own. Matches fall in the chunks at random; resolving the chunk per
 * row per feature, and switching buffers row by row, doubled the cost of a gather over three
 * chunks. Built once per batch and view, and used for every feature of the view that has the same
 * chunks.
 */
final class RowsByChunk {
  private final FeatureColumn layout;

  /** Chunk {@code c}'s rows are entries {@code chunkStart[c]} to {@code chunkStart[c + 1] - 1}. */
  private final int[] chunkStart;

  /** Per entry, the row's position in the batch. */
  private final int[] positions;

  /** Per entry, the row's index inside its chunk. */
  private final int[] locals;

  private RowsByChunk(FeatureColumn layout, int[] chunkStart, int[] positions, int[] locals) {
    this.layout = layout;
    this.chunkStart = chunkStart;
    this.positions = positions;
    this.locals = locals;
  }

  /** Groups {@code rows[from..from + length)} (negative: no row) by {@code layout}'s chunks. */
  static RowsByChunk of(FeatureColumn layout, int[] rows, int from, int length) {
    int chunks = layout.chunkCount();
    int[] chunkOfRow = new int[length];
    int[] chunkStart = new int[chunks + 1];
    // The chunk of the previous row is tried first: in a sorted entity table neighbours share one.
    int chunk = 0;
    for (int i = 0; i < length; i++) {
      int row = rows[from + i];
      if (row < 0) {
        chunkOfRow[i] = -1;
        continue;
      }
      if (row < layout.start(chunk) || row >= layout.start(chunk + 1)) {
        chunk = layout.chunkOf(row);
      }
      chunkOfRow[i] = chunk;
      chunkStart[chunk + 1]++;
    }
    for (int c = 0; c < chunks; c++) {
      chunkStart[c + 1] += chunkStart[c];
    }
    int[] positions = new int[chunkStart[chunks]];
    int[] locals = new int[positions.length];
    int[] next = java.util.Arrays.copyOf(chunkStart, chunks);
    for (int i = 0; i < length; i++) {
      int c = chunkOfRow[i];
      if (c >= 0) {
        int entry = next[c]++;
        positions[entry] = i;
        locals[entry] = rows[from + i] - layout.start(c);
      }
    }
    return new RowsByChunk(layout, chunkStart, positions, locals);
  }

  /** Whether {@code column} is cut into the same chunks as the column this was grouped for. */
  boolean fits(FeatureColumn column) {
    return column == layout || column.sameChunksAs(layout);
  }

  int chunkCount() {
    return chunkStart.length - 1;
  }

  int chunkStart(int chunk) {
    return chunkStart[chunk];
  }

  int position(int entry) {
    return positions[entry];
  }

  int local(int entry) {
    return locals[entry];
  }
}
