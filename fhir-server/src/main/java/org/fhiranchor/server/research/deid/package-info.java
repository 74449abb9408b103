/**
 * De-identification of research exports (docs/deidentification.md). A
 * {@link org.fhiranchor.server.research.deid.DeidentificationProfile} is a documented rule set read from
 * {@code classpath:deid/<name>.json}; its canonical JSON hash names it in the export's manifest and
 * Provenance. A {@link org.fhiranchor.server.research.deid.Deidentifier} applies one profile with one
 * export's secret key: it walks every element of a resource by datatype (so every resource type is
 * covered), removes or generalizes what can identify a person, and replaces ids and references with
 * keyed pseudonyms that resolve within the export and differ between exports.
 *
 * <p>Nothing here logs resource content.
 */
package org.fhiranchor.server.research.deid;
