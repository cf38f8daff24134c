package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.retrieval.Timestamps;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.Limits;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.server.auth.TokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of bad inputs over the raw Flight wire (descriptors, schema metadata, parameter types,
 * nulls, sizes, tickets, actions and auth), each with the status and Flightdeck error code it must
 * get, spoken by a plain {@link FlightClient}. After every case a correct retrieval must still be
 * served, and the server's memory must be back where it was, so a case that breaks the server or
 * leaks fails. One server (bearer tokens, small limits) serves the whole table; its allocators are
 * closed at the end, so a leak fails the class.
 *
 * <p>{@code -Dbadinput.print=true} prints every refusal, to review or extend the table.
 */
class BadInputIT {
  /** -Dbadinput.print=true prints each refusal as observed, to review or extend the table. */
  private static final boolean PRINT = Boolean.getBoolean("badinput.print");

  private static final String HIST = "get_historical_features";
  private static final String PULL = "pull_latest_from_table_or_query";
  private static final String COLUMNS = "get_table_column_names_and_types";
  private static final String WRITE = "offline_write_batch";
  private static final String LOGS = "write_logged_features";
  private static final String VALIDATE = "validate_data_source";
  private static final String TRIPS = "driver_hourly_stats:avg_daily_trips";

  private static final String ALICE_TOKEN = "alice-4f1d2c3b5a69788796a5b4c3";
  private static final String BOB_TOKEN = "bob-0a1b2c3d4e5f60718293a4b5";
  private static final String CAROL_TOKEN = "carol-99887766554433221100ffee";
  private static final String DAVE_TOKEN = "dave-13579bdf2468ace013579bdf";

  private static final int MAX_FEATURE_REFERENCES = 3;
  private static final int MAX_ACTION_BYTES = 4096;
  private static final int MAX_COMMANDS_PER_PRINCIPAL = 8;
  private static final long MAX_COMMAND_BYTES = Limits.MIB;
  private static final int MAX_DESCRIPTION = 1_100; // 1,000 characters and the cut's note

  @TempDir static Path work;
  private static Path repository;
  private static BufferAllocator root;
  private static BufferAllocator serverAllocator;
  private static BufferAllocator clientAllocator;
  private static FlightdeckServer server;

  /** Roles [read, write]: the principal of most cases and of the correct request after each. */
  private static FlightClient alice;

  /** Roles [read]. */
  private static FlightClient bob;

  /** Roles [read, write]: a second writer, and the one who fills its pending commands. */
  private static FlightClient carol;

  /** No roles at all. */
  private static FlightClient dave;

  private static final List<FlightClient> clients = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    Path tokens = work.resolve("tokens.yaml");
    Files.writeString(
        tokens,
        "tokens:\n"
            + entry("alice", ALICE_TOKEN, "[read, write]")
            + entry("bob", BOB_TOKEN, "[read]")
            + entry("carol", CAROL_TOKEN, "[read, write]")
            + entry("dave", DAVE_TOKEN, "[]"),
        UTF_8);
    repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    root = new RootAllocator();
    serverAllocator = root.newChildAllocator("server", 0, Long.MAX_VALUE);
    clientAllocator = root.newChildAllocator("clients", 0, Long.MAX_VALUE);
    Limits limits =
        Limits.defaults()
            .withCommandBytes(MAX_COMMAND_BYTES)
            .withPendingBytes(16 * Limits.MIB)
            .withCommandsPerPrincipal(MAX_COMMANDS_PER_PRINCIPAL)
            .withActionBodyBytes(MAX_ACTION_BYTES)
            .withFeatureReferences(MAX_FEATURE_REFERENCES);
    server =
        FlightdeckServer.forRepository(
                repository,
                serverAllocator,
                ServerConfig.defaults().withPort(0).withLimits(limits).withAuthTokens(tokens))
            .start();
    alice = client("Bearer " + ALICE_TOKEN);
    bob = client("Bearer " + BOB_TOKEN);
    carol = client("Bearer " + CAROL_TOKEN);
    dave = client("Bearer " + DAVE_TOKEN);
    // Warm up: whatever the first retrieval keeps (nothing, we expect) is not charged to a case.
    assertThat(tripsOfDriver1001()).isEqualTo(601L);
  }

  @AfterAll
  static void stopServer() throws Exception {
    try {
      for (FlightClient client : clients) {
        client.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
      // Each close fails if memory is still held: the server's and the clients' separately.
      serverAllocator.close();
      clientAllocator.close();
      root.close();
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void aBadInputGetsItsStatusAndCodeAndACorrectRequestIsServedAfter(Case c) throws Exception {
    long serverMemoryBefore = serverAllocator.getAllocatedMemory();
    try (Ctx ctx = new Ctx()) {
      Call call = c.step.prepare(ctx);
      Throwable thrown = catchThrowable(call::run);
      if (c.status == null) {
        assertThat(thrown).as("%s: served", c.name).isNull();
      } else {
        assertRefused(c, thrown);
      }
      if (c.after != null) {
        c.after.check(ctx);
      }
    }
    assertThat(tripsOfDriver1001()).as("a correct request after '%s'", c.name).isEqualTo(601L);
    awaitServerMemoryAtMost(serverMemoryBefore, c.name);
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.addAll(descriptorCases());
    cases.addAll(metadataCases());
    cases.addAll(missingParamCases());
    cases.addAll(paramTypeCases());
    cases.addAll(entityTableCases());
    cases.addAll(pullCases());
    cases.addAll(limitCases());
    cases.addAll(ticketCases());
    cases.addAll(actionCases());
    cases.addAll(writeCases());
    cases.addAll(authCases());
    long names = cases.stream().map(c -> c.name).distinct().count();
    if (names != cases.size()) {
      throw new IllegalStateException("two cases share a name");
    }
    return cases.stream();
  }

  // ---------------------------------------------------------------------------------------------
  // Descriptors: do_put and getFlightInfo with a descriptor that is not a command id.

  private static List<Case> descriptorCases() {
    return List.of(
        refused(
                "put: descriptor is not a UUID",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          FlightDescriptor.command("not-a-uuid".getBytes(UTF_8)),
                          header(id, HIST, "entity_df"),
                          ctx.entities());
                })
            .contains("'not-a-uuid' is not a UUID"),
        refused(
                "put: empty descriptor",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          FlightDescriptor.command(new byte[0]),
                          header(id, HIST, "entity_df"),
                          ctx.entities());
                })
            .contains("is not a UUID"),
        refused(
                "put: path descriptor",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          FlightDescriptor.path("data", "driver_stats.parquet"),
                          header(id, HIST, "entity_df"),
                          ctx.entities());
                })
            .contains("not a path"),
        refused(
                "put: 1 MB descriptor, message cut",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          FlightDescriptor.command("x".repeat(1_000_000).getBytes(UTF_8)),
                          header(id, HIST, "entity_df"),
                          ctx.entities());
                })
            .contains("is not a UUID"),
        refused(
                "put: descriptor is a UUID in a non-canonical form",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          FlightDescriptor.command("1-2-3-4-5".getBytes(UTF_8)),
                          header("1-2-3-4-5", HIST, "entity_df"),
                          ctx.entities());
                })
            .contains("'1-2-3-4-5'"),
        refused(
                "put: descriptor bytes are not UTF-8",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          FlightDescriptor.command(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}),
                          header(id, HIST, "entity_df"),
                          ctx.entities());
                })
            .contains("is not a UUID"),
        refused(
                "get_flight_info: descriptor is not a UUID",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> () -> alice.getInfo(FlightDescriptor.command("nope".getBytes(UTF_8))))
            .contains("'nope'"),
        refused(
                "get_flight_info: path descriptor",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> () -> alice.getInfo(FlightDescriptor.path("etc", "passwd")))
            .contains("not a path"),
        refused(
            "get_flight_info: unknown command id",
            NOT_FOUND,
            ErrorCode.UNKNOWN_COMMAND,
            ctx -> {
              String id = ctx.newId();
              return () -> alice.getInfo(CommandIds.descriptor(id));
            }),
        refused(
                "get_flight_info: a command of an api that returns no data",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, VALIDATE, "data_source_name", "driver_stats_source");
                  return () -> alice.getInfo(CommandIds.descriptor(id));
                })
            .contains("do_action 'validate_data_source'"));
  }

  // ---------------------------------------------------------------------------------------------
  // Schema metadata of a do_put: command, api, param.

  private static List<Case> metadataCases() {
    return List.of(
        refused(
                "put: schema without any metadata",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(alice, CommandIds.descriptor(id), Map.of(), ctx.entities());
                })
            .contains("no 'command' metadata"),
        refused(
                "put: 'command' metadata missing",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          CommandIds.descriptor(id),
                          Map.of("api", HIST, "param", "entity_df"),
                          ctx.entities());
                })
            .contains("no 'command' metadata"),
        refused(
                "put: 'api' metadata missing",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          CommandIds.descriptor(id),
                          Map.of("command", id, "param", "entity_df"),
                          ctx.entities());
                })
            .contains("no 'api' metadata"),
        refused(
                "put: 'param' metadata missing",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          CommandIds.descriptor(id),
                          Map.of("command", id, "api", HIST),
                          ctx.entities());
                })
            .contains("no 'param' metadata"),
        refused(
                "put: 'command' metadata differs from the descriptor",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  String other = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          CommandIds.descriptor(id),
                          header(other, HIST, "entity_df"),
                          ctx.entities());
                })
            .contains("they must be equal"),
        refused(
                "put: 'command' metadata is not a UUID",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.putRaw(
                          alice,
                          CommandIds.descriptor(id),
                          header("command-1", HIST, "entity_df"),
                          ctx.entities());
                })
            .contains("'command-1' is not a UUID"),
        refused(
                "put: unknown api",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_API,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.put(alice, id, "drop_table", "entity_df", ctx.entities());
                })
            .contains("unknown api 'drop_table'"),
        refused(
                "put: api name in the wrong case",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_API,
                ctx -> {
                  String id = ctx.newId();
                  return () ->
                      ctx.put(alice, id, "GET_HISTORICAL_FEATURES", "entity_df", ctx.entities());
                })
            .contains("'GET_HISTORICAL_FEATURES'"),
        refused(
                "put: empty api name",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_API,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.put(alice, id, "", "entity_df", ctx.entities());
                })
            .contains("unknown api ''"),
        refused(
                "put: an action's name as api",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_API,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.put(alice, id, "describe", "entity_df", ctx.entities());
                })
            .contains("'describe'"),
        refused(
                "put: 200 KB api name, message cut",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_API,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.put(alice, id, "a".repeat(200_000), "entity_df", ctx.entities());
                })
            .contains("characters)"),
        refused(
                "put: unknown param",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.put(alice, id, HIST, "entity_table", ctx.entities());
                })
            .contains("unknown param 'entity_table'"),
        refused(
                "put: a param of another api",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.putStrings(alice, id, HIST, "feature_view", "customer_profile");
                })
            .contains("'feature_view'"),
        refused(
                "put: 200 KB param name, message cut",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.put(alice, id, HIST, "p".repeat(200_000), ctx.entities());
                })
            .contains("characters)"),
        refused(
                "put: the same param twice (the first is kept)",
                INVALID_ARGUMENT,
                ErrorCode.DUPLICATE_PARAMETER,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  return () -> ctx.putStrings(alice, id, HIST, "features", "nope:nope");
                })
            .contains("'features' was already sent")
            .then(ctx -> assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L)),
        refused(
                "put: a second param for another api on one command",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  return () ->
                      ctx.putStrings(alice, id, PULL, "data_source_name", "driver_stats_source");
                })
            .contains("calls api 'get_historical_features'")
            .then(ctx -> assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L)));
  }

  // ---------------------------------------------------------------------------------------------
  // Required params missing, or sent together when only one may be.

  private static List<Case> missingParamCases() {
    return List.of(
        refused(
                "do_get: no entity_df nor start/end_date",
                INVALID_ARGUMENT,
                ErrorCode.MISSING_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, HIST, "features", TRIPS);
                  return () -> ctx.drain(alice, id);
                })
            .contains("'entity_df'"),
        refused(
                "do_get: no features nor feature_service",
                INVALID_ARGUMENT,
                ErrorCode.MISSING_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.put(alice, id, HIST, "entity_df", ctx.entities());
                  return () -> ctx.drain(alice, id);
                })
            .contains("neither 'features' nor 'feature_service'"),
        refused(
                "get_flight_info: missing param (the command stays pending)",
                INVALID_ARGUMENT,
                ErrorCode.MISSING_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.put(alice, id, HIST, "entity_df", ctx.entities());
                  return () -> alice.getInfo(CommandIds.descriptor(id));
                })
            .then(
                ctx -> {
                  ctx.putStrings(alice, ctx.ids.get(0), HIST, "features", TRIPS);
                  assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L);
                }),
        refused(
                "do_get: both features and feature_service",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  ctx.putStrings(alice, id, HIST, "feature_service", "driver_activity");
                  return () -> ctx.drain(alice, id);
                })
            .contains("both sent"),
        refused(
                "do_get: entity_df and start_date/end_date",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  ctx.put(alice, id, HIST, "start_date", ctx.instant("start_date", "2024-01-01"));
                  ctx.put(alice, id, HIST, "end_date", ctx.instant("end_date", "2024-01-02"));
                  return () -> ctx.drain(alice, id);
                })
            .contains("not both"),
        refused(
                "do_get: start_date without end_date",
                INVALID_ARGUMENT,
                ErrorCode.MISSING_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, HIST, "feature_service", "driver_rates");
                  ctx.put(alice, id, HIST, "start_date", ctx.instant("start_date", "2024-01-01"));
                  return () -> ctx.drain(alice, id);
                })
            .contains("'end_date'"),
        refused(
                "do_get: pull_latest without end_date",
                INVALID_ARGUMENT,
                ErrorCode.MISSING_PARAMETER,
                ctx -> {
                  String id = ctx.pullCommand(alice, "end_date");
                  return () -> ctx.drain(alice, id);
                })
            .contains("end_date"),
        refused(
                "action: offline_write_batch without its table",
                INVALID_ARGUMENT,
                ErrorCode.MISSING_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, WRITE, "feature_view", "customer_profile");
                  return () -> ctx.action(alice, WRITE, id.getBytes(UTF_8));
                })
            .contains("'table'"));
  }

  // ---------------------------------------------------------------------------------------------
  // Scalar and list params of the wrong Arrow shape, nulls, empties and dictionaries.

  private static List<Case> paramTypeCases() {
    return List.of(
        histWith(
                "features as int64",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> TestTable.with(clientAllocator).int64("features").row(1L).build())
            .contains("must be one utf8 column named 'features'"),
        histWith(
                "features column named otherwise",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> ParamTables.strings("feature", List.of(TRIPS), clientAllocator))
            .contains("named 'features'"),
        histWith(
                "features with two columns",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx ->
                    TestTable.with(clientAllocator)
                        .string("features")
                        .string("more")
                        .row(TRIPS, TRIPS)
                        .build())
            .contains("'features'"),
        histWith(
                "features with a null",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx ->
                    TestTable.with(clientAllocator)
                        .string("features")
                        .row(TRIPS)
                        .row((Object) null)
                        .build())
            .contains("null at row 1"),
        histWith(
                "features with no rows",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> ParamTables.strings("features", List.of(), clientAllocator))
            .contains("no features requested"),
        histWith(
                "features as large_utf8",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx ->
                    TestTable.with(clientAllocator)
                        .column("features", ArrowType.LargeUtf8.INSTANCE)
                        .row((Object) null)
                        .build())
            .contains("'features'"),
        histWith(
                "feature reference without a view",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_FEATURE_REFERENCE,
                ctx -> ParamTables.strings("features", List.of("conv_rate"), clientAllocator))
            .contains("'conv_rate'"),
        histWith(
                "200 KB feature reference, message cut",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_FEATURE_REFERENCE,
                ctx ->
                    ParamTables.strings("features", List.of("r".repeat(200_000)), clientAllocator))
            .contains("characters)"),
        histWith(
                "an empty feature reference",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_FEATURE_REFERENCE,
                ctx -> ParamTables.strings("features", List.of(""), clientAllocator))
            .contains("malformed feature reference ''"),
        refused(
                "do_get: features put as a schema without batches",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.put(alice, id, HIST, "entity_df", ctx.entities());
                  ctx.putSchemaOnly(
                      alice,
                      id,
                      HIST,
                      "features",
                      new Schema(List.of(Field.notNullable("features", ArrowType.Utf8.INSTANCE))));
                  return () -> ctx.drain(alice, id);
                })
            .contains("no features requested"),
        histWith(
                "unknown feature view",
                NOT_FOUND,
                ErrorCode.UNKNOWN_FEATURE_VIEW,
                ctx -> ParamTables.strings("features", List.of("nope_view:x"), clientAllocator))
            .contains("'nope_view'"),
        histWith(
                "unknown feature",
                NOT_FOUND,
                ErrorCode.UNKNOWN_FEATURE,
                ctx ->
                    ParamTables.strings(
                        "features", List.of("driver_hourly_stats:nope_feature"), clientAllocator))
            .contains("nope_feature"),
        histWith(
                "the same feature twice",
                INVALID_ARGUMENT,
                ErrorCode.NAME_COLLISION,
                ctx -> ParamTables.strings("features", List.of(TRIPS, TRIPS), clientAllocator))
            .contains("requested twice"),
        refused(
                "do_get: full_feature_names as utf8",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  ctx.putStrings(alice, id, HIST, "full_feature_names", "true");
                  return () -> ctx.drain(alice, id);
                })
            .contains("must be one bool column named 'full_feature_names'"),
        refused(
                "do_get: full_feature_names with two rows",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  ctx.put(
                      alice,
                      id,
                      HIST,
                      "full_feature_names",
                      TestTable.with(clientAllocator)
                          .bool("full_feature_names")
                          .row(true)
                          .row(false)
                          .build());
                  return () -> ctx.drain(alice, id);
                })
            .contains("exactly one row, got 2"),
        refused(
                "do_get: full_feature_names null",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  ctx.put(
                      alice,
                      id,
                      HIST,
                      "full_feature_names",
                      TestTable.with(clientAllocator)
                          .bool("full_feature_names")
                          .row((Object) null)
                          .build());
                  return () -> ctx.drain(alice, id);
                })
            .contains("'full_feature_names' is null"),
        refused(
                "do_get: full_feature_names with no rows",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  ctx.put(
                      alice,
                      id,
                      HIST,
                      "full_feature_names",
                      TestTable.with(clientAllocator).bool("full_feature_names").build());
                  return () -> ctx.drain(alice, id);
                })
            .contains("exactly one row, got 0"),
        refused(
                "do_get: unknown feature_service",
                NOT_FOUND,
                ErrorCode.UNKNOWN_FEATURE_SERVICE,
                ctx -> {
                  String id = ctx.newId();
                  ctx.put(alice, id, HIST, "entity_df", ctx.entities());
                  ctx.putStrings(alice, id, HIST, "feature_service", "nope_service");
                  return () -> ctx.drain(alice, id);
                })
            .contains("'nope_service'"),
        refused(
                "do_get: feature_service with two rows",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.put(alice, id, HIST, "entity_df", ctx.entities());
                  ctx.putStrings(
                      alice, id, HIST, "feature_service", "driver_activity", "driver_rates");
                  return () -> ctx.drain(alice, id);
                })
            .contains("exactly one row, got 2"),
        refused(
                "do_get: start_date as int64",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, HIST, "feature_service", "driver_rates");
                  ctx.put(
                      alice,
                      id,
                      HIST,
                      "start_date",
                      TestTable.with(clientAllocator).int64("start_date").row(0L).build());
                  ctx.put(alice, id, HIST, "end_date", ctx.instant("end_date", "2024-01-02"));
                  return () -> ctx.drain(alice, id);
                })
            .contains("one timestamp column named 'start_date'"),
        refused(
                "do_get: start_date null",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, HIST, "feature_service", "driver_rates");
                  ctx.put(
                      alice,
                      id,
                      HIST,
                      "start_date",
                      TestTable.with(clientAllocator)
                          .timestamp("start_date")
                          .row((Object) null)
                          .build());
                  ctx.put(alice, id, HIST, "end_date", ctx.instant("end_date", "2024-01-02"));
                  return () -> ctx.drain(alice, id);
                })
            .contains("'start_date' is null"),
        refused(
                "do_get: start_date in seconds beyond epoch microseconds",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, HIST, "feature_service", "driver_rates");
                  ctx.put(
                      alice,
                      id,
                      HIST,
                      "start_date",
                      ctx.rawTimestamps("start_date", TimeUnit.SECOND, Long.MAX_VALUE));
                  ctx.put(alice, id, HIST, "end_date", ctx.instant("end_date", "2024-01-02"));
                  return () -> ctx.drain(alice, id);
                })
            .contains("start_date"),
        refused(
                "put: dictionary-encoded features",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.putDictionaryEncoded(alice, id, HIST, "features", "features");
                })
            .contains("column 'features' is dictionary-encoded"));
  }

  // ---------------------------------------------------------------------------------------------
  // entity_df: event time, join keys, nulls, overflow and unusual column types.

  private static List<Case> entityTableCases() {
    return List.of(
        entityDf(
                "no timestamp column",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx -> TestTable.with(clientAllocator).int64("driver_id").row(1001L).build())
            .contains("no timestamp column"),
        entityDf(
                "event_timestamp as utf8",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx ->
                    TestTable.with(clientAllocator)
                        .int64("driver_id")
                        .string("event_timestamp")
                        .row(1001L, "2024-01-01T10:30:00Z")
                        .build())
            .contains("'event_timestamp' must be a timestamp"),
        entityDf(
                "two timestamp columns, none named event_timestamp",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx ->
                    TestTable.with(clientAllocator)
                        .int64("driver_id")
                        .timestamp("ts_a")
                        .timestamp("ts_b")
                        .row(1001L, at("2024-01-01T10:30:00Z"), at("2024-01-01T10:30:00Z"))
                        .build())
            .contains("several timestamp columns (ts_a, ts_b)"),
        entityDf(
                "no join key column",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx ->
                    TestTable.with(clientAllocator)
                        .int64("customer_id")
                        .timestamp("event_timestamp")
                        .row(201L, at("2024-01-01T10:30:00Z"))
                        .build())
            .contains("no column 'driver_id'"),
        entityDf(
                "join key as float64",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx ->
                    TestTable.with(clientAllocator)
                        .float64("driver_id")
                        .timestamp("event_timestamp")
                        .row(1001.0, at("2024-01-01T10:30:00Z"))
                        .build())
            .contains("'driver_id' is float64"),
        entityDf(
                "join key as large_utf8",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx ->
                    TestTable.with(clientAllocator)
                        .column("driver_id", ArrowType.LargeUtf8.INSTANCE)
                        .timestamp("event_timestamp")
                        .row(null, at("2024-01-01T10:30:00Z"))
                        .build())
            .contains("'driver_id' is large_string; join keys must be integers or strings"),
        entityDf(
                "the same column twice",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx ->
                    TestTable.with(clientAllocator)
                        .int64("driver_id")
                        .int64("driver_id")
                        .timestamp("event_timestamp")
                        .row(1001L, 1001L, at("2024-01-01T10:30:00Z"))
                        .build())
            .contains("'driver_id' twice"),
        entityDf(
                "no columns at all",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx -> VectorSchemaRoot.create(new Schema(List.of()), clientAllocator))
            .contains("no timestamp column"),
        entityDf(
                "a null event timestamp",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx ->
                    TestTable.with(clientAllocator)
                        .int64("driver_id")
                        .timestamp("event_timestamp")
                        .row(1001L, at("2024-01-01T10:30:00Z"))
                        .row(1002L, null)
                        .build())
            .contains("null event_timestamp at row 1"),
        entityDf(
                "event timestamp in seconds beyond epoch microseconds",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx -> ctx.entitiesAtRaw(TimeUnit.SECOND, Long.MAX_VALUE))
            .contains("out of range"),
        entityDf(
                "event timestamp in milliseconds below epoch microseconds",
                ErrorCode.INVALID_ENTITY_TABLE,
                ctx -> ctx.entitiesAtRaw(TimeUnit.MILLISECOND, Long.MIN_VALUE))
            .contains("out of range"),
        entityDf(
                "a feature named like an entity column",
                ErrorCode.NAME_COLLISION,
                ctx ->
                    TestTable.with(clientAllocator)
                        .int64("driver_id")
                        .timestamp("event_timestamp")
                        .int64("avg_daily_trips")
                        .row(1001L, at("2024-01-01T10:30:00Z"), 1L)
                        .build())
            .contains("already a column of the entity table"),
        refused(
                "put: dictionary-encoded entity column",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.putDictionaryEncoded(alice, id, HIST, "entity_df", "city");
                })
            .contains("column 'city' is dictionary-encoded"),
        served(
            "entity_df: a null join key matches nothing",
            ctx -> {
              String id = ctx.newId();
              ctx.put(
                  alice,
                  id,
                  HIST,
                  "entity_df",
                  TestTable.with(clientAllocator)
                      .int64("driver_id")
                      .timestamp("event_timestamp")
                      .row(null, at("2024-01-01T10:30:00Z"))
                      .row(1001L, at("2024-01-01T10:30:00Z"))
                      .build());
              ctx.putStrings(alice, id, HIST, "features", TRIPS);
              return () -> {
                List<Object> trips = ctx.column(alice, id, "avg_daily_trips");
                assertThat(trips).containsExactly(null, 601L);
              };
            }),
        served(
            "entity_df: no rows",
            ctx -> {
              String id = ctx.newId();
              ctx.put(
                  alice,
                  id,
                  HIST,
                  "entity_df",
                  TestTable.with(clientAllocator)
                      .int64("driver_id")
                      .timestamp("event_timestamp")
                      .build());
              ctx.putStrings(alice, id, HIST, "features", TRIPS);
              return () -> assertThat(ctx.drain(alice, id)).isZero();
            }),
        served(
            "entity_df: an all-null column (pyarrow's null type) comes back unchanged",
            ctx -> {
              String id = ctx.newId();
              ctx.put(
                  alice,
                  id,
                  HIST,
                  "entity_df",
                  TestTable.with(clientAllocator)
                      .int64("driver_id")
                      .timestamp("event_timestamp")
                      .column("note", ArrowType.Null.INSTANCE)
                      .row(1001L, at("2024-01-01T10:30:00Z"), null)
                      .build());
              ctx.putStrings(alice, id, HIST, "features", TRIPS);
              return () ->
                  assertThat(ctx.column(alice, id, "avg_daily_trips")).containsExactly(601L);
            }),
        served(
            "entity_df: a list column comes back unchanged",
            ctx -> {
              String id = ctx.newId();
              ctx.put(alice, id, HIST, "entity_df", ctx.entitiesWithListColumn());
              ctx.putStrings(alice, id, HIST, "features", TRIPS);
              return () -> {
                assertThat(ctx.column(alice, id, "avg_daily_trips")).containsExactly(601L);
              };
            }),
        served(
            "entity_df: a struct column comes back unchanged",
            ctx -> {
              String id = ctx.newId();
              ctx.put(alice, id, HIST, "entity_df", ctx.entitiesWithStructColumn());
              ctx.putStrings(alice, id, HIST, "features", TRIPS);
              return () ->
                  assertThat(ctx.column(alice, id, "avg_daily_trips")).containsExactly(601L);
            }),
        served(
            "entity_df: an event timestamp with an unknown time zone is still an instant",
            ctx -> {
              String id = ctx.newId();
              ctx.put(
                  alice,
                  id,
                  HIST,
                  "entity_df",
                  TestTable.with(clientAllocator)
                      .int64("driver_id")
                      .timestamp("event_timestamp", TimeUnit.MICROSECOND, "Mars/Olympus_Mons")
                      .row(1001L, at("2024-01-01T10:30:00Z"))
                      .build());
              ctx.putStrings(alice, id, HIST, "features", TRIPS);
              return () ->
                  assertThat(ctx.column(alice, id, "avg_daily_trips")).containsExactly(601L);
            }),
        refused(
                "do_get: a range retrieval of views that do not share join keys",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, HIST, "feature_service", "driver_activity");
                  ctx.put(alice, id, HIST, "start_date", ctx.instant("start_date", "2024-01-01"));
                  ctx.put(alice, id, HIST, "end_date", ctx.instant("end_date", "2024-01-02"));
                  return () -> ctx.drain(alice, id);
                })
            .contains("join keys"),
        refused(
                "do_get: a range retrieval whose start_date is after its end_date",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, HIST, "feature_service", "driver_rates");
                  ctx.put(alice, id, HIST, "start_date", ctx.instant("start_date", "2024-01-03"));
                  ctx.put(alice, id, HIST, "end_date", ctx.instant("end_date", "2024-01-02"));
                  return () -> ctx.drain(alice, id);
                })
            .contains("is after end_date"),
        served(
            "entity_df: event timestamp at the lowest epoch microsecond matches nothing",
            ctx -> {
              String id = ctx.newId();
              ctx.put(
                  alice,
                  id,
                  HIST,
                  "entity_df",
                  ctx.entitiesAtRaw(TimeUnit.MICROSECOND, Long.MIN_VALUE));
              ctx.putStrings(alice, id, HIST, "features", TRIPS);
              return () ->
                  assertThat(ctx.column(alice, id, "avg_daily_trips"))
                      .containsExactly((Object) null);
            }),
        served(
            "entity_df: event timestamp at the highest epoch microsecond is past every TTL",
            ctx -> {
              String id = ctx.newId();
              ctx.put(
                  alice,
                  id,
                  HIST,
                  "entity_df",
                  ctx.entitiesAtRaw(TimeUnit.MICROSECOND, Long.MAX_VALUE));
              ctx.putStrings(alice, id, HIST, "features", TRIPS);
              return () ->
                  assertThat(ctx.column(alice, id, "avg_daily_trips"))
                      .containsExactly((Object) null);
            }));
  }

  // ---------------------------------------------------------------------------------------------
  // Pulls, column listing and validation: names that resolve to nothing.

  private static List<Case> pullCases() {
    return List.of(
        pullWith(
                "unknown data source",
                NOT_FOUND,
                ErrorCode.UNKNOWN_DATA_SOURCE,
                "data_source_name",
                ctx -> ctx.strings("data_source_name", "nope_source"))
            .contains("'nope_source'"),
        pullWith(
                "data source named by a path",
                NOT_FOUND,
                ErrorCode.UNKNOWN_DATA_SOURCE,
                "data_source_name",
                ctx -> ctx.strings("data_source_name", "../../data/driver_stats.parquet"))
            .contains("'../../data/driver_stats.parquet'"),
        pullWith(
                "unknown feature column",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_COLUMN,
                "feature_name_columns",
                ctx -> ctx.strings("feature_name_columns", "nope_column"))
            .contains("nope_column"),
        pullWith(
                "unknown join key column",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_COLUMN,
                "join_key_columns",
                ctx -> ctx.strings("join_key_columns", "nope_key"))
            .contains("nope_key"),
        pullWith(
                "unknown timestamp field",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_COLUMN,
                "timestamp_field",
                ctx -> ctx.strings("timestamp_field", "nope_time"))
            .contains("nope_time"),
        pullWith(
                "data_source_name with two rows",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                "data_source_name",
                ctx ->
                    ctx.strings("data_source_name", "driver_stats_source", "driver_stats_source"))
            .contains("exactly one row, got 2"),
        pullWith(
                "start_date after end_date",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                "start_date",
                ctx -> ctx.instant("start_date", "2024-02-01"))
            .contains("is after end_date"),
        pullWith(
                "start_date as a utf8 date",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                "start_date",
                ctx -> ctx.strings("start_date", "2024-01-01T00:00:00Z"))
            .contains("one timestamp column named 'start_date'"),
        pullWith(
                "start_date in seconds beyond epoch microseconds",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                "start_date",
                ctx -> ctx.rawTimestamps("start_date", TimeUnit.SECOND, Long.MIN_VALUE))
            .contains("start_date"),
        refused(
                "do_get: get_table_column_names_and_types of an unknown source",
                NOT_FOUND,
                ErrorCode.UNKNOWN_DATA_SOURCE,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, COLUMNS, "data_source_name", "nope_source");
                  return () -> ctx.drain(alice, id);
                })
            .contains("'nope_source'"),
        refused(
                "do_get: get_table_column_names_and_types with a null name",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.put(
                      alice,
                      id,
                      COLUMNS,
                      "data_source_name",
                      TestTable.with(clientAllocator)
                          .string("data_source_name")
                          .row((Object) null)
                          .build());
                  return () -> ctx.drain(alice, id);
                })
            .contains("null at row 0"),
        refused(
                "action: validate_data_source of an unknown source",
                NOT_FOUND,
                ErrorCode.UNKNOWN_DATA_SOURCE,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, VALIDATE, "data_source_name", "nope_source");
                  return () -> ctx.action(alice, VALIDATE, id.getBytes(UTF_8));
                })
            .contains("'nope_source'"));
  }

  // ---------------------------------------------------------------------------------------------
  // Limits, started small so each attack is cheap.

  private static List<Case> limitCases() {
    return List.of(
        histWith(
                "feature references over the limit",
                RESOURCE_EXHAUSTED,
                ErrorCode.LIMIT_EXCEEDED,
                ctx ->
                    ParamTables.strings(
                        "features",
                        List.of(
                            "driver_hourly_stats:conv_rate",
                            "driver_hourly_stats:acc_rate",
                            TRIPS,
                            "customer_profile:current_balance"),
                        clientAllocator))
            .contains("names 4 feature references, more than the 3 allowed")
            .contains("--max-feature-references"),
        refused(
                "action: describe body over the limit",
                RESOURCE_EXHAUSTED,
                ErrorCode.LIMIT_EXCEEDED,
                ctx -> () -> ctx.action(alice, "describe", new byte[MAX_ACTION_BYTES + 1]))
            .contains("has 4097 bytes, more than the 4 KiB allowed (--max-action-bytes)"),
        refused(
                "action: persist body over the limit",
                RESOURCE_EXHAUSTED,
                ErrorCode.LIMIT_EXCEEDED,
                ctx -> {
                  String id = ctx.pullCommand(alice);
                  byte[] body = persistBody(id, "d".repeat(2 * MAX_ACTION_BYTES), false);
                  return () -> ctx.action(alice, "persist", body);
                })
            .contains("--max-action-bytes"),
        refused(
                "action: 1 MB action type, message cut",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_API,
                ctx -> () -> ctx.action(alice, "t".repeat(1_000_000), new byte[0]))
            .contains("characters)"),
        refused(
                "put: entity_df over the bytes one command may hold",
                RESOURCE_EXHAUSTED,
                ErrorCode.LIMIT_EXCEEDED,
                ctx -> {
                  String id = ctx.newId();
                  VectorSchemaRoot big = ctx.own(ctx.manyEntities(100_000));
                  return () -> ctx.put(alice, id, HIST, "entity_df", big);
                })
            .contains("--max-command-bytes"),
        refused(
                "put: one command more than a principal may have pending",
                RESOURCE_EXHAUSTED,
                ErrorCode.LIMIT_EXCEEDED,
                ctx -> {
                  for (int i = 0; i < MAX_COMMANDS_PER_PRINCIPAL; i++) {
                    ctx.putStrings(carol, ctx.newId(), HIST, "features", TRIPS);
                  }
                  String oneMore = ctx.newId();
                  return () -> ctx.putStrings(carol, oneMore, HIST, "features", TRIPS);
                })
            .contains("principal 'carol' already has 8 pending commands")
            .contains("--max-commands-per-principal 8"));
  }

  // ---------------------------------------------------------------------------------------------
  // Tickets of do_get.

  private static List<Case> ticketCases() {
    return List.of(
        refused(
                "do_get: garbage ticket",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> () -> ctx.drain(alice, new Ticket("garbage".getBytes(UTF_8))))
            .contains("'garbage' is not a UUID"),
        refused(
                "do_get: empty ticket",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> () -> ctx.drain(alice, new Ticket(new byte[0])))
            .contains("is not a UUID"),
        refused(
                "do_get: 1 MB ticket, message cut",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> () -> ctx.drain(alice, new Ticket("u".repeat(1_000_000).getBytes(UTF_8))))
            .contains("is not a UUID"),
        refused(
                "do_get: unknown command id",
                NOT_FOUND,
                ErrorCode.UNKNOWN_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.drain(alice, id);
                })
            .contains("unknown command"),
        refused(
            "do_get: a ticket already consumed",
            NOT_FOUND,
            ErrorCode.UNKNOWN_COMMAND,
            ctx -> {
              String id = ctx.histCommand(alice);
              assertThat(ctx.drain(alice, id)).isEqualTo(1);
              return () -> ctx.drain(alice, id);
            }),
        refused(
            "do_get: a cancelled command",
            NOT_FOUND,
            ErrorCode.UNKNOWN_COMMAND,
            ctx -> {
              String id = ctx.histCommand(alice);
              ctx.action(alice, "cancel", id.getBytes(UTF_8));
              return () -> ctx.drain(alice, id);
            }),
        refused(
                "do_get: another principal's command",
                NOT_FOUND,
                ErrorCode.UNKNOWN_COMMAND,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  return () -> ctx.drain(bob, id);
                })
            .then(ctx -> assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L)),
        refused(
                "get_flight_info: another principal's command",
                NOT_FOUND,
                ErrorCode.UNKNOWN_COMMAND,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  return () -> bob.getInfo(CommandIds.descriptor(id));
                })
            .then(ctx -> assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L)),
        refused(
                "put: a param into another principal's command",
                NOT_FOUND,
                ErrorCode.UNKNOWN_COMMAND,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  return () ->
                      ctx.put(
                          carol,
                          id,
                          HIST,
                          "full_feature_names",
                          ParamTables.bool("full_feature_names", true, clientAllocator));
                })
            .then(ctx -> assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L)),
        refused(
                "do_get: a command of an api that returns no data",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, WRITE, "feature_view", "customer_profile");
                  return () -> ctx.drain(alice, id);
                })
            .contains("do_action 'offline_write_batch'"));
  }

  // ---------------------------------------------------------------------------------------------
  // do_action: unknown types, bodies, persist destinations, cancel.

  private static List<Case> actionCases() {
    return List.of(
        refused(
                "action: unknown type",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_API,
                ctx -> () -> ctx.action(alice, "drop_everything", new byte[0]))
            .contains("unknown action 'drop_everything'")
            .contains("persist, cancel, describe"),
        refused(
                "action: empty type",
                INVALID_ARGUMENT,
                ErrorCode.UNKNOWN_API,
                ctx -> () -> ctx.action(alice, "", new byte[0]))
            .contains("unknown action ''"),
        refused(
                "action: a data api run as an action names do_get",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  return () -> ctx.action(alice, HIST, id.getBytes(UTF_8));
                })
            .contains("do_get"),
        refused(
                "action: an api action on a data command",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.pullCommand(alice);
                  return () -> ctx.action(alice, WRITE, id.getBytes(UTF_8));
                })
            .contains("whose params were put for api 'pull_latest_from_table_or_query'"),
        refused(
                "action: an api action with an empty body",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> () -> ctx.action(alice, VALIDATE, new byte[0]))
            .contains("is not a UUID"),
        refused(
            "action: cancel of an unknown command",
            NOT_FOUND,
            ErrorCode.UNKNOWN_COMMAND,
            ctx -> {
              String id = ctx.newId();
              return () -> ctx.action(alice, "cancel", id.getBytes(UTF_8));
            }),
        refused(
                "action: cancel of a body that is not a command id",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> () -> ctx.action(alice, "cancel", "all".getBytes(UTF_8)))
            .contains("'all' is not a UUID"),
        refused(
                "action: cancel of another principal's command",
                NOT_FOUND,
                ErrorCode.UNKNOWN_COMMAND,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  return () -> ctx.action(carol, "cancel", id.getBytes(UTF_8));
                })
            .then(ctx -> assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L)),
        refused(
                "action: validate_data_source on another principal's command",
                NOT_FOUND,
                ErrorCode.UNKNOWN_COMMAND,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, VALIDATE, "data_source_name", "driver_stats_source");
                  return () -> ctx.action(carol, VALIDATE, id.getBytes(UTF_8));
                })
            .then(
                ctx ->
                    assertThat(
                            new String(
                                ctx.action(alice, VALIDATE, ctx.ids.get(0).getBytes(UTF_8)), UTF_8))
                        .contains("\"valid\":true")),
        refused(
                "persist: body is not JSON",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> () -> ctx.action(alice, "persist", "{\"command\": ".getBytes(UTF_8)))
            .contains(
                "the body must be a JSON object with the keys [command, destination, allow_overwrite]"),
        refused(
                "persist: empty body",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> () -> ctx.action(alice, "persist", new byte[0]))
            .contains("action 'persist'"),
        refused(
                "persist: body is JSON null",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> () -> ctx.action(alice, "persist", "null".getBytes(UTF_8)))
            .contains("persist"),
        refused(
                "persist: a JSON array",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> () -> ctx.action(alice, "persist", "[1, 2]".getBytes(UTF_8)))
            .contains("action 'persist'"),
        refused(
                "persist: an unknown key",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.pullCommand(alice);
                  String body =
                      "{\"command\": \""
                          + id
                          + "\", \"destination\": \"x\", \"allow_overwrite\": false,"
                          + " \"path\": \"/tmp/x\"}";
                  return () -> ctx.action(alice, "persist", body.getBytes(UTF_8));
                })
            .contains("\"path\""),
        refused(
                "persist: a body without its keys",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> () -> ctx.action(alice, "persist", "{}".getBytes(UTF_8)))
            .contains("'command'"),
        refused(
                "persist: an unknown key's message names no server class",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  String body =
                      "{\"command\": \""
                          + id
                          + "\", \"destination\": \"x\", \"allow_overwrite\": false, \"rows\": 1}";
                  return () -> ctx.action(alice, "persist", body.getBytes(UTF_8));
                })
            .contains("\"rows\"")
            .notContaining("dev.flightdeck"),
        refused(
                "persist: a missing key's message names no Jackson setting",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> () -> ctx.action(alice, "persist", "{}".getBytes(UTF_8)))
            .contains("'command'")
            .notContaining("DeserializationFeature"),
        refused(
                "persist: allow_overwrite not a bool",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.pullCommand(alice);
                  String body =
                      "{\"command\": \""
                          + id
                          + "\", \"destination\": \"x\", \"allow_overwrite\": \"maybe\"}";
                  return () -> ctx.action(alice, "persist", body.getBytes(UTF_8));
                })
            .contains("action 'persist'"),
        refused(
                "persist: command is not a UUID",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx -> () -> ctx.action(alice, "persist", persistBody("latest", "x", false)))
            .contains("'latest' is not a UUID"),
        refused(
                "persist: command null",
                INVALID_ARGUMENT,
                ErrorCode.MALFORMED_COMMAND,
                ctx ->
                    () ->
                        ctx.action(
                            alice,
                            "persist",
                            "{\"command\": null, \"destination\": \"x\", \"allow_overwrite\": false}"
                                .getBytes(UTF_8)))
            .contains("command id is missing"),
        refused(
                "persist: destination null",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.pullCommand(alice);
                  String body =
                      "{\"command\": \""
                          + id
                          + "\", \"destination\": null, \"allow_overwrite\": false}";
                  return () -> ctx.action(alice, "persist", body.getBytes(UTF_8));
                })
            .contains("destination"),
        refused(
            "persist: an unknown command",
            NOT_FOUND,
            ErrorCode.UNKNOWN_COMMAND,
            ctx -> {
              String id = ctx.newId();
              return () -> ctx.action(alice, "persist", persistBody(id, "x", false));
            }),
        refused(
                "persist: another principal's command",
                NOT_FOUND,
                ErrorCode.UNKNOWN_COMMAND,
                ctx -> {
                  String id = ctx.histCommand(alice);
                  return () -> ctx.action(carol, "persist", persistBody(id, "carols", false));
                })
            .then(
                ctx -> {
                  assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L);
                  assertThat(repository.resolve("output/carols.parquet")).doesNotExist();
                }),
        refused(
                "persist: a command of an api that returns no data",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, VALIDATE, "data_source_name", "driver_stats_source");
                  return () -> ctx.action(alice, "persist", persistBody(id, "x", false));
                })
            .contains("is for 'validate_data_source'"),
        persistTo("../outside", "'../outside' must be a plain name")
            .then(
                ctx -> {
                  assertThat(repository.resolve("outside.parquet")).doesNotExist();
                  assertThat(repository.resolve("../outside.parquet")).doesNotExist();
                }),
        persistTo("/tmp/flightdeck-badinput", "must be a plain name")
            .then(ctx -> assertThat(Path.of("/tmp/flightdeck-badinput.parquet")).doesNotExist()),
        persistTo("sub/dir", "must be a plain name"),
        persistTo("", "must be a plain name"),
        persistTo(".hidden", "not starting with '.'"),
        persistTo("n".repeat(201), "must be a plain name"),
        refused(
                "persist: an existing destination without allow_overwrite",
                ALREADY_EXISTS,
                ErrorCode.DESTINATION_EXISTS,
                ctx -> {
                  String first = ctx.pullCommand(alice);
                  ctx.action(alice, "persist", persistBody(first, "badinput_exists", true));
                  String second = ctx.pullCommand(alice);
                  return () ->
                      ctx.action(alice, "persist", persistBody(second, "badinput_exists", false));
                })
            .contains("'badinput_exists' already exists")
            .contains("allow_overwrite"));
  }

  // ---------------------------------------------------------------------------------------------
  // offline_write_batch and write_logged_features: tables that do not match, names unknown.

  private static List<Case> writeCases() {
    return List.of(
        writeBatch(
                "unknown feature view",
                NOT_FOUND,
                ErrorCode.UNKNOWN_FEATURE_VIEW,
                "nope_view",
                ctx -> ctx.customerRow(false))
            .contains("'nope_view'"),
        writeBatch(
                "a column missing",
                INVALID_ARGUMENT,
                ErrorCode.SCHEMA_MISMATCH,
                "customer_profile",
                ctx ->
                    TestTable.with(clientAllocator)
                        .int64("customer_id")
                        .timestamp("event_timestamp")
                        .float32("current_balance")
                        .float32("avg_passenger_count")
                        .row(299L, at("2024-01-04T00:00:00Z"), 1.5f, 2.5f)
                        .build())
            .contains("lifetime_trip_count"),
        writeBatch(
                "an extra column",
                INVALID_ARGUMENT,
                ErrorCode.SCHEMA_MISMATCH,
                "customer_profile",
                ctx -> ctx.customerRow(true))
            .contains("unexpected column 'comment'"),
        writeBatch(
                "a column of the wrong type",
                INVALID_ARGUMENT,
                ErrorCode.SCHEMA_MISMATCH,
                "driver_hourly_stats",
                ctx ->
                    TestTable.with(clientAllocator)
                        .int64("driver_id")
                        .timestamp("event_timestamp")
                        .timestamp("created")
                        .float32("conv_rate")
                        .float32("acc_rate")
                        .string("trips")
                        .row(
                            1001L,
                            at("2024-01-01T10:20:00Z"),
                            at("2024-01-01T10:20:00Z"),
                            0.5f,
                            0.5f,
                            "9999")
                        .build())
            .contains("trips"),
        refused(
                "action: offline_write_batch with feature_view as bool",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  ctx.put(
                      alice,
                      id,
                      WRITE,
                      "feature_view",
                      ParamTables.bool("feature_view", true, clientAllocator));
                  ctx.put(alice, id, WRITE, "table", ctx.customerRow(false));
                  return () -> ctx.action(alice, WRITE, id.getBytes(UTF_8));
                })
            .contains("one utf8 column named 'feature_view'"),
        refused(
                "put: dictionary-encoded table to write",
                INVALID_ARGUMENT,
                ErrorCode.INVALID_PARAMETER,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.putDictionaryEncoded(alice, id, WRITE, "table", "city");
                })
            .contains("dictionary-encoded"),
        refused(
                "action: write_logged_features for a service without logging",
                INVALID_ARGUMENT,
                ErrorCode.NOT_CONFIGURED,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, LOGS, "feature_service", "driver_rates");
                  ctx.put(alice, id, LOGS, "data", ctx.logRow());
                  return () -> ctx.action(alice, LOGS, id.getBytes(UTF_8));
                })
            .contains("driver_rates"),
        refused(
                "action: write_logged_features for an unknown service",
                NOT_FOUND,
                ErrorCode.UNKNOWN_FEATURE_SERVICE,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, LOGS, "feature_service", "nope_service");
                  ctx.put(alice, id, LOGS, "data", ctx.logRow());
                  return () -> ctx.action(alice, LOGS, id.getBytes(UTF_8));
                })
            .contains("'nope_service'"),
        refused(
                "action: write_logged_features without __log_timestamp",
                INVALID_ARGUMENT,
                ErrorCode.SCHEMA_MISMATCH,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, LOGS, "feature_service", "driver_activity");
                  ctx.put(
                      alice,
                      id,
                      LOGS,
                      "data",
                      TestTable.with(clientAllocator).int64("driver_id").row(1001L).build());
                  return () -> ctx.action(alice, LOGS, id.getBytes(UTF_8));
                })
            .contains("__log_timestamp"),
        refused(
                "action: write_logged_features with a feature column of the wrong type",
                INVALID_ARGUMENT,
                ErrorCode.SCHEMA_MISMATCH,
                ctx -> {
                  String id = ctx.newId();
                  ctx.putStrings(alice, id, LOGS, "feature_service", "driver_activity");
                  ctx.put(
                      alice,
                      id,
                      LOGS,
                      "data",
                      TestTable.with(clientAllocator)
                          .timestamp("__log_timestamp")
                          .string("driver_hourly_stats__conv_rate")
                          .row(at("2024-01-04T00:00:00Z"), "high")
                          .build());
                  return () -> ctx.action(alice, LOGS, id.getBytes(UTF_8));
                })
            .contains("driver_hourly_stats__conv_rate"));
  }

  // ---------------------------------------------------------------------------------------------
  // Bearer tokens and roles.

  private static List<Case> authCases() {
    return List.of(
        unauthenticated(
                "auth: describe without an authorization header",
                ctx -> {
                  FlightClient anonymous = ctx.client(null);
                  return () -> ctx.action(anonymous, "describe", new byte[0]);
                })
            .contains("needs a credential"),
        unauthenticated(
                "auth: put without an authorization header",
                ctx -> {
                  FlightClient anonymous = ctx.client(null);
                  String id = ctx.newId();
                  return () -> ctx.put(anonymous, id, HIST, "entity_df", ctx.entities());
                })
            .contains("needs a credential"),
        unauthenticated(
                "auth: do_get without an authorization header",
                ctx -> {
                  FlightClient anonymous = ctx.client(null);
                  String id = ctx.histCommand(alice);
                  return () -> ctx.drain(anonymous, id);
                })
            .then(ctx -> assertThat(ctx.trips(alice, ctx.ids.get(0))).isEqualTo(601L)),
        unauthenticated(
            "auth: list_actions without an authorization header",
            ctx -> {
              FlightClient anonymous = ctx.client(null);
              return () -> anonymous.listActions().forEach(type -> {});
            }),
        unauthenticated(
                "auth: Basic scheme",
                ctx -> {
                  FlightClient basic = ctx.client("Basic YWxpY2U6c2VjcmV0");
                  return () -> ctx.action(basic, "describe", new byte[0]);
                })
            .contains("must be 'Bearer <token>'")
            .notContaining("YWxpY2U6c2VjcmV0"),
        unauthenticated(
                "auth: a valid token without its scheme",
                ctx -> {
                  FlightClient bare = ctx.client(ALICE_TOKEN);
                  return () -> ctx.action(bare, "describe", new byte[0]);
                })
            .contains("must be 'Bearer <token>'"),
        unauthenticated(
                "auth: an unknown token on get_flight_info",
                ctx -> {
                  FlightClient stranger = ctx.client("Bearer not-a-token-we-know");
                  String id = ctx.histCommand(alice);
                  return () -> stranger.getInfo(CommandIds.descriptor(id));
                })
            .contains("not one this server accepts")
            .notContaining("not-a-token-we-know"),
        unauthenticated(
            "auth: an empty bearer token",
            ctx -> {
              FlightClient empty = ctx.client("Bearer ");
              return () -> ctx.action(empty, "describe", new byte[0]);
            }),
        refused(
            "auth: an UNAUTHENTICATED refusal carries flightdeck-error-code",
            UNAUTHENTICATED,
            ErrorCode.UNAUTHENTICATED,
            ctx -> {
              FlightClient stranger = ctx.client("Bearer guessed");
              return () -> ctx.action(stranger, "describe", new byte[0]);
            }),
        refused(
                "auth: a principal without roles reads",
                UNAUTHORIZED,
                ErrorCode.PERMISSION_DENIED,
                ctx -> () -> ctx.action(dave, "describe", new byte[0]))
            .contains("principal 'dave' may not describe: that needs role 'read'"),
        refused(
                "auth: a reader puts a table to write",
                UNAUTHORIZED,
                ErrorCode.PERMISSION_DENIED,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.put(bob, id, WRITE, "table", ctx.customerRow(false));
                })
            .contains("principal 'bob' may not offline_write_batch: that needs role 'write'"),
        refused(
                "auth: a reader runs offline_write_batch",
                UNAUTHORIZED,
                ErrorCode.PERMISSION_DENIED,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.action(bob, WRITE, id.getBytes(UTF_8));
                })
            .contains("needs role 'write'"),
        refused(
                "auth: a reader puts logs",
                UNAUTHORIZED,
                ErrorCode.PERMISSION_DENIED,
                ctx -> {
                  String id = ctx.newId();
                  return () -> ctx.putStrings(bob, id, LOGS, "feature_service", "driver_activity");
                })
            .contains("may not write_logged_features"),
        refused(
                "auth: a reader persists its own command",
                UNAUTHORIZED,
                ErrorCode.PERMISSION_DENIED,
                ctx -> {
                  String id = ctx.pullCommand(bob);
                  return () -> ctx.action(bob, "persist", persistBody(id, "bobs", false));
                })
            .contains("principal 'bob' may not persist")
            .then(
                ctx -> {
                  assertThat(ctx.drain(bob, ctx.ids.get(0))).as("still pending").isEqualTo(5);
                  assertThat(repository.resolve("output/bobs.parquet")).doesNotExist();
                }));
  }

  // ---------------------------------------------------------------------------------------------
  // Case shapes.

  private static final FlightStatusCode INVALID_ARGUMENT = FlightStatusCode.INVALID_ARGUMENT;
  private static final FlightStatusCode NOT_FOUND = FlightStatusCode.NOT_FOUND;
  private static final FlightStatusCode ALREADY_EXISTS = FlightStatusCode.ALREADY_EXISTS;
  private static final FlightStatusCode RESOURCE_EXHAUSTED = FlightStatusCode.RESOURCE_EXHAUSTED;
  private static final FlightStatusCode UNAUTHENTICATED = FlightStatusCode.UNAUTHENTICATED;
  private static final FlightStatusCode UNAUTHORIZED = FlightStatusCode.UNAUTHORIZED;

  /** A retrieval of driver 1001 whose features param is {@code features}; do_get refuses it. */
  private static Case histWith(
      String name, FlightStatusCode status, ErrorCode code, Table features) {
    return refused(
        "do_get: " + name,
        status,
        code,
        ctx -> {
          String id = ctx.newId();
          ctx.put(alice, id, HIST, "entity_df", ctx.entities());
          ctx.put(alice, id, HIST, "features", features.make(ctx));
          return () -> ctx.drain(alice, id);
        });
  }

  /** A retrieval of avg_daily_trips for the entity table {@code entities}; do_get refuses it. */
  private static Case entityDf(String name, ErrorCode code, Table entities) {
    return refused(
        "entity_df: " + name,
        INVALID_ARGUMENT,
        code,
        ctx -> {
          String id = ctx.newId();
          ctx.put(alice, id, HIST, "entity_df", entities.make(ctx));
          ctx.putStrings(alice, id, HIST, "features", TRIPS);
          return () -> ctx.drain(alice, id);
        });
  }

  /** A pull_latest whose {@code param} is {@code value}, the others correct; do_get refuses it. */
  private static Case pullWith(
      String name, FlightStatusCode status, ErrorCode code, String param, Table value) {
    return refused(
        "pull_latest: " + name,
        status,
        code,
        ctx -> {
          String id = ctx.pullCommand(alice, param);
          ctx.put(alice, id, PULL, param, value.make(ctx));
          return () -> ctx.drain(alice, id);
        });
  }

  private static Case persistTo(String destination, String message) {
    return refused(
            "persist: destination '"
                + (destination.length() > 40 ? destination.substring(0, 40) + "…" : destination)
                + "'",
            INVALID_ARGUMENT,
            ErrorCode.INVALID_PARAMETER,
            ctx -> {
              String id = ctx.pullCommand(alice);
              return () -> ctx.action(alice, "persist", persistBody(id, destination, false));
            })
        .contains(message);
  }

  private static Case writeBatch(
      String name, FlightStatusCode status, ErrorCode code, String view, Table table) {
    return refused(
        "offline_write_batch: " + name,
        status,
        code,
        ctx -> {
          String id = ctx.newId();
          ctx.putStrings(alice, id, WRITE, "feature_view", view);
          ctx.put(alice, id, WRITE, "table", table.make(ctx));
          return () -> ctx.action(alice, WRITE, id.getBytes(UTF_8));
        });
  }

  /** An UNAUTHENTICATED refusal, coded like every other. */
  private static Case unauthenticated(String name, Step step) {
    return refused(name, UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED, step);
  }

  private static Case refused(String name, FlightStatusCode status, ErrorCode code, Step step) {
    return new Case(name, step, status, code);
  }

  private static Case served(String name, Step step) {
    return new Case(name, step, null, null);
  }

  /** Sets up what a case needs, then returns the one bad call. */
  @FunctionalInterface
  private interface Step {
    Call prepare(Ctx ctx) throws Exception;
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Exception;
  }

  @FunctionalInterface
  private interface After {
    void check(Ctx ctx) throws Exception;
  }

  /** A table made for a case; the case owns it. */
  @FunctionalInterface
  private interface Table {
    VectorSchemaRoot make(Ctx ctx);
  }

  static final class Case {
    final String name;
    final Step step;
    final FlightStatusCode status;
    final ErrorCode code;
    final List<String> contains = new ArrayList<>();
    final List<String> absent = new ArrayList<>();
    After after;

    private Case(String name, Step step, FlightStatusCode status, ErrorCode code) {
      this.name = name;
      this.step = step;
      this.status = status;
      this.code = code;
    }

    /** The status description must contain {@code text} (the offending value, say). */
    Case contains(String text) {
      contains.add(text);
      return this;
    }

    Case notContaining(String text) {
      absent.add(text);
      return this;
    }

    /** Checks after the refusal, e.g. that the owner's command is untouched. */
    Case then(After check) {
      after = check;
      return this;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static void assertRefused(Case c, Throwable thrown) {
    assertThat(thrown)
        .as("%s: expected %s/%s", c.name, c.status, c.code)
        .isInstanceOf(FlightRuntimeException.class);
    FlightRuntimeException error = (FlightRuntimeException) thrown;
    CallStatus status = error.status();
    String description = status.description() == null ? "" : status.description();
    String observedCode =
        FlightErrors.fromServer(error)
            ? status.metadata().get(FlightErrors.ERROR_CODE_KEY)
            : "<no flightdeck-error-code>";
    String shown =
        c.name + " => " + status.code() + " " + observedCode + ": " + abbreviate(description);
    if (PRINT) {
      System.out.println("OBSERVED " + shown);
    }
    assertThat(status.code()).as(shown).isEqualTo(c.status);
    assertThat(FlightErrors.fromServer(error)).as("coded: %s", shown).isTrue();
    assertThat(FlightErrors.fromFlight(error).code()).as(shown).isEqualTo(c.code);
    for (String text : c.contains) {
      assertThat(description).as(shown).contains(text);
    }
    for (String text : c.absent) {
      assertThat(description).as(shown).doesNotContain(text);
    }
    // No internal detail: no paths of the server, no stack traces, no tokens; a bounded size.
    assertThat(description.length()).as(shown).isLessThanOrEqualTo(MAX_DESCRIPTION);
    assertThat(description)
        .as(shown)
        .doesNotContain(work.toString())
        .doesNotContain(repository.toAbsolutePath().toString())
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain(ALICE_TOKEN, BOB_TOKEN, CAROL_TOKEN, DAVE_TOKEN);
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  // ---------------------------------------------------------------------------------------------
  // The correct request after each case, and memory.

  /** Driver 1001's avg_daily_trips at 2024-01-01T10:30Z over the raw wire: 601. */
  private static long tripsOfDriver1001() throws Exception {
    try (Ctx ctx = new Ctx()) {
      String id = ctx.histCommand(alice);
      return ctx.trips(alice, id);
    }
  }

  /** The server frees a call's memory when the call ends, which may be just after the client's. */
  private static void awaitServerMemoryAtMost(long bytes, String caseName)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (serverAllocator.getAllocatedMemory() > bytes && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(serverAllocator.getAllocatedMemory())
        .as("server memory after '%s'", caseName)
        .isLessThanOrEqualTo(bytes);
  }

  private static String entry(String principal, String token, String roles) {
    return "  - {principal: "
        + principal
        + ", sha256: "
        + TokenFile.sha256Hex(token)
        + ", roles: "
        + roles
        + "}\n";
  }

  private static Map<String, String> header(String command, String api, String param) {
    return Map.of("command", command, "api", api, "param", param);
  }

  private static byte[] persistBody(String command, String destination, boolean overwrite) {
    return ("{\"command\": \""
            + command
            + "\", \"destination\": \""
            + destination
            + "\", \"allow_overwrite\": "
            + overwrite
            + "}")
        .getBytes(UTF_8);
  }

  /** A raw client sending {@code authorization: <value>}, or no such header when null. */
  private static FlightClient client(String authorization) {
    FlightClient.Builder builder =
        FlightClient.builder(clientAllocator, Location.forGrpcInsecure("localhost", server.port()));
    if (authorization != null) {
      builder.intercept(
          info ->
              new FlightClientMiddleware() {
                @Override
                public void onBeforeSendingHeaders(CallHeaders outgoing) {
                  outgoing.insert("authorization", authorization);
                }

                @Override
                public void onHeadersReceived(CallHeaders incoming) {}

                @Override
                public void onCallCompleted(CallStatus status) {}
              });
    }
    FlightClient client = builder.build();
    clients.add(client);
    return client;
  }

  /**
   * What one case made: its command ids (cancelled afterwards by every principal that may own them,
   * so no case leaves pending commands to the next), its tables and extra clients.
   */
  private static final class Ctx implements AutoCloseable {
    final List<String> ids = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    String newId() {
      String id = CommandIds.newId();
      ids.add(id);
      return id;
    }

    VectorSchemaRoot own(VectorSchemaRoot table) {
      if (owned.stream().noneMatch(o -> o == table)) {
        owned.add(table);
      }
      return table;
    }

    /** A client of its own (closed with the case), sending this authorization header. */
    FlightClient client(String authorization) {
      FlightClient client = BadInputIT.client(authorization);
      clients.remove(client);
      owned.add(client);
      return client;
    }

    void put(FlightClient client, String id, String api, String param, VectorSchemaRoot table) {
      own(table);
      new RawPuts(client, clientAllocator).put(id, api, param, table);
    }

    void putStrings(FlightClient client, String id, String api, String param, String... values) {
      put(client, id, api, param, strings(param, values));
    }

    VectorSchemaRoot strings(String column, String... values) {
      return own(ParamTables.strings(column, List.of(values), clientAllocator));
    }

    VectorSchemaRoot instant(String column, String date) {
      return own(
          ParamTables.timestamp(column, Instant.parse(date + "T00:00:00Z"), clientAllocator));
    }

    /** A put with any descriptor and schema metadata, which RawPuts would not send. */
    void putRaw(
        FlightClient client,
        FlightDescriptor descriptor,
        Map<String, String> metadata,
        VectorSchemaRoot table) {
      own(table);
      Schema tagged = new Schema(table.getSchema().getFields(), metadata);
      try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(tagged, clientAllocator);
          ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
        FlightClient.ClientStreamListener listener =
            client.startPut(descriptor, outgoing, new AsyncPutListener());
        new VectorLoader(outgoing).load(batch);
        listener.putNext();
        listener.completed();
        listener.getResult();
      }
    }

    /** A put of a schema and no batch at all: the param is an empty table. */
    void putSchemaOnly(FlightClient client, String id, String api, String param, Schema schema) {
      Schema tagged = new Schema(schema.getFields(), header(id, api, param));
      try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(tagged, clientAllocator)) {
        FlightClient.ClientStreamListener listener =
            client.startPut(CommandIds.descriptor(id), outgoing, new AsyncPutListener());
        listener.completed();
        listener.getResult();
      }
    }

    /** A put of one dictionary-encoded utf8 column named {@code column}. */
    void putDictionaryEncoded(
        FlightClient client, String id, String api, String param, String column) {
      try (VarCharVector values = new VarCharVector(column, clientAllocator);
          VarCharVector plain = new VarCharVector(column, clientAllocator)) {
        values.allocateNew();
        values.setSafe(0, TRIPS.getBytes(UTF_8));
        values.setValueCount(1);
        plain.allocateNew();
        plain.setSafe(0, TRIPS.getBytes(UTF_8));
        plain.setSafe(1, TRIPS.getBytes(UTF_8));
        plain.setValueCount(2);
        Dictionary dictionary =
            new Dictionary(values, new DictionaryEncoding(1L, false, new ArrowType.Int(32, true)));
        DictionaryProvider.MapDictionaryProvider provider =
            new DictionaryProvider.MapDictionaryProvider(dictionary);
        try (FieldVector encoded = (FieldVector) DictionaryEncoder.encode(plain, dictionary);
            VectorSchemaRoot table = VectorSchemaRoot.of(encoded)) {
          Schema schema = new Schema(table.getSchema().getFields(), header(id, api, param));
          try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(schema, clientAllocator);
              ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
            FlightClient.ClientStreamListener listener =
                client.startPut(
                    CommandIds.descriptor(id), outgoing, provider, new AsyncPutListener());
            new VectorLoader(outgoing).load(batch);
            listener.putNext();
            listener.completed();
            listener.getResult();
          }
        }
      }
    }

    /** Driver 1001 at 2024-01-01T10:30Z. */
    VectorSchemaRoot entities() {
      return own(
          TestTable.with(clientAllocator)
              .int64("driver_id")
              .timestamp("event_timestamp")
              .row(1001L, at("2024-01-01T10:30:00Z"))
              .build());
    }

    VectorSchemaRoot manyEntities(int rows) {
      TestTable table =
          TestTable.with(clientAllocator).int64("driver_id").timestamp("event_timestamp");
      for (int i = 0; i < rows; i++) {
        table.row(1001L, at("2024-01-01T10:30:00Z"));
      }
      return table.build();
    }

    /** Driver 1001 at a raw event timestamp value of {@code unit}. */
    VectorSchemaRoot entitiesAtRaw(TimeUnit unit, long raw) {
      VectorSchemaRoot table =
          own(
              VectorSchemaRoot.create(
                  new Schema(
                      List.of(
                          Field.nullable("driver_id", new ArrowType.Int(64, true)),
                          Field.nullable("event_timestamp", new ArrowType.Timestamp(unit, "UTC")))),
                  clientAllocator));
      table.allocateNew();
      ((BigIntVector) table.getVector(0)).setSafe(0, 1001L);
      ((TimeStampVector) table.getVector(1)).setSafe(0, raw);
      table.setRowCount(1);
      return table;
    }

    /** One timestamp of {@code unit} with a raw value, as a scalar param. */
    VectorSchemaRoot rawTimestamps(String column, TimeUnit unit, long raw) {
      VectorSchemaRoot table =
          own(
              VectorSchemaRoot.create(
                  new Schema(List.of(Field.nullable(column, new ArrowType.Timestamp(unit, "UTC")))),
                  clientAllocator));
      table.allocateNew();
      ((TimeStampVector) table.getVector(0)).setSafe(0, raw);
      table.setRowCount(1);
      return table;
    }

    /** Driver 1001 at 10:30 with an extra list<int64> column {@code tags}. */
    VectorSchemaRoot entitiesWithListColumn() {
      Field tags =
          new Field(
              "tags",
              FieldType.nullable(new ArrowType.List()),
              List.of(Field.nullable("item", new ArrowType.Int(64, true))));
      VectorSchemaRoot table =
          own(
              VectorSchemaRoot.create(
                  new Schema(
                      List.of(
                          Field.nullable("driver_id", new ArrowType.Int(64, true)),
                          Field.nullable(
                              "event_timestamp",
                              new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                          tags)),
                  clientAllocator));
      table.allocateNew();
      ((BigIntVector) table.getVector(0)).setSafe(0, 1001L);
      ((TimeStampVector) table.getVector(1))
          .setSafe(0, Timestamps.toMicros(at("2024-01-01T10:30:00Z")));
      UnionListWriter writer = ((ListVector) table.getVector(2)).getWriter();
      writer.setPosition(0);
      writer.startList();
      writer.bigInt().writeBigInt(7L);
      writer.bigInt().writeBigInt(8L);
      writer.endList();
      writer.setValueCount(1);
      table.setRowCount(1);
      return table;
    }

    /** Driver 1001 at 10:30 with an extra struct<a: int64> column {@code detail}. */
    VectorSchemaRoot entitiesWithStructColumn() {
      Field detail =
          new Field(
              "detail",
              FieldType.nullable(ArrowType.Struct.INSTANCE),
              List.of(Field.nullable("a", new ArrowType.Int(64, true))));
      VectorSchemaRoot table =
          own(
              VectorSchemaRoot.create(
                  new Schema(
                      List.of(
                          Field.nullable("driver_id", new ArrowType.Int(64, true)),
                          Field.nullable(
                              "event_timestamp",
                              new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                          detail)),
                  clientAllocator));
      table.allocateNew();
      ((BigIntVector) table.getVector(0)).setSafe(0, 1001L);
      ((TimeStampVector) table.getVector(1))
          .setSafe(0, Timestamps.toMicros(at("2024-01-01T10:30:00Z")));
      StructVector struct = (StructVector) table.getVector(2);
      ((BigIntVector) struct.getChild("a")).setSafe(0, 5L);
      struct.setIndexDefined(0);
      table.setRowCount(1);
      return table;
    }

    /** One row for customer_profile's source; with an extra column when {@code extra}. */
    VectorSchemaRoot customerRow(boolean extra) {
      TestTable table =
          TestTable.with(clientAllocator)
              .int64("customer_id")
              .timestamp("event_timestamp")
              .float32("current_balance")
              .float32("avg_passenger_count")
              .int64("lifetime_trip_count");
      if (extra) {
        table.string("comment").row(299L, at("2024-01-04T00:00:00Z"), 1.5f, 2.5f, 3L, "extra");
      } else {
        table.row(299L, at("2024-01-04T00:00:00Z"), 1.5f, 2.5f, 3L);
      }
      return own(table.build());
    }

    VectorSchemaRoot logRow() {
      return own(
          TestTable.with(clientAllocator)
              .timestamp("__log_timestamp")
              .int64("driver_id")
              .float32("driver_hourly_stats__conv_rate")
              .row(at("2024-01-04T00:00:00Z"), 1001L, 0.5f)
              .build());
    }

    /** A pending retrieval of driver 1001's avg_daily_trips at 10:30 (601 in the example). */
    String histCommand(FlightClient client) {
      String id = newId();
      put(client, id, HIST, "entity_df", entities());
      putStrings(client, id, HIST, "features", TRIPS);
      return id;
    }

    /** A pending pull_latest of hour 0 for the five drivers, without the params {@code skip}. */
    String pullCommand(FlightClient client, String... skip) {
      String id = newId();
      List<String> skipped = List.of(skip);
      Map<String, VectorSchemaRoot> params = new HashMap<>();
      params.put("data_source_name", strings("data_source_name", "driver_stats_source"));
      params.put("join_key_columns", strings("join_key_columns", "driver_id"));
      params.put("feature_name_columns", strings("feature_name_columns", "conv_rate"));
      params.put("timestamp_field", strings("timestamp_field", "event_timestamp"));
      params.put(
          "start_date",
          own(ParamTables.timestamp("start_date", at("2024-01-01T00:00:00Z"), clientAllocator)));
      params.put(
          "end_date",
          own(ParamTables.timestamp("end_date", at("2024-01-01T00:30:00Z"), clientAllocator)));
      params.forEach(
          (param, table) -> {
            if (!skipped.contains(param)) {
              put(client, id, PULL, param, table);
            }
          });
      return id;
    }

    /** do_get of the command; the rows streamed. */
    long drain(FlightClient client, String id) throws Exception {
      return drain(client, new Ticket(id.getBytes(UTF_8)));
    }

    long drain(FlightClient client, Ticket ticket) throws Exception {
      long rows = 0;
      try (FlightStream stream = client.getStream(ticket)) {
        while (stream.next()) {
          rows += stream.getRoot().getRowCount();
        }
      }
      return rows;
    }

    /** do_get of the command; the values of one column of the result. */
    List<Object> column(FlightClient client, String id, String column) throws Exception {
      List<Object> values = new ArrayList<>();
      try (FlightStream stream = client.getStream(new Ticket(id.getBytes(UTF_8)))) {
        while (stream.next()) {
          FieldVector vector = stream.getRoot().getVector(column);
          for (int row = 0; row < stream.getRoot().getRowCount(); row++) {
            values.add(vector.getObject(row));
          }
        }
      }
      return values;
    }

    /** do_get of a command made by {@link #histCommand}: the one row's avg_daily_trips. */
    long trips(FlightClient client, String id) throws Exception {
      List<Object> trips = column(client, id, "avg_daily_trips");
      assertThat(trips).hasSize(1);
      return (Long) trips.get(0);
    }

    byte[] action(FlightClient client, String type, byte[] body) {
      Iterator<Result> results = client.doAction(new Action(type, body));
      byte[] answer = results.next().getBody();
      while (results.hasNext()) {
        results.next();
      }
      return answer;
    }

    @Override
    public void close() throws Exception {
      for (String id : ids) {
        for (FlightClient owner : List.of(alice, bob, carol)) {
          try {
            action(owner, "cancel", id.getBytes(UTF_8));
          } catch (FlightRuntimeException e) {
            // not pending, or not this principal's: nothing to free
          }
        }
      }
      List<AutoCloseable> reversed = new ArrayList<>(owned);
      Collections.reverse(reversed);
      for (AutoCloseable closeable : reversed) {
        closeable.close();
      }
    }
  }
}
