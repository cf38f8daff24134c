package dev.flightdeck.server.feast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are what CPython 3.11's {@code json.dumps} printed for the same values. */
class TestPythonJson {
  @Test
  void writesAFeastCommandAsJsonDumpsDoes() {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("command_id", "8d6a366a-c8d3-4f96-b085-f9f686111815");
    command.put("api", "get_historical_features");
    command.put("feature_view_names", List.of("driver_hourly_stats", "customer_profile"));
    command.put("feature_refs", List.of("driver_stats:conv_rate", "customer_profile:tier"));
    command.put("project", "fixture");
    command.put("full_feature_names", true);
    command.put("name_aliases", Arrays.asList("driver_stats", null));
    command.put("start_date", "2024-01-01T08:00:00+00:00");
    assertThat(PythonJson.dumps(command))
        .isEqualTo(
            "{\"command_id\": \"8d6a366a-c8d3-4f96-b085-f9f686111815\", \"api\":"
                + " \"get_historical_features\", \"feature_view_names\": [\"driver_hourly_stats\","
                + " \"customer_profile\"], \"feature_refs\": [\"driver_stats:conv_rate\","
                + " \"customer_profile:tier\"], \"project\": \"fixture\", \"full_feature_names\":"
                + " true, \"name_aliases\": [\"driver_stats\", null], \"start_date\":"
                + " \"2024-01-01T08:00:00+00:00\"}");
  }

  @Test
  void escapesAsEnsureAsciiDoes() {
    assertThat(PythonJson.dumps(Map.of("message", "café \"q\" \\ \n\t\u0001\u007f 😀 }{")))
        .isEqualTo(
            "{\"message\": \"caf\\u00e9 \\\"q\\\" \\\\ \\n\\t\\u0001\\u007f \\ud83d\\ude00 }{\"}");
  }

  @Test
  void writesEmptyContainersAndNumbers() {
    assertThat(PythonJson.dumps(List.of())).isEqualTo("[]");
    assertThat(PythonJson.dumps(Map.of())).isEqualTo("{}");
    assertThat(PythonJson.dumps(List.of(1, 2L))).isEqualTo("[1, 2]");
  }
}
