package org.civicsync.core.spi;

/**
 * The CRM's answer to {@link CaseUpdates#apply}.
 *
 * @param version the case's version after the update; the engine records it so the change that
 *     comes back through the feed is known as its own
 * @param alreadyApplied true when the CRM had this update id already and did nothing
 */
public record AppliedUpdate(long version, boolean alreadyApplied) {}
