package dev.flightdeck.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class TestOfflineStoreRegistry {
  private static OfflineStoreFactory named(String name) {
    return new OfflineStoreFactory() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public OfflineStore create(OfflineStoreContext context) {
        throw new AssertionError("not used");
      }
    };
  }

  @Test
  void findsExplicitlyRegisteredBackends() {
    OfflineStoreFactory a = named("a");
    OfflineStoreRegistry registry = OfflineStoreRegistry.of(a).with(named("b"));

    assertThat(registry.names()).containsExactly("a", "b");
    assertThat(registry.factory("a")).isSameAs(a);
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(
            () -> OfflineStoreRegistry.of(named("file"), named("jdbc")).factory("bigquery"))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_BACKEND))
        .hasMessage("unknown offline store type 'bigquery' (known: file, jdbc)");
  }

  @Test
  void duplicateNamesFailFast() {
    assertThatThrownBy(() -> OfflineStoreRegistry.of(named("file"), named("file")))
        .isInstanceOf(FlightdeckException.class)
        .hasMessageContaining("two backends are named 'file'");
  }

  @Test
  void discoveringNothingFailsFast() throws Exception {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertThatThrownBy(() -> OfflineStoreRegistry.discover(empty))
          .isInstanceOf(FlightdeckException.class)
          .hasMessageContaining("no offline store backend on the class path");
    }
  }
}
