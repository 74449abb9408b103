package org.fhiranchor.server.archive;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Replays versions into a fresh FHIR server over REST, as transactions: consecutive versions of distinct resources
 * go into one transaction of PUTs with their original ids (so references between them resolve, as they did when the
 * original transaction was written); a second version of a resource starts a new transaction, and a delete is sent
 * on its own, so every resource passes through its versions in leaf order. meta.versionId and meta.lastUpdated are
 * the fresh server's to assign.
 */
public final class FhirRestReplayer implements RestoreTarget {

    /** Large enough to keep any one original transaction (a Synthea patient is a few thousand entries) together. */
    static final int MAX_ENTRIES = 5000;

    private final String fhirBase;
    private final String bearerTokenOrNull;
    private final FhirContext fhirContext;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public FhirRestReplayer(String fhirBase, String bearerTokenOrNull, FhirContext fhirContext) {
        this.fhirBase = fhirBase.endsWith("/") ? fhirBase.substring(0, fhirBase.length() - 1) : fhirBase;
        this.bearerTokenOrNull = bearerTokenOrNull;
        this.fhirContext = fhirContext;
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

    private void send(List<ArchivedVersion> group) throws IOException {
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
                entry.setFullUrl(fhirBase + "/" + url).setResource(resource);
                entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
            }
        }
        byte[] body = fhirContext.newJsonParser().encodeResourceToString(transaction).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase)).timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearerTokenOrNull != null && !bearerTokenOrNull.isBlank()) {
            request.header("Authorization", "Bearer " + bearerTokenOrNull);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("transaction of " + group.size() + " version(s) answered HTTP " + response.statusCode()
                    + ": " + abbreviate(response.body()));
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }
}
