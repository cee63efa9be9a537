/**
 * The CRM adapter SPI: what a vendor implements to connect a CRM to CivicSync.
 *
 * <h2>What to implement</h2>
 *
 * <p>A {@link org.civicsync.core.spi.CrmAdapter} with a stable {@code name()}, plus the
 * capabilities your CRM supports. A read-only CRM implements fewer:
 *
 * <ul>
 *   <li>{@link org.civicsync.core.spi.CaseCreation} — create a case from a citizen's report,
 *       keyed by an idempotency key (use an upsert on an external id field when the CRM has one);
 *   <li>{@link org.civicsync.core.spi.CaseLookup} — find a case by the external reference it was
 *       created with. Required with {@code CaseCreation}: it is how the engine settles a create
 *       whose answer was lost, instead of creating twice;
 *   <li>{@link org.civicsync.core.spi.ChangeFeed} — list case and note changes after an opaque
 *       {@link org.civicsync.core.spi.ChangeCursor}, keyset-paged on (modified, id);
 *   <li>{@link org.civicsync.core.spi.CaseUpdates} — apply a note, status change or close,
 *       once per update id;
 *   <li>{@link org.civicsync.core.spi.ServiceCatalogue} — describe the CRM's case types.
 * </ul>
 *
 * <p>Then a {@link org.civicsync.core.spi.CrmAdapterProvider} that builds the adapter from its
 * configuration map, listed in
 * {@code META-INF/services/org.civicsync.core.spi.CrmAdapterProvider}. The
 * {@link org.civicsync.core.spi.CrmAdapterRegistry} finds it by its type name.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>No sleeping, retrying or remembering.</b> Make one attempt per call. Turn every failure
 *       into a {@link org.civicsync.core.spi.CrmException} of the right
 *       {@link org.civicsync.core.spi.CrmException.Kind}: {@code TRANSIENT} for IO errors, 408, 429
 *       (with its Retry-After) and 5xx; {@code PERMANENT} for other 4xx; {@code AUTHENTICATION};
 *       {@code NOT_FOUND}; and {@code OUTCOME_UNKNOWN} whenever a write was sent and no answer
 *       came back (read timeout, connection reset after sending). When unsure whether a write
 *       was applied, say {@code OUTCOME_UNKNOWN}, never {@code TRANSIENT}: the engine retries a
 *       transient create blindly, and settles an unknown one by lookup first.
 *   <li><b>No personal data in errors or logs.</b> Name the system, the operation and the case
 *       id or external reference; never a citizen's name, contact details or words.
 *   <li><b>Cursors are yours.</b> Encode whatever your CRM needs into the cursor's string; the
 *       engine stores it verbatim and hands it back, across restarts and upgrades.
 *   <li><b>Versions grow.</b> Each {@link org.civicsync.core.spi.CrmCase#version()} is larger
 *       than the one before for the same case; the engine drops stale and repeated changes by it.
 *   <li><b>Times are instants.</b> If your CRM stores local times, convert with the CRM time zone
 *       from the jurisdiction's mapping.
 *   <li><b>Thread-safe.</b> The engine may call an adapter from several threads.
 * </ul>
 *
 * <p>{@link org.civicsync.core.crm.memory.InMemoryCrm} implements everything and is a working
 * example of the semantics.
 */
package org.civicsync.core.spi;
