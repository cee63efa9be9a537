/**
 * The JDBC tables adapter: {@link org.civicsync.crm.jdbc.JdbcCrm}, made from configuration type
 * {@code jdbc} by {@link org.civicsync.crm.jdbc.JdbcProvider}. A CRM's own case and note tables
 * (or updatable views), named by configuration and checked against a strict pattern; prepared
 * statements only; a keyset feed on (modified, id).
 */
package org.civicsync.crm.jdbc;
