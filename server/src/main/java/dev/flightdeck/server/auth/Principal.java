package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

/** Who makes a call, and the roles they hold. */
public record Principal(String name, Set<Role> roles) {
  /** Every caller of a server without authentication: it may do everything, as before. */
  public static final Principal ANONYMOUS = new Principal("anonymous", EnumSet.allOf(Role.class));

  public Principal {
    requireNonNull(name, "name is null");
    roles = Set.copyOf(roles);
  }

  public boolean may(Role role) {
    return roles.contains(role);
  }
}
