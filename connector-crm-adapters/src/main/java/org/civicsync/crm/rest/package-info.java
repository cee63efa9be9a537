/**
 * A generic REST/JSON CRM adapter: an in-house CRM connected with no code, only configuration
 * (type {@code rest}). URL templates with URL-encoded placeholders, JSON body templates, RFC 6901
 * JSON Pointers for the fields of an answer, status codes, the paging style (next link, cursor,
 * offset, RFC 8288 Link header), the time format of the modified field and the auth style
 * (Basic, bearer, API key header, OAuth 2.0 client credentials) are all settings; see
 * {@link org.civicsync.crm.rest.RestProvider}. The adapter is {@link org.civicsync.crm.rest.RestCrm}.
 */
package org.civicsync.crm.rest;
