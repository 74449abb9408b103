package org.fhiranchor.anchor.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.chain.ConsentDecision;
import org.fhiranchor.anchor.chain.ConsentStatus;
import org.fhiranchor.anchor.chain.InMemoryLedger;
import org.junit.jupiter.api.Test;

class ConsentDecisionCheckTest {

    private static final String KEY = "11".repeat(32);

    private static String record(long version, String status) {
        // Members in any order and with whitespace: the hash is over the canonical form.
        return "{ \"format\": \"fhir-anchor-consent-decision/1\", \"version\": " + version + ", \"consentKey\": \""
                + KEY + "\", \"status\": \"" + status + "\", \"patient\": \"Patient/p\" }";
    }

    private static void recordOnChain(InMemoryLedger ledger, String json, long version) {
        byte[] hash = ContentHash.of(JsonParser.parse(json.getBytes(StandardCharsets.UTF_8)));
        ledger.recordConsentDecision(new ConsentDecision(
                java.util.HexFormat.of().parseHex(KEY),
                version,
                hash,
                new byte[32],
                List.of(),
                List.of(),
                true,
                ConsentStatus.ACTIVE,
                0,
                0));
    }

    @Test
    void aRecordMatches_theLatestDecisionOnChain_onlyWithItsExactContent() {
        InMemoryLedger ledger = new InMemoryLedger();
        assertEquals(
                ConsentDecisionCheck.Outcome.NOT_ON_CHAIN,
                ConsentDecisionCheck.check(record(1, "active").getBytes(StandardCharsets.UTF_8), ledger)
                        .outcome());
        recordOnChain(ledger, record(1, "active"), 1);
        assertEquals(
                ConsentDecisionCheck.Outcome.MATCHES,
                ConsentDecisionCheck.check(record(1, "active").getBytes(StandardCharsets.UTF_8), ledger)
                        .outcome());
        assertEquals(
                ConsentDecisionCheck.Outcome.HASH_MISMATCH,
                ConsentDecisionCheck.check(record(1, "inactive").getBytes(StandardCharsets.UTF_8), ledger)
                        .outcome());
        recordOnChain(ledger, record(2, "inactive"), 2);
        ConsentDecisionCheck.Result old =
                ConsentDecisionCheck.check(record(1, "active").getBytes(StandardCharsets.UTF_8), ledger);
        assertEquals(ConsentDecisionCheck.Outcome.SUPERSEDED, old.outcome());
        assertEquals(2, old.latestOnChainVersion());
    }
}
