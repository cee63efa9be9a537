/**
 * The Open311 pass-through adapter: {@link org.civicsync.crm.open311.Open311Crm}, made from
 * configuration type {@code open311} by {@link org.civicsync.crm.open311.Open311Provider}. A
 * back office that itself speaks GeoReport v2, with or without mySociety's update extension,
 * reached through {@link org.civicsync.open311.client.Open311Client}.
 */
package org.civicsync.crm.open311;
