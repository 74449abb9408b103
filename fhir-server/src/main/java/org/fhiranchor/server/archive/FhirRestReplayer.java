package org.fhiranchor.server.archive;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.server.client.ServerRefusals;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Replays versions into a fresh FHIR server over REST, as transactions: consecutive versions of distinct resources
 * go into one transaction of PUTs with their original ids (so references between them resolve, as they did when the
 * original transaction was written); a second version of a resource starts a new transaction, and a delete is sent
 * on its own, so every resource passes through its versions in leaf order. meta.versionId and meta.lastUpdated are
 * the fresh server's to assign. AuditEvents are sent on their own ({@code PUT AuditEvent/[id]}): a server that keeps
 * its audit trail in a store of its own refuses them inside a transaction. The transactions go through HAPI's generic client ({@link
 * org.fhiranchor.server.client.FhirClients}); a refused one fails the replay with the server's OperationOutcome.
 */
public final class FhirRestReplayer implements RestoreTarget {

    /** Large enough to keep any one original transaction (a Synthea patient is a few thousand entries) together. */
    static final int MAX_ENTRIES = 5000;

    private final IGenericClient client;

    /** Replays through {@code client}, connected to the fresh server with a token allowed to restore. */
    public FhirRestReplayer(IGenericClient client) {
        this.client = client;
    }

    @Override
    public void replay(List<ArchivedVersion> versions) throws IOException {
        List<ArchivedVersion> group = new ArrayList<>();
        Set<String> inGroup = new HashSet<>();
        for (ArchivedVersion version : versions) {
            ResourceRef ref = version.leaf().ref();
            String key = ref.type() + "/" + ref.id();
            boolean delete = version.leaf().operation() == Operation.DELETE;
            if (delete || inGroup.contains(key) || group.size() >= MAX_ENTRIES) {
                send(group);
                group.clear();
                inGroup.clear();
            }
            group.add(version);
            inGroup.add(key);
            if (delete) {
                send(group);
                group.clear();
                inGroup.clear();
            }
        }
        send(group);
    }

    private void send(List<ArchivedVersion> versions) throws IOException {
        List<ArchivedVersion> group = new ArrayList<>();
        for (ArchivedVersion version : versions) {
            if (isAuditEvent(version)) {
                putAlone(version);
            } else {
                group.add(version);
            }
        }
        if (group.isEmpty()) {
            return;
        }
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (ArchivedVersion version : group) {
            ResourceRef ref = version.leaf().ref();
            String url = ref.type() + "/" + ref.id();
            Bundle.BundleEntryComponent entry = transaction.addEntry();
            if (version.leaf().operation() == Operation.DELETE) {
                entry.getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(url);
            } else {
                Resource resource = version.resourceOrNull().copy();
                resource.setId(url);
                resource.getMeta().setVersionId(null);
                resource.getMeta().setLastUpdated(null);
                entry.setFullUrl(client.getServerBase() + "/" + url).setResource(resource);
                entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
            }
        }
        try {
            client.transaction().withBundle(transaction).execute();
        } catch (BaseServerResponseException e) {
            throw new IOException(
                    "transaction of " + group.size() + " version(s) failed: " + ServerRefusals.describe(e), e);
        }
    }

    /** AuditEvents go on their own: nothing refers to them, and a server keeping its trail apart takes them so. */
    private static boolean isAuditEvent(ArchivedVersion version) {
        return version.leaf().operation() != Operation.DELETE
                && "AuditEvent".equals(version.leaf().ref().type());
    }

    private void putAlone(ArchivedVersion version) throws IOException {
        ResourceRef ref = version.leaf().ref();
        Resource resource = version.resourceOrNull().copy();
        resource.setId(ref.type() + "/" + ref.id());
        resource.getMeta().setVersionId(null);
        resource.getMeta().setLastUpdated(null);
        try {
            client.update()
                    .resource(resource)
                    .withId(ref.type() + "/" + ref.id())
                    .execute();
        } catch (BaseServerResponseException e) {
            throw new IOException(ref + " could not be replayed: " + ServerRefusals.describe(e), e);
        }
    }
}
