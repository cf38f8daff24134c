package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flightdeck.server.feast.PythonJson;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * Feast's remote offline store client ({@code sdk/python/feast/infra/offline_stores/remote.py},
 * Feast 0.41 to 0.66) redone in Java from its source, so tests send what Feast sends, byte for
 * byte: the descriptor is {@code json.dumps} of {@code {"command_id", "api", ...parameters}} in
 * remote.py's key order; one do_put carries the call's table ({@code pa.Table.from_pandas} of the
 * entity DataFrame: {@code timestamp[ns, tz=UTC]}, the {@code pandas} schema metadata, and an
 * {@code __index_level_0__} column for a DataFrame whose index is not a range), the table to write,
 * or the dummy {@code {"key": ["mock_key"]}}; data then comes from {@code get_flight_info} on the
 * same descriptor and {@code do_get} of {@code endpoints[0].ticket}. A failure whose message holds
 * {@code Flight error: {json}} is re-raised as {@link FeastException}, as {@code
 * arrow_error_handler.py} re-raises the {@code feast.errors} class.
 */
final class FeastRemoteClient implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final FlightClient client;
  private final BufferAllocator allocator;

  FeastRemoteClient(BufferAllocator allocator, Location location, Optional<String> token) {
    this(allocator, location, token, Optional.empty());
  }

  /**
   * As {@code build_arrow_flight_client}: {@code scheme: https} is a {@code grpc+tls} location,
   * {@code cert} the root certificates to trust.
   */
  FeastRemoteClient(
      BufferAllocator allocator,
      Location location,
      Optional<String> token,
      Optional<java.nio.file.Path> cert) {
    this.allocator = allocator;
    FlightClient.Builder builder = FlightClient.builder(allocator, location);
    if (cert.isPresent()) {
      try {
        // read now: the builder reads its stream only when it builds
        builder.trustedCertificates(
            new java.io.ByteArrayInputStream(java.nio.file.Files.readAllBytes(cert.get())));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    // FlightAuthInterceptorFactory: every call carries "authorization: Bearer <token>".
    token.ifPresent(
        value ->
            builder.intercept(
                info ->
                    new FlightClientMiddleware() {
                      @Override
                      public void onBeforeSendingHeaders(CallHeaders outgoing) {
                        outgoing.insert("authorization", "Bearer " + value);
                      }

                      @Override
                      public void onHeadersReceived(CallHeaders incoming) {}

                      @Override
                      public void onCallCompleted(CallStatus status) {}
                    }));
    this.client = builder.build();
  }

  /** What Feast's client raises: the {@code feast.errors} class the server named. */
  static final class FeastException extends RuntimeException {
    final String module;
    final String feastClass;
    final FlightRuntimeException flight;

    FeastException(String module, String feastClass, String message, FlightRuntimeException e) {
      super(feastClass + ": " + message, e);
      this.module = module;
      this.feastClass = feastClass;
      this.flight = e;
    }

    /** The Flightdeck code the server sent along (not something Feast reads). */
    String code() {
      return flight.status().metadata() == null
          ? null
          : flight.status().metadata().get("flightdeck-error-code");
    }
  }

  // ---- RemoteOfflineStore's methods, with remote.py's api_parameters in its order ----

  VectorSchemaRoot getHistoricalFeatures(
      List<String> featureViewNames,
      List<String> nameAliases,
      List<String> featureRefs,
      String project,
      boolean fullFeatureNames,
      VectorSchemaRoot entityDf,
      Instant startDate,
      Instant endDate) {
    return retrieve(
        "get_historical_features",
        historicalParameters(
            featureViewNames,
            nameAliases,
            featureRefs,
            project,
            fullFeatureNames,
            startDate,
            endDate),
        entityDf);
  }

  static Map<String, Object> historicalParameters(
      List<String> featureViewNames,
      List<String> nameAliases,
      List<String> featureRefs,
      String project,
      boolean fullFeatureNames,
      Instant startDate,
      Instant endDate) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("feature_view_names", featureViewNames);
    parameters.put("feature_refs", featureRefs);
    parameters.put("project", project);
    parameters.put("full_feature_names", fullFeatureNames);
    parameters.put("name_aliases", nameAliases);
    if (startDate != null) {
      parameters.put("start_date", isoformat(startDate));
    }
    if (endDate != null) {
      parameters.put("end_date", isoformat(endDate));
    }
    return parameters;
  }

  VectorSchemaRoot pullAllFromTableOrQuery(
      String dataSourceName,
      List<String> joinKeyColumns,
      List<String> featureNameColumns,
      String timestampField,
      String createdTimestampColumn,
      Instant startDate,
      Instant endDate) {
    return retrieve(
        "pull_all_from_table_or_query",
        pullParameters(
            dataSourceName,
            joinKeyColumns,
            featureNameColumns,
            timestampField,
            createdTimestampColumn,
            startDate,
            endDate),
        null);
  }

  VectorSchemaRoot pullLatestFromTableOrQuery(
      String dataSourceName,
      List<String> joinKeyColumns,
      List<String> featureNameColumns,
      String timestampField,
      String createdTimestampColumn,
      Instant startDate,
      Instant endDate) {
    return retrieve(
        "pull_latest_from_table_or_query",
        pullParameters(
            dataSourceName,
            joinKeyColumns,
            featureNameColumns,
            timestampField,
            createdTimestampColumn,
            startDate,
            endDate),
        null);
  }

  private static Map<String, Object> pullParameters(
      String dataSourceName,
      List<String> joinKeyColumns,
      List<String> featureNameColumns,
      String timestampField,
      String createdTimestampColumn,
      Instant startDate,
      Instant endDate) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("data_source_name", dataSourceName);
    parameters.put("join_key_columns", joinKeyColumns);
    parameters.put("feature_name_columns", featureNameColumns);
    parameters.put("timestamp_field", timestampField);
    parameters.put("created_timestamp_column", createdTimestampColumn);
    parameters.put("start_date", startDate == null ? null : isoformat(startDate));
    parameters.put("end_date", endDate == null ? null : isoformat(endDate));
    return parameters;
  }

  /** {@code get_table_column_names_and_types_from_data_source}: (name, type) pairs. */
  List<List<String>> columnNamesAndTypes(String dataSourceProtoJson) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("data_source_proto", dataSourceProtoJson);
    try (VectorSchemaRoot table =
        retrieve("get_table_column_names_and_types_from_data_source", parameters, null)) {
      List<List<String>> pairs = new ArrayList<>();
      VarCharVector names = (VarCharVector) table.getVector("name");
      VarCharVector types = (VarCharVector) table.getVector("type");
      for (int row = 0; row < table.getRowCount(); row++) {
        pairs.add(List.of(new String(names.get(row), UTF_8), new String(types.get(row), UTF_8)));
      }
      return pairs;
    }
  }

  void validateDataSource(String dataSourceProtoJson) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("data_source_proto", dataSourceProtoJson);
    callPut("validate_data_source", parameters, null);
  }

  void offlineWriteBatch(String featureView, String nameAlias, VectorSchemaRoot table) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("feature_view_names", List.of(featureView));
    parameters.put("progress", null);
    parameters.put("name_aliases", java.util.Arrays.asList(nameAlias));
    callPut("offline_write_batch", parameters, table);
  }

  void writeLoggedFeatures(String featureServiceName, VectorSchemaRoot table) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("feature_service_name", featureServiceName);
    callPut("write_logged_features", parameters, table);
  }

  /**
   * {@code RemoteRetrievalJob.persist}: the persist's own parameters, then the job's copied over
   * them (a key already there keeps its place, as in a Python dict), then {@code retrieve_func}.
   */
  void persist(
      String retrieveFunc,
      Map<String, Object> jobParameters,
      VectorSchemaRoot entityDf,
      String storageDataSourceName,
      boolean allowOverwrite) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("data_source_name", storageDataSourceName);
    parameters.put("allow_overwrite", allowOverwrite);
    parameters.put("timeout", null);
    parameters.putAll(jobParameters);
    parameters.put("retrieve_func", retrieveFunc);
    callPut("persist", parameters, entityDf);
  }

  // ---- _send_retrieve_remote, _call_put, _put_parameters, _call_get ----

  VectorSchemaRoot retrieve(String api, Map<String, Object> parameters, VectorSchemaRoot table) {
    return callGet(callPut(api, parameters, table));
  }

  FlightDescriptor callPut(String api, Map<String, Object> parameters, VectorSchemaRoot table) {
    FlightDescriptor descriptor =
        FlightDescriptor.command(command(UUID.randomUUID().toString(), api, parameters));
    putTable(descriptor, table);
    return descriptor;
  }

  /** {@code json.dumps({"command_id": ..., "api": ..., **api_parameters})}, UTF-8. */
  static byte[] command(String commandId, String api, Map<String, Object> parameters) {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("command_id", commandId);
    command.put("api", api);
    command.putAll(parameters);
    return PythonJson.dumps(command).getBytes(UTF_8);
  }

  /** One do_put: the table, or the dummy when there is none; errors surface at close. */
  void putTable(FlightDescriptor descriptor, VectorSchemaRoot table) {
    try (VectorSchemaRoot dummy = table == null ? dummyTable(allocator) : null) {
      VectorSchemaRoot sent = table == null ? dummy : table;
      try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(sent.getSchema(), allocator);
          ArrowRecordBatch batch = new VectorUnloader(sent).getRecordBatch()) {
        AsyncPutListener answer = new AsyncPutListener();
        FlightClient.ClientStreamListener put = client.startPut(descriptor, outgoing, answer);
        BearerWire.awaitReady(put, answer);
        new VectorLoader(outgoing).load(batch);
        put.putNext();
        put.completed();
        put.getResult();
      }
    } catch (FlightRuntimeException e) {
      throw raised(e);
    }
  }

  VectorSchemaRoot callGet(FlightDescriptor descriptor) {
    try {
      FlightInfo info = client.getInfo(descriptor);
      return doGet(info.getEndpoints().get(0).getTicket());
    } catch (FlightRuntimeException e) {
      throw raised(e);
    }
  }

  FlightInfo getInfo(FlightDescriptor descriptor) {
    try {
      return client.getInfo(descriptor);
    } catch (FlightRuntimeException e) {
      throw raised(e);
    }
  }

  /** {@code reader.read_all()}. */
  VectorSchemaRoot doGet(Ticket ticket) {
    try (FlightStream stream = client.getStream(ticket)) {
      VectorSchemaRoot all = VectorSchemaRoot.create(stream.getSchema(), allocator);
      try {
        all.allocateNew();
        all.setRowCount(0);
        while (stream.next()) {
          VectorSchemaRootAppender.append(false, all, stream.getRoot());
        }
        return all;
      } catch (RuntimeException e) {
        all.close();
        throw e;
      }
    } catch (FlightRuntimeException e) {
      throw raised(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- arrow_error_handler.py: _get_exception_data and FeastError.from_error_detail ----

  static RuntimeException raised(FlightRuntimeException e) {
    String detail = exceptionData(e.getMessage());
    if (detail.isEmpty()) {
      return e;
    }
    try {
      JsonNode m = MAPPER.readTree(detail);
      if (m.has("module") && m.has("class") && m.has("message")) {
        return new FeastException(
            m.get("module").asText(), m.get("class").asText(), m.get("message").asText(), e);
      }
    } catch (IOException ignored) {
      // not a detail: the plain error is raised
    }
    return e;
  }

  static String exceptionData(String text) {
    if (text == null) {
      return "";
    }
    int position = text.indexOf("Flight error: ");
    if (position < 0) {
      return "";
    }
    int jsonStart = text.indexOf('{', position + "Flight error: ".length());
    if (jsonStart < 0) {
      return "";
    }
    int searchPos = jsonStart;
    while (true) {
      int jsonEnd = text.indexOf('}', searchPos + 1);
      if (jsonEnd < 0) {
        return "";
      }
      String candidate = text.substring(jsonStart, jsonEnd + 1);
      try {
        MAPPER.readTree(candidate);
        return candidate;
      } catch (IOException notYet) {
        searchPos = jsonEnd;
      }
    }
  }

  // ---- tables as pandas and pyarrow make them ----

  /** Python's {@code datetime.isoformat()} of an aware UTC datetime. */
  static String isoformat(Instant instant) {
    String seconds =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .format(instant.atOffset(ZoneOffset.UTC));
    int micros = instant.getNano() / 1000;
    return seconds + (micros == 0 ? "" : String.format(".%06d", micros)) + "+00:00";
  }

  /** {@code _create_empty_table()}: {@code {"key": ["mock_key"]}} as one string column. */
  static VectorSchemaRoot dummyTable(BufferAllocator allocator) {
    VectorSchemaRoot dummy =
        VectorSchemaRoot.create(
            new Schema(List.of(Field.nullable("key", ArrowType.Utf8.INSTANCE))), allocator);
    VarCharVector key = (VarCharVector) dummy.getVector(0);
    key.allocateNew(1);
    key.setSafe(0, "mock_key".getBytes(UTF_8));
    dummy.setRowCount(1);
    return dummy;
  }

  /**
   * {@code pa.Table.from_pandas(df)} of a DataFrame with {@code table}'s columns: timestamps become
   * {@code timestamp[ns, tz=UTC]} (pandas' {@code datetime64[ns, UTC]}), every field is nullable,
   * the schema carries pandas' metadata, and with {@code index} the DataFrame's index (not a range:
   * rows were filtered, say) comes last as {@code __index_level_0__}.
   */
  static VectorSchemaRoot fromPandas(
      VectorSchemaRoot table, List<Long> index, BufferAllocator allocator) {
    List<Field> fields = new ArrayList<>();
    List<String> columnsMetadata = new ArrayList<>();
    for (Field field : table.getSchema().getFields()) {
      ArrowType type = field.getType();
      if (type instanceof ArrowType.Timestamp) {
        type = new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC");
      }
      fields.add(new Field(field.getName(), FieldType.nullable(type), field.getChildren()));
      columnsMetadata.add(pandasColumn(field.getName(), field.getName(), type));
    }
    if (index != null) {
      fields.add(Field.nullable("__index_level_0__", new ArrowType.Int(64, true)));
      columnsMetadata.add(pandasColumn(null, "__index_level_0__", new ArrowType.Int(64, true)));
    }
    String indexColumns =
        index == null
            ? "[{\"kind\": \"range\", \"name\": null, \"start\": 0, \"stop\": "
                + table.getRowCount()
                + ", \"step\": 1}]"
            : "[\"__index_level_0__\"]";
    String pandas =
        "{\"index_columns\": "
            + indexColumns
            + ", \"column_indexes\": [{\"name\": null, \"field_name\": null, \"pandas_type\":"
            + " \"unicode\", \"numpy_type\": \"object\", \"metadata\": {\"encoding\": \"UTF-8\"}}],"
            + " \"columns\": ["
            + String.join(", ", columnsMetadata)
            + "], \"attributes\": {}, \"creator\": {\"library\": \"pyarrow\", \"version\":"
            + " \"25.0.1\"}, \"pandas_version\": \"2.3.3\"}";
    VectorSchemaRoot out =
        VectorSchemaRoot.create(new Schema(fields, Map.of("pandas", pandas)), allocator);
    try {
      out.allocateNew();
      int rows = table.getRowCount();
      for (int c = 0; c < table.getFieldVectors().size(); c++) {
        FieldVector from = table.getVector(c);
        FieldVector to = out.getVector(c);
        if (to instanceof TimeStampNanoTZVector nanos) {
          TimeStampVector source = (TimeStampVector) from;
          long factor = nanosPerUnit(((ArrowType.Timestamp) from.getField().getType()).getUnit());
          for (int row = 0; row < rows; row++) {
            if (source.isNull(row)) {
              nanos.setNull(row);
            } else {
              nanos.setSafe(row, source.get(row) * factor);
            }
          }
        } else {
          for (int row = 0; row < rows; row++) {
            to.copyFromSafe(row, row, from);
          }
        }
        to.setValueCount(rows);
      }
      if (index != null) {
        BigIntVector indexVector = (BigIntVector) out.getVector("__index_level_0__");
        for (int row = 0; row < rows; row++) {
          indexVector.setSafe(row, index.get(row));
        }
        indexVector.setValueCount(rows);
      }
      out.setRowCount(rows);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static String pandasColumn(String name, String fieldName, ArrowType type) {
    String pandasType;
    String numpyType;
    String metadata = "null";
    if (type instanceof ArrowType.Timestamp) {
      pandasType = "datetimetz";
      numpyType = "datetime64[ns]";
      metadata = "{\"timezone\": \"UTC\"}";
    } else if (type instanceof ArrowType.Utf8) {
      pandasType = "unicode";
      numpyType = "object";
    } else if (type instanceof ArrowType.Int integer) {
      pandasType = "int" + integer.getBitWidth();
      numpyType = pandasType;
    } else if (type instanceof ArrowType.FloatingPoint floating) {
      pandasType =
          floating.getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE
              ? "float32"
              : "float64";
      numpyType = pandasType;
    } else if (type instanceof ArrowType.Bool) {
      pandasType = "bool";
      numpyType = "bool";
    } else {
      pandasType = "object";
      numpyType = "object";
    }
    return "{\"name\": "
        + (name == null ? "null" : PythonJson.dumps(name))
        + ", \"field_name\": "
        + PythonJson.dumps(fieldName)
        + ", \"pandas_type\": \""
        + pandasType
        + "\", \"numpy_type\": \""
        + numpyType
        + "\", \"metadata\": "
        + metadata
        + "}";
  }

  private static long nanosPerUnit(TimeUnit unit) {
    return switch (unit) {
      case SECOND -> 1_000_000_000L;
      case MILLISECOND -> 1_000_000L;
      case MICROSECOND -> 1_000L;
      case NANOSECOND -> 1L;
    };
  }

  FlightClient flight() {
    return client;
  }

  @Override
  public void close() throws InterruptedException {
    client.close();
  }
}
