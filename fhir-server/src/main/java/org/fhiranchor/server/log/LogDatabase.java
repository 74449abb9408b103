package org.fhiranchor.server.log;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** JDBC access and transactions for the log and anchoring jobs. */
public record LogDatabase(JdbcTemplate jdbc, TransactionTemplate transactions) {}
