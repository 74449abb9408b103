package org.fhiranchor.server.archive;

import java.io.IOException;
import java.util.List;

/** Where proven versions are replayed, in leaf order. */
public interface RestoreTarget {

    /** Writes these versions (consecutive leaves) in order; throws if the target refused any. */
    void replay(List<ArchivedVersion> versions) throws IOException;
}
