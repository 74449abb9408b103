package org.fhiranchor.server.consent;

import java.util.regex.Pattern;

/**
 * Who asks for data for research, and why: the authenticated identity (token claim
 * {@code fhirUser}) and purpose of use (claim {@code purpose_of_use}, a v3-ActReason code such as
 * HRESCH). Put into {@code RequestDetails.getUserData()} under {@link #USER_DATA_KEY} by the
 * security layer before {@code SERVER_INCOMING_REQUEST_PRE_HANDLED}; never built from headers.
 *
 * @param requesterReference {@code Organization/x} or {@code Practitioner/y}
 * @param purposeOfUse a v3-ActReason code, e.g. {@code HRESCH}
 */
public record ResearchRequester(String requesterReference, String purposeOfUse) {

    /** The userData key under which the requester travels with a request. */
    public static final String USER_DATA_KEY = "fhir-anchor.research-requester";

    private static final Pattern REFERENCE = Pattern.compile("(Organization|Practitioner)/[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9\\-_.]{1,64}");

    public ResearchRequester {
        if (requesterReference == null || !REFERENCE.matcher(requesterReference).matches()) {
            throw new IllegalArgumentException("requesterReference must be Organization/<id> or Practitioner/<id>");
        }
        if (purposeOfUse == null || !CODE.matcher(purposeOfUse).matches()) {
            throw new IllegalArgumentException("purposeOfUse must be a code such as HRESCH");
        }
    }
}
