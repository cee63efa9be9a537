/**
 * A CRM in memory, with full semantics, for tests and the demo: {@link
 * org.civicsync.core.crm.memory.InMemoryCrm}. Configuration type {@code memory}.
 */
package org.civicsync.core.crm.memory;
