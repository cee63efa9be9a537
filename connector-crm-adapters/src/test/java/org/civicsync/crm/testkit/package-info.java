/**
 * The adapter contract kit: {@link org.civicsync.crm.testkit.CrmAdapterContract}, an abstract
 * JUnit 5 class a CRM adapter's test extends to prove it keeps the SPI's promises. Published in
 * the {@code tests} jar of {@code connector-crm-adapters}:
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>org.civicsync</groupId>
 *   <artifactId>connector-crm-adapters</artifactId>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 */
package org.civicsync.crm.testkit;
