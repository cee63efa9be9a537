-- Serve mode: the reports GET requests lists, by requested_datetime. One row per served link,
-- written with the link (POST requests) or when a CRM-originated case is first read from the CRM's
-- change feed. The payload is the public part of the report (never contact details); status and
-- the CRM id come from the link, so they are current. V2 is taken by another change (perf).

CREATE TABLE served_request (
  link_id         BIGINT PRIMARY KEY,
  jurisdiction    VARCHAR(200) NOT NULL,
  requested_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  service_code    VARCHAR(200),
  non_public      BOOLEAN NOT NULL,
  crm_originated  BOOLEAN NOT NULL,
  payload         VARCHAR NOT NULL
);
-- Serves GET requests by window: a range scan in (requested, link) order.
CREATE INDEX served_request_window_ix ON served_request (jurisdiction, requested_at, link_id);
