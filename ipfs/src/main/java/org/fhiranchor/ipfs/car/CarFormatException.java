package org.fhiranchor.ipfs.car;

import java.io.IOException;

/** A CAR stream that is not a well-formed CAR v1. (A block whose bytes do not match its CID is reported as
 * {@link org.fhiranchor.ipfs.cid.BlockHashMismatchException}.) */
public final class CarFormatException extends IOException {
    public CarFormatException(String message) {
        super(message);
    }
}
