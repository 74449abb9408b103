package org.fhiranchor.anchor.tlog;

/** A note, key, checkpoint, tile path or proof that does not follow its C2SP format. */
public final class NoteFormatException extends Exception {

    public NoteFormatException(String message) {
        super(message);
    }
}
