package org.fhiranchor.ipfs.unixfs;

/** A dag-pb or UnixFS block that does not decode, or decodes to something this module does not read. */
public final class MalformedNodeException extends RuntimeException {
    public MalformedNodeException(String message) {
        super(message);
    }
}
