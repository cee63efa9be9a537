/**
 * The connector's YAML configuration, one class per concern. {@link
 * org.civicsync.examples.config.ConfigFile} is the entry point: it reports every error in a file
 * at once, each with its path and fix, and reads secrets only through {@code ${env:NAME}} or
 * {@code ${file:/path}} references, which the values' {@code toString} never reveals.
 */
package org.civicsync.examples.config;
