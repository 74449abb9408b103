package org.fhiranchor.server.conformance;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expected outcomes of the client-conformance suite (docs/security.md, "Client conformance"): what each
 * caller gets for each interaction ({@link #EXPECTED}), and what a clinical reader gets of one patient's chart
 * while that patient's privacy consents allow or deny it ({@link #CHART_RELEASED}, {@link #CHART_WITHHELD}).
 * Shared by every test that walks real clients against a server (ClientConformanceTest, ConsentConformanceTest,
 * ArchiveRestoreTest). A role added later is one row.
 */
final class ConformanceTable {

    /** The interactions of the role walk. */
    enum Interaction {
        READ,
        VREAD,
        HISTORY,
        UPDATE,
        CONDITIONAL_CREATE,
        CONDITIONAL_UPDATE,
        JSON_PATCH,
        FHIRPATH_PATCH,
        DELETE,
        SEARCH_INCLUDE,
        SEARCH_REVINCLUDE,
        SEARCH_CHAINED,
        SEARCH_PAGING,
        EVERYTHING_INSTANCE,
        EVERYTHING_TYPE,
        BATCH,
        TRANSACTION,
        FORMAT_PRETTY,
        SUMMARY,
        ELEMENTS
    }

    /**
     * The interactions of the chart walk: the read paths of one patient's chart (docs/consent.md section 5), and
     * a read and {@code $everything} with break-glass ({@code X-Purpose-Of-Use: BTG}).
     */
    enum ChartInteraction {
        READ,
        VREAD,
        HISTORY,
        SEARCH,
        SEARCH_INCLUDE,
        SEARCH_REVINCLUDE,
        SEARCH_CHAINED,
        EVERYTHING_INSTANCE,
        BATCH,
        BTG_READ,
        BTG_EVERYTHING
    }

    static final String OK = "200";
    static final String CREATED = "201";
    static final String REFUSED = "403";
    static final String NO_TOKEN = "401";
    /** A 200 answer that holds none of the patient's resources (they were left out). */
    static final String LEFT_OUT = "200 left out";

    private ConformanceTable() {}

    /** Reads, searches and $everything allowed; writes refused (a clinician). */
    private static final Map<Interaction, String> READER = outcomes(OK, REFUSED, OK, OK, "200/200", REFUSED);
    /** Everything allowed (an EHR, an admin). */
    private static final Map<Interaction, String> WRITER = outcomes(OK, OK, OK, OK, "200/200", OK);

    /** The expected outcome of each interaction, per caller (a role, or no token at all). */
    static final Map<String, Map<Interaction, String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("ehr", WRITER);
        EXPECTED.put("clinician", READER);
        // Its own compartment only: a chained search that does not name it, and $everything (no operation scope), are
        // refused.
        Map<Interaction, String> patient = outcomes(OK, REFUSED, OK, REFUSED, "200/200", REFUSED);
        patient.put(Interaction.SEARCH_CHAINED, REFUSED);
        EXPECTED.put("patient", patient);
        EXPECTED.put("auditor", outcomes(REFUSED, REFUSED, REFUSED, REFUSED, "200/403", REFUSED));
        EXPECTED.put("researcher", outcomes(REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED));
        EXPECTED.put("admin", WRITER);
        EXPECTED.put("none", outcomes(NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN));
    }

    /** A clinical reader the patient's consents let read: every path returns the patient's data. */
    static final Map<ChartInteraction, String> CHART_RELEASED = chart(OK, OK, OK, "200/200", OK);
    /**
     * A clinical reader a deny names: direct reads refused with 403 (in a batch, the entry), every other path
     * answers 200 without the patient's data; break-glass releases it.
     */
    static final Map<ChartInteraction, String> CHART_WITHHELD = chart(REFUSED, LEFT_OUT, LEFT_OUT, "200/403", OK);
    /** A system token (ehr): not governed by privacy consents, and may not declare break-glass. */
    static final Map<ChartInteraction, String> CHART_SYSTEM = chart(OK, OK, OK, "200/200", REFUSED);

    private static Map<ChartInteraction, String> chart(
            String reads, String searches, String everything, String batch, String breakGlass) {
        Map<ChartInteraction, String> row = new EnumMap<>(ChartInteraction.class);
        row.put(ChartInteraction.READ, reads);
        row.put(ChartInteraction.VREAD, reads);
        for (ChartInteraction i : List.of(
                ChartInteraction.HISTORY,
                ChartInteraction.SEARCH,
                ChartInteraction.SEARCH_INCLUDE,
                ChartInteraction.SEARCH_REVINCLUDE,
                ChartInteraction.SEARCH_CHAINED)) {
            row.put(i, searches);
        }
        row.put(ChartInteraction.EVERYTHING_INSTANCE, everything);
        row.put(ChartInteraction.BATCH, batch);
        row.put(ChartInteraction.BTG_READ, breakGlass);
        row.put(ChartInteraction.BTG_EVERYTHING, breakGlass);
        return row;
    }

    private static Map<Interaction, String> outcomes(
            String reads, String writes, String searches, String everything, String batch, String transaction) {
        Map<Interaction, String> row = new EnumMap<>(Interaction.class);
        for (Interaction i : List.of(
                Interaction.READ,
                Interaction.VREAD,
                Interaction.HISTORY,
                Interaction.FORMAT_PRETTY,
                Interaction.SUMMARY)) {
            row.put(i, reads);
        }
        for (Interaction i :
                List.of(Interaction.UPDATE, Interaction.JSON_PATCH, Interaction.FHIRPATH_PATCH, Interaction.DELETE)) {
            row.put(i, writes);
        }
        String creates = writes.equals(OK) ? CREATED : writes;
        row.put(Interaction.CONDITIONAL_CREATE, creates);
        row.put(Interaction.CONDITIONAL_UPDATE, creates);
        for (Interaction i : List.of(
                Interaction.SEARCH_INCLUDE,
                Interaction.SEARCH_REVINCLUDE,
                Interaction.SEARCH_CHAINED,
                Interaction.SEARCH_PAGING,
                Interaction.ELEMENTS)) {
            row.put(i, searches);
        }
        row.put(Interaction.EVERYTHING_INSTANCE, everything);
        row.put(Interaction.EVERYTHING_TYPE, everything);
        row.put(Interaction.BATCH, batch);
        row.put(Interaction.TRANSACTION, transaction);
        return row;
    }
}
