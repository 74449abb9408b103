package org.fhiranchor.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.chain.ConsentDecision;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.verify.VerifyPartContributor;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * The {@code consentDecision} part of {@code $verify} for Consent versions: the decision
 * recomputed now from the stored Consent, its hash, the decision the contract recorded for that
 * version (from its event), and whether every field matches. A Consent changed behind HAPI's back
 * recomputes to another hash and so does not match.
 */
public final class ConsentVerification implements VerifyPartContributor {

    private final DaoRegistry daoRegistry;
    private final ConsentFlattener flattener;
    private final ConsentKeys keys;
    private final ConsentOutbox outbox;
    private final ConsentChainReader chainReader;

    public ConsentVerification(
            DaoRegistry daoRegistry,
            ConsentFlattener flattener,
            ConsentKeys keys,
            ConsentOutbox outbox,
            ConsentChainReader chainReader) {
        this.daoRegistry = daoRegistry;
        this.flattener = flattener;
        this.keys = keys;
        this.outbox = outbox;
        this.chainReader = chainReader;
    }

    @Override
    public void contribute(LogEntry entry, Parameters parameters) {
        if (!"Consent".equals(entry.leaf().ref().type())) {
            return;
        }
        parameters.addParameter(verify(
                entry.leaf().ref().id(),
                Long.parseLong(entry.leaf().ref().versionId()),
                entry.leaf().operation() == Operation.DELETE));
    }

    public Parameters.ParametersParameterComponent verify(String consentId, long version, boolean deleted) {
        Parameters.ParametersParameterComponent part =
                new Parameters.ParametersParameterComponent().setName("consentDecision");
        part.addPart().setName("consentVersion").setValue(new IntegerType(Math.toIntExact(version)));
        ConsentDecision expected;
        try {
            long storedVersion = deleted ? version - 1 : version;
            Consent consent = (Consent) daoRegistry
                    .getResourceDao(Consent.class)
                    .read(
                            new IdType("Consent", consentId, Long.toString(storedVersion)),
                            new SystemRequestDetails(),
                            true);
            ConsentDecisionRecord record = flattener.flatten(consent, version, deleted);
            byte[] consentKey = keys.consentKey(consentId);
            expected = keys.onChain(record);
            part.addPart()
                    .setName("consentKey")
                    .setValue(new StringType(HexFormat.of().formatHex(consentKey)));
            part.addPart().setName("decision").setValue(new StringType(record.canonicalJson(consentKey)));
            part.addPart()
                    .setName("decisionHash")
                    .setValue(new StringType(HexFormat.of().formatHex(expected.decisionHash())));
        } catch (InvalidConsentException e) {
            part.addPart().setName("error").setValue(new StringType(e.getMessage()));
            part.addPart().setName("matches").setValue(new BooleanType(false));
            return part;
        }
        outbox.find(consentId, version)
                .ifPresent(row -> part.addPart()
                        .setName("queue")
                        .setValue(new CodeType(row.status().toLowerCase())));
        Optional<RecordedConsentDecision> onChain;
        try {
            onChain = chainReader.history(expected.consentKey()).stream()
                    .filter(r -> r.decision().consentVersion() == version)
                    .reduce((first, second) -> second);
        } catch (RuntimeException e) {
            part.addPart()
                    .setName("chainError")
                    .setValue(new StringType(e.getClass().getSimpleName()));
            part.addPart().setName("matches").setValue(new BooleanType(false));
            return part;
        }
        onChain.ifPresent(recorded -> {
            ConsentDecision d = recorded.decision();
            Parameters.ParametersParameterComponent chainPart = part.addPart().setName("onChain");
            chainPart
                    .addPart()
                    .setName("decisionHash")
                    .setValue(new StringType(HexFormat.of().formatHex(d.decisionHash())));
            chainPart.addPart().setName("permit").setValue(new BooleanType(d.permit()));
            chainPart
                    .addPart()
                    .setName("status")
                    .setValue(new CodeType(d.status().fhirCode()));
            chainPart.addPart().setName("periodStart").setValue(new StringType(Long.toString(d.periodStart())));
            chainPart.addPart().setName("periodEnd").setValue(new StringType(Long.toString(d.periodEnd())));
            chainPart.addPart().setName("transactionHash").setValue(new StringType(recorded.transactionHash()));
            chainPart.addPart().setName("blockNumber").setValue(new StringType(Long.toString(recorded.blockNumber())));
        });
        part.addPart()
                .setName("matches")
                .setValue(new BooleanType(
                        onChain.map(r -> same(expected, r.decision())).orElse(false)));
        return part;
    }

    /** Every field the contract holds, compared. */
    static boolean same(ConsentDecision a, ConsentDecision b) {
        return a.consentVersion() == b.consentVersion()
                && Arrays.equals(a.consentKey(), b.consentKey())
                && Arrays.equals(a.decisionHash(), b.decisionHash())
                && Arrays.equals(a.patientKey(), b.patientKey())
                && sameList(a.granteeKeys(), b.granteeKeys())
                && sameList(a.purposeCodes(), b.purposeCodes())
                && a.permit() == b.permit()
                && a.status() == b.status()
                && a.periodStart() == b.periodStart()
                && a.periodEnd() == b.periodEnd();
    }

    private static boolean sameList(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
