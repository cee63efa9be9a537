/**
 * Serve mode: the council's Open311 endpoint that FixMyStreet sends to. {@link
 * org.civicsync.open311.server.Open311Server} is the entry point, framework-neutral (bytes in,
 * bytes out); hosts mount it. Reports and updates go through the engine's store
 * ({@link org.civicsync.core.sync.ServeMode}): each answer is durable before it is sent.
 */
package org.civicsync.open311.server;
