/**
 * The keyset change feed shared by this module's adapters: {@link
 * org.civicsync.crm.feed.KeysetPosition} and its cursor formats, and {@link
 * org.civicsync.crm.feed.ChangePages} for a page of fetched rows. Not for vendors: shared by the
 * adapters of this module only, so that none has to import another.
 */
package org.civicsync.crm.feed;
