-- Health and metrics count the archives not recorded on chain yet (status STORED) on every check and every
-- scrape, and the archiver lists them in order each pass. Without an index both read the whole table, which
-- grows by one row per archived bundle (about 1,000 leaves) for the life of the log; with it they read the
-- STORED rows only: the backlog, not the log.
CREATE INDEX IF NOT EXISTS ix_anchor_archive_status ON anchor_archive (status, from_size);
