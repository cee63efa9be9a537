/**
 * The Microsoft Dynamics 365 Customer Service adapter:
 * {@link org.civicsync.crm.dynamics.DynamicsCrm}, made from configuration type {@code dynamics}
 * by {@link org.civicsync.crm.dynamics.DynamicsProvider}. Entra ID client credentials;
 * {@code incident} through the Dataverse Web API with a create-only upsert on an alternate key;
 * a ({@code modifiedon}, {@code incidentid}) keyset feed paged with
 * {@code @odata.nextLink}; notes as {@code annotation}s; closing with {@code CloseIncident}.
 */
package org.civicsync.crm.dynamics;
