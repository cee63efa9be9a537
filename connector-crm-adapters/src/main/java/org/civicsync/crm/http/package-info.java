/**
 * HTTP failure classification shared by this module's HTTP adapters ({@link
 * org.civicsync.crm.http.HttpFailure}). Not for vendors: shared by the adapters of this module
 * only, so that none has to import another.
 */
package org.civicsync.crm.http;
