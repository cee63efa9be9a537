/**
 * The ServiceNow adapter: {@link org.civicsync.crm.servicenow.ServiceNowCrm}, made from
 * configuration type {@code servicenow} by {@link org.civicsync.crm.servicenow.ServiceNowProvider}.
 * Table API on {@code incident} or {@code sn_customerservice_case}; Basic or OAuth
 * ({@code /oauth_token.do}); {@code correlation_id} as the external reference; a
 * ({@code sys_updated_on}, {@code sys_id}) keyset change feed.
 */
package org.civicsync.crm.servicenow;
