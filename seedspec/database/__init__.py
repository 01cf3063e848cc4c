"""The database: the only room that opens connections or runs SQL (sessions and transactions, table
definitions, the writer, bulk insert, COPY, deferred columns, hooks, locks, resets, what ``init`` reads)."""
