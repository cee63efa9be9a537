-- How many identity values a database hands out from memory before it records the sequence again.
-- On H2 recording a sequence is a store of its own: with WRITE_DELAY=0 every 32nd insert (H2's
-- default cache) wrote a whole MVStore chunk inside the inserting transaction, a quarter of the
-- serve-mode drainer's time. ${identity_cache} is 1000 on H2 (a crash leaves a gap of at most that,
-- which nothing here minds) and 1, PostgreSQL's default, on PostgreSQL.
ALTER TABLE link ALTER COLUMN id SET CACHE ${identity_cache};
ALTER TABLE journal ALTER COLUMN seq SET CACHE ${identity_cache};
ALTER TABLE outbox ALTER COLUMN id SET CACHE ${identity_cache};
ALTER TABLE receipt ALTER COLUMN id SET CACHE ${identity_cache};
