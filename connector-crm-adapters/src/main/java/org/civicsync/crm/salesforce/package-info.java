/**
 * The Salesforce Service Cloud adapter: {@link org.civicsync.crm.salesforce.SalesforceCrm}, made
 * from configuration type {@code salesforce} by
 * {@link org.civicsync.crm.salesforce.SalesforceProvider}. OAuth 2.0 client credentials or JWT
 * bearer; {@code Case} through the REST API with an upsert on an External ID field; a SOQL
 * keyset feed on ({@code SystemModstamp}, {@code Id}); notes as {@code CaseComment}; the org's
 * {@code Sforce-Limit-Info} quota respected.
 */
package org.civicsync.crm.salesforce;
