/**
 * Declarative mapping between a jurisdiction's CRM and Open311: service codes and case types,
 * attributes and CRM fields, CRM status codes and canonical statuses (with {@code IGNORE}, a
 * warned default for unknown codes, and the raw code kept as {@code external_status_code}), which
 * statuses close the CRM case, and each side's time zone.
 *
 * <p>Entry point: {@link org.civicsync.core.mapping.Mapping}, built with its builder or read from
 * a parsed configuration tree with {@link org.civicsync.core.mapping.Mapping#fromTree}. Either
 * way it is checked whole before use, and a {@link org.civicsync.core.mapping.MappingException}
 * lists every error with its path.
 */
package org.civicsync.core.mapping;
