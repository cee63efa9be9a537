package org.civicsync.core.store;

/** The two systems a link joins; journal entries and echo records name the side they concern. */
public enum Side {
  OPEN311,
  CRM
}
