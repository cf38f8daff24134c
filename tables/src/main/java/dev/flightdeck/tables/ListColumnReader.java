package dev.flightdeck.tables;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.ValueType;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.parquet.column.ColumnReader;

/**
 * Reads a list column row by row from parquet-mr's reader of its one leaf column into an Arrow
 * {@link ListVector}, keeping null lists, empty lists and null elements apart (see {@link
 * ParquetColumn.ListShape} for the levels). Rows are written in increasing index order.
 */
public final class ListColumnReader {
  private final ColumnReader reader;
  private final ListVector vector;
  private final FieldVector elements;
  private final FeatureColumnWriter writer;
  private final int listDefined;
  private final int maxDefinition;
  private long remaining;

  /**
   * @param column a list column, already checked to match {@code type}
   * @param type a list type
   * @param reader the reader of {@code column}'s leaf, at the start of a row
   */
  public ListColumnReader(
      ParquetColumn column, ValueType type, ColumnReader reader, ListVector vector) {
    if (!column.isList() || !type.isList()) {
      throw new IllegalArgumentException(column.name() + " is not read as a list of " + type);
    }
    this.reader = requireNonNull(reader, "reader is null");
    this.vector = requireNonNull(vector, "vector is null");
    this.elements = vector.getDataVector();
    this.writer = FeatureColumnWriter.create(type.element(), column, elements);
    this.listDefined = column.list().listDefined();
    this.maxDefinition = column.list().maxDefinition();
    this.remaining = reader.getTotalValueCount();
  }

  /** Reads the next row into {@code index} of the vector. */
  public void read(int index) {
    int definition = reader.getCurrentDefinitionLevel();
    if (definition < listDefined) {
      vector.setNull(index);
      consume();
      return;
    }
    int start = vector.startNewValue(index);
    int size = 0;
    if (definition == listDefined) {
      consume(); // present and empty
    } else {
      do {
        if (reader.getCurrentDefinitionLevel() == maxDefinition) {
          writer.write(reader, start + size);
        } else {
          elements.setNull(start + size);
        }
        size++;
        consume();
      } while (continuesRow());
    }
    vector.endValue(index, size);
  }

  /** Passes over the next row. */
  public void skip() {
    do {
      if (reader.getCurrentDefinitionLevel() == maxDefinition) {
        reader.skip(); // values decode lazily: an unread one must be skipped
      }
      consume();
    } while (continuesRow());
  }

  private boolean continuesRow() {
    return remaining > 0 && reader.getCurrentRepetitionLevel() > 0;
  }

  private void consume() {
    reader.consume();
    remaining--;
  }
}
