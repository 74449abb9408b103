/**
 * Serving the web app (module {@code webapp}, packaged under {@code static/app/}): {@code /} leads to
 * {@code /app/}, every {@code /app/} answer carries a strict Content-Security-Policy, and
 * {@code /app/config.json} tells the page the chain this server anchors on (a convenience; the page
 * prefers a trust root the user pinned).
 */
package org.fhiranchor.server.webapp;
