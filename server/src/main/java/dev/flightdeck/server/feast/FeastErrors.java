package dev.flightdeck.server.feast;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.protocol.FlightErrors;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;

/**
 * Flightdeck's errors dressed the way Feast's remote client reads them: gRPC {@code UNKNOWN} whose
 * message is {@code Flight error: {"module": "feast.errors", "class": ..., "message": ...}} (what
 * pyarrow sends for a {@code FlightError} raised by Feast's own server), so the client (Feast 0.41
 * and later) re-raises the {@code feast.errors} class a local store would raise. {@code
 * SERVER_UNAVAILABLE} stays {@code UNAVAILABLE}, which the client retries. The Flightdeck code
 * still travels in the {@code flightdeck-error-code} metadata key.
 */
public final class FeastErrors {
  public static final String MODULE = "feast.errors";
  public static final String PREFIX = "Flight error: ";

  private static final Map<ErrorCode, String> CLASSES = new EnumMap<>(ErrorCode.class);

  static {
    for (ErrorCode code : ErrorCode.values()) {
      CLASSES.put(code, "FeastError");
    }
    CLASSES.put(ErrorCode.UNKNOWN_COMMAND, "FeastObjectNotFoundException");
    CLASSES.put(ErrorCode.NAME_COLLISION, "FeatureNameCollisionError");
    CLASSES.put(ErrorCode.INVALID_ENTITY_TABLE, "FeastEntityDFMissingColumnsError");
    CLASSES.put(ErrorCode.UNKNOWN_FEATURE_VIEW, "FeatureViewNotFoundException");
    CLASSES.put(ErrorCode.UNKNOWN_FEATURE, "FeastObjectNotFoundException");
    CLASSES.put(ErrorCode.UNKNOWN_FEATURE_SERVICE, "FeatureServiceNotFoundException");
    CLASSES.put(ErrorCode.UNKNOWN_DATA_SOURCE, "DataSourceObjectNotFoundException");
    CLASSES.put(ErrorCode.UNKNOWN_COLUMN, "FeastObjectNotFoundException");
    CLASSES.put(ErrorCode.INVALID_DATA_SOURCE, "DataSourceNotFoundException");
    CLASSES.put(ErrorCode.DESTINATION_EXISTS, "SavedDatasetLocationAlreadyExists");
    CLASSES.put(ErrorCode.UNSUPPORTED_DEFINITION, "FeastOfflineStoreUnsupportedDataSource");
    CLASSES.put(ErrorCode.UNAUTHENTICATED, "FeastPermissionError");
    CLASSES.put(ErrorCode.PERMISSION_DENIED, "FeastPermissionError");
  }

  private FeastErrors() {}

  /** The {@code feast.errors} class a Feast client raises for {@code code}. */
  public static String feastClass(ErrorCode code) {
    return CLASSES.get(code);
  }

  /**
   * {@code error}, a status made by the server's one error mapping, in Feast's form. A status that
   * carries no Flightdeck code (the client cancelled, say) is passed on as it is.
   */
  public static FlightRuntimeException toFeast(FlightRuntimeException error) {
    CallStatus status = error.status();
    if (!FlightErrors.fromServer(error)) {
      return error;
    }
    ErrorCode code;
    try {
      code = ErrorCode.valueOf(status.metadata().get(FlightErrors.ERROR_CODE_KEY));
    } catch (IllegalArgumentException e) {
      return error;
    }
    ErrorFlightMetadata metadata = new ErrorFlightMetadata();
    metadata.insert(FlightErrors.ERROR_CODE_KEY, code.name());
    FlightStatusCode statusCode =
        code == ErrorCode.SERVER_UNAVAILABLE
            ? FlightStatusCode.UNAVAILABLE
            : FlightStatusCode.UNKNOWN;
    return new CallStatus(
            statusCode, error.getCause(), detail(code, status.description()), metadata)
        .toRuntimeException();
  }

  /** {@code Flight error: } and the JSON Feast's {@code FeastError.to_error_detail} writes. */
  static String detail(ErrorCode code, String message) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("module", MODULE);
    detail.put("class", feastClass(code));
    detail.put("message", message == null ? code.name() : message);
    return PREFIX + PythonJson.dumps(detail);
  }
}
