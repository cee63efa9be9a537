/**
 * The durable state of the sync engine: links between CRM cases and Open311 requests, the journal
 * of updates to serve or deliver, the outbox of remote calls, cursors, leases and the record of our
 * own writes (to drop echoes).
 *
 * <p>Open one with {@link org.civicsync.core.store.SyncStores}: an H2 file by default, PostgreSQL
 * when several nodes share the work. Both run the same schema (Flyway, {@code db/civicsync}) and
 * the same statements. Every call on a {@link org.civicsync.core.store.SyncStore} is its own
 * transaction and is durable when it returns, because the engine acknowledges to the outside world
 * only what the store has kept; {@link org.civicsync.core.store.SyncStore#inTransaction} groups
 * changes that must happen together. Times the store stamps come from an injected
 * {@link java.time.Clock}; all times are stored in UTC at microsecond precision.
 */
package org.civicsync.core.store;
