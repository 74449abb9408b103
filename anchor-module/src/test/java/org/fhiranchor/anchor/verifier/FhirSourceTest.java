package org.fhiranchor.anchor.verifier;

import static org.fhiranchor.anchor.verifier.FakeFhirServer.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.verifier.FhirSource.FhirSourceException;
import org.fhiranchor.anchor.verifier.FhirSource.HistoryEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side alone, against the fake server: no chain needed. */
class FhirSourceTest {

    private FakeFhirServer server;
    private FhirSource source;

    @BeforeEach
    void start() {
        server = new FakeFhirServer();
        source = new FhirSource(server.base(), "secret", Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readsBytesExactlyAsServedAndGoneAsEmpty() {
        byte[] body = "{ \"resourceType\" : \"Patient\",\n \"id\": \"a\" }".getBytes();
        server.versions.put("Patient/a/_history/1", body);
        server.gone.add("Patient/a/_history/2");
        assertEquals(
                new String(body),
                new String(source.readVersion(ResourceRef.parse("Patient/a/_history/1"))
                        .orElseThrow()));
        assertEquals(Optional.empty(), source.readVersion(ResourceRef.parse("Patient/a/_history/2")));
        FakeFhirServer.Seen seen = server.seen.get(0);
        assertEquals("/fhir/Patient/a/_history/1?_format=json", seen.pathAndQuery());
        assertEquals("application/fhir+json", seen.accept());
        assertEquals("Bearer secret", seen.authorization());
    }

    @Test
    void errorsSayWhatTheServerSaid() {
        FhirSourceException e = assertThrows(
                FhirSourceException.class, () -> source.readVersion(ResourceRef.parse("Patient/none/_history/1")));
        assertTrue(e.getMessage().contains("HTTP 404: not found"), e.getMessage());
        assertFalse(e.transientFailure());

        FhirSource nowhere = new FhirSource("http://127.0.0.1:1/fhir", null, Duration.ofSeconds(2));
        FhirSourceException down = assertThrows(FhirSourceException.class, () -> nowhere.verifyAnswer("Patient/a"));
        assertTrue(down.transientFailure());
    }

    @Test
    void historyPagesAndIdentifiesDeletesByUrlOrEtag() {
        server.pageSize = 2;
        server.history.add(entry("Patient/a/_history/1", "POST", resource("a", "1")));
        server.history.add(entry("Patient/a/_history/2", "PUT", resource("a", "2")));
        // A delete with versionless URLs and the version only in the ETag.
        server.history.add(object(
                "fullUrl",
                new JsonString(server.base() + "/Patient/a"),
                "request",
                object("method", new JsonString("DELETE"), "url", new JsonString("Patient/a")),
                "response",
                object("etag", new JsonString("W/\"3\""))));
        server.history.add(object(
                "fullUrl",
                new JsonString(server.base() + "/Patient/b/_history/4"),
                "request",
                object("method", new JsonString("DELETE"), "url", new JsonString("Patient/b"))));
        server.history.add(object(
                "fullUrl",
                new JsonString("Patient/c"),
                "request",
                object("method", new JsonString("DELETE"), "url", new JsonString("Patient/c")),
                "response",
                object("location", new JsonString("Patient/c/_history/2"))));
        server.history.add(object("request", object("method", new JsonString("DELETE"))));

        List<HistoryEntry> entries = new ArrayList<>();
        source.history(null, entries::add);
        assertEquals(
                List.of(
                        "(history entry without URL)",
                        "Patient/c/_history/2",
                        "Patient/b/_history/4",
                        "Patient/a/_history/3",
                        "Patient/a/_history/2",
                        "Patient/a/_history/1"),
                entries.stream().map(HistoryEntry::label).toList());
        assertTrue(entries.get(2).isDelete() && entries.get(2).resource().isEmpty());
        assertTrue(entries.get(0).ref().isEmpty());
        assertEquals(
                3,
                server.seen.stream()
                        .filter(s -> s.pathAndQuery().contains("_history"))
                        .count(),
                "three pages");

        List<HistoryEntry> firstTwo = new ArrayList<>();
        source.history("Patient", e -> firstTwo.add(e) && firstTwo.size() < 2);
        assertEquals(2, firstTwo.size());
    }

    @Test
    void nextLinksOutsideTheBaseAreNotFollowed() {
        try (FakeFhirServer other = new FakeFhirServer()) {
            server.pageSize = 1;
            server.history.add(entry("Patient/a/_history/1", "POST", resource("a", "1")));
            server.history.add(entry("Patient/a/_history/2", "PUT", resource("a", "2")));
            server.nextLinkOverride = other.base() + "/_history?page=1";
            List<HistoryEntry> entries = new ArrayList<>();
            FhirSourceException e = assertThrows(FhirSourceException.class, () -> source.history(null, entries::add));
            assertTrue(e.getMessage().contains("refusing to follow a next link outside"), e.getMessage());
            assertEquals(1, entries.size(), "the first page was read");
            assertEquals(List.of(), other.seen, "the bearer token never went to the other server");
        }
    }

    private JsonObject entry(String ref, String method, JsonObject resource) {
        return object(
                "fullUrl",
                new JsonString(server.base() + "/" + ref),
                "resource",
                resource,
                "request",
                object("method", new JsonString(method), "url", new JsonString("Patient")));
    }

    private static JsonObject resource(String id, String vid) {
        return object(
                "resourceType",
                new JsonString("Patient"),
                "id",
                new JsonString(id),
                "meta",
                object("versionId", new JsonString(vid)));
    }
}
