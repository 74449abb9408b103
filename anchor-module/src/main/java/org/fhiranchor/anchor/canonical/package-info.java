/**
 * FHIR Anchor canonical JSON v1: a strict RFC 8259 parser that keeps number lexemes, the canonical
 * serializer (RFC 8785 key order and string escaping, numbers exactly as written) and the content hash
 * of a resource version. See docs/verification.md.
 */
package org.fhiranchor.anchor.canonical;
