package org.civicsync.core.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One configured CRM. By itself it only has a name; what it can do is the set of
 * {@link CrmCapability capabilities} it offers. The usual adapter implements them directly:
 *
 * <pre>{@code
 * final class AcmeCrm implements CrmAdapter, CaseCreation, CaseLookup, ChangeFeed { ... }
 * }</pre>
 *
 * <p>An adapter that assembles its capabilities from parts overrides {@link #capability(Class)}.
 * Either way the engine only ever asks {@code capability(...)}, never {@code instanceof}.
 *
 * <p>Adapters never sleep, retry, or store state between calls (cursors go back to the engine):
 * failures are {@link CrmException}s the engine acts on. Implementations must be safe to call
 * from several threads.
 */
public interface CrmAdapter extends AutoCloseable {

  /**
   * The name of this system in logs, errors and the state store: stable across restarts, e.g.
   * {@code bristol-salesforce}. Not personal data, not a secret.
   */
  String name();

  /**
   * This adapter's implementation of {@code type}, or empty when the CRM cannot do that.
   *
   * <p>The default answers {@code this} when this object implements {@code type}.
   */
  default <T extends CrmCapability> Optional<T> capability(Class<T> type) {
    Objects.requireNonNull(type, "type == null");
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }

  /** Releases connections. The default does nothing: an in-process adapter holds none. */
  @Override
  default void close() {}
}
